"""Shapes and the signal encoding: hand-derived cases and round trips."""

import math

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


def test_x2_minus_y2_is_the_unit_l2_block_of_the_polynomial():
    # hand-derived: x^2 - y^2 = -(y^2 - (x^2 + z^2)/2) - (z^2 - x^2)/2 with e3nn's constants (see
    # test_polynomials), normalised: (0, 0, -sqrt(3)/2, 0, -1/2) on the l = 2 block, zero elsewhere
    for lmax in (2, signals.LMAX):
        feature = signals.x2_minus_y2(lmax)
        assert feature.shape == ((lmax + 1) ** 2,)
        expected = torch.zeros_like(feature)
        expected[4:9] = torch.tensor([0, 0, -(3**0.5) / 2, 0, -0.5], dtype=F64)
        # a least-squares fit of (lmax + 1)^2 coefficients
        assert torch.allclose(feature, expected, rtol=0, atol=64 * (lmax + 1) ** 2 * EPS)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: signals.displacement_signals(torch.zeros(3, 2)), ValueError, r"shape \(N, 3\)"),
        (lambda: signals.displacement_signals([[math.nan, 0, 0]]), ValueError, "finite"),
        (lambda: signals.displacement_signals([[1.0, 0, 0]], lmax=-1), ValueError, "lmax"),
        (lambda: signals.displacement_signals([[1.0, 0, 0]], lmax=2.5), TypeError, "lmax"),
        (lambda: signals.decode_displacements(torch.zeros(2, 35)), ValueError, "35"),
        (lambda: signals.decode_displacements(torch.full((1, 4), math.inf)), ValueError, "finite"),
        (lambda: signals.x2_minus_y2(1), ValueError, "lmax >= 2"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_displacements_must_be_points():
    with pytest.raises(ValueError, match=r"N >= 1, got \(0, 3\)"):
        signals.displacement_signals(torch.zeros(0, 3))
