"""Cartesian polynomials <-> e3nn's spherical harmonics: hand-derived cases, round trips, bad input."""

import math

import numpy as np
import pytest
import torch

from symmetry_tasks import polynomials

F64 = torch.float64
# Rounding bounds below are multiples of the float64 epsilon times the size of the computation.
EPS = torch.finfo(F64).eps


def test_l1_block_is_xyz_and_y_is_the_polar_axis():
    # a component-wise check of e3nn's convention that the whole site relies on
    for axis, name in enumerate("xyz"):
        c = polynomials.polynomial_to_sh(name, lmax=1)
        assert int(c[1:].abs().argmax()) == axis
    assert polynomials.component_names(2)[4:] == ["xz", "xy", "-x^2 + 2y^2 - z^2", "yz", "-x^2 + z^2"]


def test_x2_minus_y2_is_two_components_hand_derived():
    # x^2 - y^2 = -(y^2 - (x^2 + z^2)/2) - (z^2 - x^2)/2, and e3nn's l = 2 components are
    # sqrt(5)(y^2 - (x^2+z^2)/2) and sqrt(15)/2 (z^2 - x^2) times one common constant
    c = polynomials.polynomial_to_sh("x^2 - y^2", lmax=2)
    assert c[:4].abs().max() < 64 * 9 * EPS  # a least-squares fit of 9 coefficients
    expected = torch.tensor([0.0, 0.0, -1 / math.sqrt(5), 0.0, -1 / math.sqrt(15)], dtype=F64)
    expected = expected / expected.norm()
    assert torch.allclose(c[4:] / c[4:].norm(), expected, rtol=0, atol=64 * 9 * EPS)
    assert polynomials.sh_to_polynomial(c[4:], 2) == "x^2 - y^2"
    # the tutorial's "index 8" is z^2 - x^2 today, a different function
    assert polynomials.component_names(2)[8] == "-x^2 + z^2"


def test_polynomial_round_trip_and_values():
    c = polynomials.polynomial_to_sh("x*y*z + 2*x^2 - 1", lmax=3)
    points = torch.randn(50, 3, dtype=F64, generator=torch.Generator().manual_seed(0))
    points = points / points.norm(dim=1, keepdim=True)
    values = o3_values(c, points, 3)
    x, y, z = points.T
    assert torch.allclose(values, x * y * z + 2 * x**2 - 1, rtol=0, atol=64 * 16 * EPS)  # 16 terms
    assert polynomials.sh_to_polynomial(polynomials.polynomial_to_sh("x*y*z", 3)[9:16], 3) == "xyz"


def o3_values(coefficients, points, lmax):
    from e3nn import o3

    return o3.spherical_harmonics(list(range(lmax + 1)), points, normalize=True) @ coefficients


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: polynomials.polynomial_to_sh("x^3", lmax=2), ValueError, "degree 3"),
        (lambda: polynomials.polynomial_to_sh("sin(x)", lmax=2), ValueError, "polynomial"),
        (lambda: polynomials.polynomial_to_sh(3, lmax=2), TypeError, "str"),
        (lambda: polynomials.polynomial_to_sh("x", lmax=-1), ValueError, "lmax"),
        (lambda: polynomials.sh_to_polynomial([1.0, 0.0], 1), ValueError, "2l \\+ 1 = 3"),
        (lambda: polynomials.sh_to_polynomial([0.0, 0.0, 0.0], 1), ValueError, "non-zero"),
        (lambda: polynomials.component_names(2.5), TypeError, "lmax"),
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

    names = polynomials.component_names(lmax)
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


def _vectors(l: int) -> list[np.ndarray]:
    """Seeded coefficient vectors of degree l: integers, integers times surds, and generic ones."""
    rng = np.random.default_rng(l)
    size = 2 * l + 1
    surds = np.sqrt(rng.choice([1, 2, 3, 6], (2, size)))
    vectors = [rng.integers(-3, 4, size).astype(float), rng.integers(-2, 3, size) * surds[0]]
    vectors += [rng.integers(-2, 3, size) * surds[1], rng.standard_normal(size)]
    return [v for v in vectors if np.abs(v).max() > 0]


@pytest.mark.parametrize("l", [0, 1, 2, 4, 7, 12])
def test_polynomials_are_written_as_sympy_writes_them(l):
    """The text is sympy's ``sstr`` (lexicographic order, ``^``, no ``*``) of the polynomial it reads as, and
    that polynomial's coefficients are e3nn's harmonic polynomial's, scaled so the smallest is 1 in magnitude,
    exact (surds) or rounded to 6 decimals."""
    import sympy
    from e3nn import o3
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    reading = (*standard_transformations, implicit_multiplication_application, convert_xor)
    xyz = sympy.symbols("x y z")
    exponents = [(a, b, l - a - b) for a in range(l + 1) for b in range(l - a + 1)]
    points = torch.randn(4 * len(exponents), 3, dtype=F64, generator=torch.Generator().manual_seed(l))
    design = np.prod(points.numpy()[:, None, :] ** np.array(exponents), axis=2)
    harmonics = o3.spherical_harmonics(l, points, normalize=False).numpy()  # r^l Y_l: polynomials
    monomials = np.linalg.lstsq(design, harmonics, rcond=None)[0]  # e3nn's polynomials, one per column
    # both fits' rounding, relative: 3.9e-8 at l = 12 (the design's condition number is 2.7e9). Measured
    # differences: at most 5.0e-7 up to l = 7 (the 6 decimals), 4.1e-5 on coefficients up to 8e4 at l = 12
    fit_rounding = 64 * EPS * np.linalg.cond(design)
    for vector in _vectors(l):
        text = polynomials.sh_to_polynomial(vector, l)
        expression = parse_expr(text, transformations=reading)
        assert sympy.sstr(expression, order="lex").replace("**", "^").replace("*", "") == text
        poly = sympy.Poly(expression, *xyz)
        printed = np.array([float(poly.coeff_monomial(e)) for e in exponents])
        exact = monomials @ vector
        smallest = np.flatnonzero(np.abs(printed) == np.abs(printed[printed != 0]).min())[0]
        assert abs(printed[smallest]) == 1.0 and printed[smallest] * exact[smallest] > 0, text
        scaled = exact / abs(exact[smallest])
        assert np.abs(printed - scaled).max() <= 5e-7 + fit_rounding * np.abs(scaled).max(), text
