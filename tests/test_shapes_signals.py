"""Shapes and the signal encoding: hand-derived cases and round trips."""

import math

import numpy as np
import pytest
import torch

from symmetry_tasks import shapes, signals

F64 = torch.float64
# Rounding bounds below are multiples of the float64 epsilon times the size of the computation.
EPS = torch.finfo(F64).eps


def test_square_and_rectangle_are_centred_in_the_xy_plane():
    for points in (shapes.square(), shapes.rectangle()):
        assert points.dtype == F64
        assert points.shape == (4, 3)
        assert torch.allclose(points.mean(0), torch.zeros(3, dtype=F64), rtol=0, atol=4 * EPS)
        assert bool((points[:, 2] == 0).all())


def test_rectangle_is_the_square_scaled():
    assert torch.equal(shapes.rectangle(), shapes.square() * torch.tensor([0.5, 1.5, 0.0], dtype=F64))
    sides = shapes.rectangle().roll(-1, 0) - shapes.rectangle()
    assert sorted(sides.norm(dim=1).tolist()) == pytest.approx([0.5, 0.5, 1.5, 1.5])


def test_regular_polygon_has_equal_sides_and_radius():
    hexagon = shapes.regular_polygon(6, 2.0)
    assert torch.allclose(hexagon.norm(dim=1), torch.full((6,), 2.0, dtype=F64))
    sides = (hexagon.roll(-1, 0) - hexagon).norm(dim=1)
    assert torch.allclose(sides, sides[0].expand(6))


@pytest.mark.parametrize(("n", "radius"), [(2, 1.0), (4.0, 1.0), (4, -1.0), (4, math.nan)])
def test_regular_polygon_rejects_bad_input(n, radius):
    with pytest.raises(ValueError, match=r"n >= 3|radius"):
        shapes.regular_polygon(n, radius)


def test_signal_peaks_at_the_displacement_with_its_length():
    d = torch.tensor([[0.3, -0.4, 1.2], [-0.25, 0.25, 0.0]], dtype=F64)
    s = signals.displacement_signals(d)
    irreps = signals.signal_irreps()
    values = irreps.signal_xyz(s, signals._fibonacci_sphere(2000))  # (N, grid)
    for row, vector in zip(values, d, strict=True):
        assert float(row.max()) <= float(vector.norm()) * (1 + 36 * EPS)  # 36 terms of the signal
    peaks = irreps.signal_xyz(s, d / d.norm(dim=1, keepdim=True)).diagonal()
    assert torch.allclose(peaks, d.norm(dim=1), rtol=36 * EPS, atol=0)


@pytest.mark.parametrize("seed", range(5))
def test_decode_inverts_encode_to_1e_6(seed):
    d = torch.randn(6, 3, dtype=F64, generator=torch.Generator().manual_seed(seed))
    decoded = signals.decode_displacements(signals.displacement_signals(d))
    cosine = torch.nn.functional.cosine_similarity(decoded, d, dim=1)
    # not rounding but the decoder's BFGS search, whose tolerance sets these: a direction within 1.4e-6 rad
    # (1 - cos theta = theta^2 / 2 < 1e-12), and a length, the maximum at that direction, to 1e-9
    assert bool((1 - cosine < 1e-12).all())
    assert torch.allclose(decoded.norm(dim=1), d.norm(dim=1), rtol=1e-9, atol=0)


def test_zero_displacement_is_a_zero_signal_and_decodes_to_zero():
    s = signals.displacement_signals(torch.zeros(2, 3, dtype=F64))
    assert bool((s == 0).all())
    assert bool((signals.decode_displacements(s) == 0).all())


def test_encoding_is_equivariant():
    from symmetry_tasks.equivariance import irreps_matrix, random_orthogonal

    d = torch.randn(3, 3, dtype=F64, generator=torch.Generator().manual_seed(1))
    for improper in (False, True):
        g = random_orthogonal(3, improper)
        rotated = signals.displacement_signals(d @ g.T)
        expected = signals.displacement_signals(d) @ irreps_matrix(signals.signal_irreps(), g).T
        assert torch.allclose(rotated, expected, rtol=0, atol=64 * 36 * EPS)  # 36-by-36 Wigner matrix


def test_l1_block_is_xyz_and_y_is_the_polar_axis():
    # a component-wise check of e3nn's convention that the whole site relies on
    for axis, name in enumerate("xyz"):
        c = signals.polynomial_to_sh(name, lmax=1)
        assert int(c[1:].abs().argmax()) == axis
    assert signals.component_names(2)[4:] == ["xz", "xy", "-x^2 + 2y^2 - z^2", "yz", "-x^2 + z^2"]


def test_x2_minus_y2_is_two_components_hand_derived():
    # x^2 - y^2 = -(y^2 - (x^2 + z^2)/2) - (z^2 - x^2)/2, and e3nn's l = 2 components are
    # sqrt(5)(y^2 - (x^2+z^2)/2) and sqrt(15)/2 (z^2 - x^2) times one common constant
    c = signals.polynomial_to_sh("x^2 - y^2", lmax=2)
    assert c[:4].abs().max() < 64 * 9 * EPS  # a least-squares fit of 9 coefficients
    expected = torch.tensor([0.0, 0.0, -1 / math.sqrt(5), 0.0, -1 / math.sqrt(15)], dtype=F64)
    expected = expected / expected.norm()
    assert torch.allclose(c[4:] / c[4:].norm(), expected, rtol=0, atol=64 * 9 * EPS)
    expected = torch.tensor([0, 0, -(3**0.5) / 2, 0, -0.5], dtype=F64)
    assert torch.allclose(signals.x2_minus_y2(2)[4:], expected, rtol=0, atol=64 * 9 * EPS)
    # the tutorial's "index 8" is z^2 - x^2 today, a different function
    assert signals.component_names(2)[8] == "-x^2 + z^2"


def test_polynomial_round_trip_and_values():
    c = signals.polynomial_to_sh("x*y*z + 2*x^2 - 1", lmax=3)
    points = signals._fibonacci_sphere(50)
    values = o3_values(c, points, 3)
    x, y, z = points.T
    assert torch.allclose(values, x * y * z + 2 * x**2 - 1, rtol=0, atol=64 * 16 * EPS)  # 16 terms
    assert signals.sh_to_polynomial(signals.polynomial_to_sh("x*y*z", 3)[9:16], 3) == "xyz"


def o3_values(coefficients, points, lmax):
    from e3nn import o3

    return o3.spherical_harmonics(list(range(lmax + 1)), points, normalize=True) @ coefficients


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: signals.displacement_signals(torch.zeros(3, 2)), ValueError, r"shape \(N, 3\)"),
        (lambda: signals.displacement_signals([[math.nan, 0, 0]]), ValueError, "finite"),
        (lambda: signals.displacement_signals([[1.0, 0, 0]], lmax=-1), ValueError, "lmax"),
        (lambda: signals.displacement_signals([[1.0, 0, 0]], lmax=2.5), TypeError, "lmax"),
        (lambda: signals.decode_displacements(torch.zeros(2, 35)), ValueError, "35"),
        (lambda: signals.decode_displacements(torch.full((1, 4), math.inf)), ValueError, "finite"),
        (lambda: signals.polynomial_to_sh("x^3", lmax=2), ValueError, "degree 3"),
        (lambda: signals.polynomial_to_sh("sin(x)", lmax=2), ValueError, "polynomial"),
        (lambda: signals.polynomial_to_sh(3, lmax=2), TypeError, "str"),
        (lambda: signals.sh_to_polynomial([1.0, 0.0], 1), ValueError, "2l \\+ 1 = 3"),
        (lambda: signals.sh_to_polynomial([0.0, 0.0, 0.0], 1), ValueError, "non-zero"),
        (lambda: signals.x2_minus_y2(1), ValueError, "lmax >= 2"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("lmax", [0, 3, 5])
def test_component_names_are_the_components_up_to_a_positive_factor(lmax):
    import sympy
    from e3nn import o3
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    reading = (*standard_transformations, implicit_multiplication_application, convert_xor)

    names = signals.component_names(lmax)
    assert len(names) == (lmax + 1) ** 2
    assert len(set(names)) == len(names)
    points = torch.randn(20, 3, dtype=F64, generator=torch.Generator().manual_seed(lmax))
    x, y, z = sympy.symbols("x y z")
    for l in range(lmax + 1):
        harmonics = o3.spherical_harmonics(l, points, normalize=False)  # r^l Y_l: polynomials
        for m, name in enumerate(names[l * l : (l + 1) ** 2]):
            expression = parse_expr(name, transformations=reading)
            assert expression.free_symbols <= {x, y, z}, name
            polynomial = sympy.lambdify((x, y, z), expression, "numpy")
            values = torch.tensor(np.broadcast_to(polynomial(*points.T.numpy()), (20,)), dtype=F64)
            h = harmonics[:, m]
            factor = float(values @ h / (h @ h))  # the least-squares factor
            assert factor > 0, (l, m, name)
            # one factor at every point, to rounding: a sum of up to 2l + 1 monomials of degree l against
            # e3nn's recursion of depth l (measured: at most 2.2 EPS relative to the largest value)
            error = float((values - factor * h).abs().max() / values.abs().max())
            assert error < 16 * (2 * l + 1) * (l + 1) * EPS, (l, m, name, error)


def test_displacements_must_be_points():
    with pytest.raises(ValueError, match=r"N >= 1, got \(0, 3\)"):
        signals.displacement_signals(torch.zeros(0, 3))
