r"""Cartesian polynomials on the unit sphere in e3nn's basis of real spherical harmonics, and back.

e3nn orders each block by its own real spherical harmonics, whose polar axis is **y**: the ``l = 1`` block
is :math:`(x, y, z)` and the ``l = 2`` block is, up to constants,
:math:`xz,\ xy,\ y^2 - (x^2 + z^2)/2,\ yz,\ z^2 - x^2`. A polynomial such as :math:`x^2 - y^2` is therefore
a *combination* of components; :func:`polynomial_to_sh` and :func:`sh_to_polynomial` translate, and
:func:`component_names` names every component by the polynomial it is.

Nothing here is specific to the tutorial: the order parameters of :mod:`symmetry_tasks.symmetry` are
named with :func:`sh_to_polynomial`, and the tutorial's signals (:mod:`symmetry_tasks.signals`) use
:func:`polynomial_to_sh` for their :math:`x^2 - y^2` feature.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np
import sympy
import torch
from e3nn import o3

from ._checks import as_lmax

_XYZ = sympy.symbols("x y z", real=True)


def polynomial_to_sh(expression: str, lmax: int) -> torch.Tensor:
    r"""Coefficients :math:`c` of a Cartesian polynomial on the unit sphere in e3nn's basis.

    Solves :math:`p(\hat u) = \sum_i c_i Y_i(\hat u)` for the e3nn spherical harmonics up to ``lmax``
    (``normalize=True``, integral normalisation). Exact for polynomials of degree :math:`\le l_\max`.

    Parameters
    ----------
    expression : str
        A polynomial in ``x, y, z``, e.g. ``"x^2 - y^2"`` (``^`` and ``**`` both mean power).
    lmax : int

    Returns
    -------
    torch.Tensor
        float64, shape :math:`((l_\max + 1)^2,)`.

    Examples
    --------
    ``x^2 - y^2`` is a combination of two ``l = 2`` components, not one:

    >>> c = polynomial_to_sh("x^2 - y^2", lmax=2)[4:9]
    >>> (c / c.norm()).numpy().round(4) + 0.0
    array([ 0.   ,  0.   , -0.866,  0.   , -0.5  ])
    """
    lmax = as_lmax(lmax)
    polynomial = _parse_polynomial(expression)
    degree = polynomial.total_degree()
    if degree > lmax:
        raise ValueError(
            f"{expression!r} has degree {degree} > lmax = {lmax}; it is not band-limited to lmax"
        )
    points = _sphere_points(4 * (lmax + 1) ** 2 + 16)
    values = sympy.lambdify(_XYZ, polynomial.as_expr(), "numpy")(*points.T.numpy())
    target = torch.tensor(np.broadcast_to(values, points.shape[:1]), dtype=torch.float64)
    basis = o3.spherical_harmonics(list(range(lmax + 1)), points, normalize=True)
    coefficients = torch.linalg.lstsq(basis, target[:, None]).solution[:, 0]
    return torch.where(coefficients.abs() < 1e-12, torch.zeros_like(coefficients), coefficients)


def _parse_polynomial(expression: str) -> sympy.Poly:
    if not isinstance(expression, str):
        raise TypeError(f"expression must be a str such as 'x^2 - y^2', got {type(expression).__name__}")
    try:
        parsed = sympy.sympify(expression.replace("^", "**"), locals=dict(zip("xyz", _XYZ, strict=True)))
        polynomial = sympy.Poly(parsed, *_XYZ)
    except (sympy.SympifyError, sympy.PolynomialError, TypeError, SyntaxError) as error:
        raise ValueError(f"expression must be a polynomial in x, y, z, got {expression!r}") from error
    return polynomial


def sh_to_polynomial(vector: object, l: int) -> str:
    r"""The Cartesian polynomial of degree ``l`` with coefficients ``vector`` in e3nn's basis, as text.

    The harmonic polynomial :math:`\sum_m v_m\, r^l Y^l_m(\hat r)` is written in monomials and scaled by a
    positive factor so that its smallest coefficient has magnitude 1; surds are recognised.

    Parameters
    ----------
    vector : array-like, shape :math:`(2l + 1,)`
    l : int

    Examples
    --------
    >>> sh_to_polynomial([0, 0, -3**0.5 / 2, 0, -0.5], 2)
    'x^2 - y^2'
    >>> sh_to_polynomial([1.0, 0, 0], 1), sh_to_polynomial([0, 0, 1.0, 0, 0], 2)
    ('x', '-x^2 + 2y^2 - z^2')
    """
    l = as_lmax(l)
    coefficients = torch.as_tensor(vector, dtype=torch.float64).flatten()
    if coefficients.shape != (2 * l + 1,):
        raise ValueError(
            f"vector must have 2l + 1 = {2 * l + 1} entries for l = {l}, got {coefficients.numel()}"
        )
    if not bool(torch.isfinite(coefficients).all()) or float(coefficients.abs().max()) < 1e-12:
        raise ValueError(f"vector must be finite and non-zero, got {coefficients.tolist()}")
    monomials, points, design = _monomial_design(l)
    values = o3.spherical_harmonics(l, points, normalize=False) @ coefficients
    fit = torch.linalg.lstsq(design, values[:, None]).solution[:, 0]
    fit = torch.where(fit.abs() < 1e-9 * fit.abs().max(), torch.zeros_like(fit), fit)
    fit = fit / fit.abs()[fit != 0].min()
    polynomial = sum((_exact(float(c)) * m for c, m in zip(fit, monomials, strict=True)), sympy.Integer(0))
    text = sympy.sstr(sympy.expand(polynomial), order="lex")
    return text.replace("**", "^").replace("*", "")


@functools.cache
def _monomial_design(l: int) -> tuple[tuple[sympy.Expr, ...], torch.Tensor, torch.Tensor]:
    """The monomials of degree ``l`` (sorted), seeded sample points and the monomials' values there.

    Computed once per degree: building the monomials' functions with sympy is the slow part.
    """
    monomials = [m for m in sympy.itermonomials(_XYZ, l) if sympy.Poly(m, *_XYZ).total_degree() == l]
    monomials = sorted(monomials, key=sympy.default_sort_key)
    points = torch.randn(
        4 * len(monomials), 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0)
    )
    columns = [
        np.broadcast_to(sympy.lambdify(_XYZ, m, "numpy")(*points.T.numpy()), points.shape[:1])
        for m in monomials
    ]
    return tuple(monomials), points, torch.tensor(np.stack(columns, axis=1), dtype=torch.float64)


def _exact(value: float) -> sympy.Expr:
    """``value`` as a small rational, or a rational times the square root of a small integer."""
    for root in (1, 2, 3, 5, 6, 7, 10, 14, 15, 21, 35):
        fraction = Fraction(value / math.sqrt(root)).limit_denominator(64)
        if abs(float(fraction) * math.sqrt(root) - value) < 1e-9 * max(1.0, abs(value)):
            return sympy.Rational(fraction.numerator, fraction.denominator) * sympy.sqrt(root)
    return sympy.Float(round(value, 6))


def component_names(lmax: int) -> list[str]:
    """The components of a signal up to ``lmax``, in e3nn's order, as the polynomials they are.

    Each name is :func:`sh_to_polynomial` of one basis vector: the component up to a positive factor.

    Examples
    --------
    >>> component_names(2)
    ['1', 'x', 'y', 'z', 'xz', 'xy', '-x^2 + 2y^2 - z^2', 'yz', '-x^2 + z^2']
    """
    return [name for l in range(as_lmax(lmax) + 1) for name in _block_names(l)]


@functools.cache
def _block_names(l: int) -> tuple[str, ...]:
    return tuple(sh_to_polynomial(torch.eye(2 * l + 1, dtype=torch.float64)[m], l) for m in range(2 * l + 1))


def _sphere_points(n: int) -> torch.Tensor:
    """``n`` seeded random directions, shape :math:`(n, 3)`: samples on which a polynomial is fitted."""
    points = torch.randn(n, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    return points / points.norm(dim=1, keepdim=True)
