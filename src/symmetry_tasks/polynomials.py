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
from typing import TYPE_CHECKING

import numpy as np

from ._degrees import as_lmax
from .wigner import spherical_harmonics

if TYPE_CHECKING:
    import sympy
    import torch

#: Integral normalisation (``o3.spherical_harmonics``' default), the component-normalised harmonics over this.
_INTEGRAL = math.sqrt(4 * math.pi)


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
    import torch

    lmax = as_lmax(lmax)
    polynomial = _parse_polynomial(expression)
    degree = polynomial.total_degree()
    if degree > lmax:
        raise ValueError(
            f"{expression!r} has degree {degree} > lmax = {lmax}; it is not band-limited to lmax"
        )
    points = _sphere_points(4 * (lmax + 1) ** 2 + 16)
    target = sum(
        (float(c) * np.prod(points ** np.array(e), axis=1) for e, c in polynomial.terms()),
        np.zeros(len(points)),
    )
    basis = np.concatenate([spherical_harmonics(l, points) for l in range(lmax + 1)], axis=1) / _INTEGRAL
    coefficients = np.linalg.lstsq(basis, target, rcond=None)[0]
    return torch.tensor(np.where(np.abs(coefficients) < 1e-12, 0.0, coefficients), dtype=torch.float64)


def _parse_polynomial(expression: str) -> sympy.Poly:
    import sympy

    if not isinstance(expression, str):
        raise TypeError(f"expression must be a str such as 'x^2 - y^2', got {type(expression).__name__}")
    xyz = sympy.symbols("x y z", real=True)
    try:
        parsed = sympy.sympify(expression.replace("^", "**"), locals=dict(zip("xyz", xyz, strict=True)))
        polynomial = sympy.Poly(parsed, *xyz)
    except (sympy.SympifyError, sympy.PolynomialError, TypeError, SyntaxError) as error:
        raise ValueError(f"expression must be a polynomial in x, y, z, got {expression!r}") from error
    return polynomial


def sh_to_polynomial(vector: object, l: int) -> str:
    r"""The Cartesian polynomial of degree ``l`` with coefficients ``vector`` in e3nn's basis, as text.

    The harmonic polynomial :math:`\sum_m v_m\, r^l Y^l_m(\hat r)` is written in monomials and scaled by a
    positive factor so that its smallest coefficient has magnitude 1; surds are recognised. The text is
    sympy's (``sstr`` in lexicographic order, ``**`` written ``^`` and ``*`` left out), computed without sympy.

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
    if hasattr(vector, "detach"):  # a torch tensor
        vector = vector.detach().cpu().numpy()
    coefficients = np.asarray(vector, dtype=np.float64).ravel()
    if coefficients.shape != (2 * l + 1,):
        raise ValueError(
            f"vector must have 2l + 1 = {2 * l + 1} entries for l = {l}, got {coefficients.size}"
        )
    if not bool(np.isfinite(coefficients).all()) or float(np.abs(coefficients).max()) < 1e-12:
        raise ValueError(f"vector must be finite and non-zero, got {coefficients.tolist()}")
    exponents, points, design = _monomial_design(l)
    values = spherical_harmonics(l, points) @ coefficients
    fit = np.linalg.lstsq(design, values, rcond=None)[0]
    fit = np.where(np.abs(fit) < 1e-9 * np.abs(fit).max(), 0.0, fit)
    fit = fit / np.abs(fit[fit != 0]).min()
    terms = sorted(
        ((e, _exact(float(c))) for e, c in zip(exponents, fit, strict=True) if c != 0), reverse=True
    )
    text = ""
    for e, coefficient in terms:  # lexicographic order: x before y before z, higher powers first
        negative, word = _term(coefficient, e)
        sign = ("-" if negative else "") if not text else (" - " if negative else " + ")
        text += sign + word
    return text


@functools.cache
def _monomial_design(l: int) -> tuple[tuple[tuple[int, int, int], ...], np.ndarray, np.ndarray]:
    """The exponents of the monomials of degree ``l``, seeded sample points and the monomials' values there."""
    exponents = tuple((a, b, l - a - b) for a in range(l, -1, -1) for b in range(l - a, -1, -1))
    points = np.random.default_rng(0).standard_normal((4 * len(exponents), 3))
    design = np.prod(points[:, None, :] ** np.array(exponents, dtype=np.float64), axis=2)
    return exponents, points, design


def _exact(value: float) -> tuple[Fraction, int] | float:
    """``value`` as a small rational times the square root of a small integer (1 if rational), or rounded."""
    for root in (1, 2, 3, 5, 6, 7, 10, 14, 15, 21, 35):
        fraction = Fraction(value / math.sqrt(root)).limit_denominator(64)
        if abs(float(fraction) * math.sqrt(root) - value) < 1e-9 * max(1.0, abs(value)):
            return fraction, root
    return round(value, 6)


def _term(coefficient: tuple[Fraction, int] | float, exponents: tuple[int, int, int]) -> tuple[bool, str]:
    """Whether a term is negative, and its magnitude as sympy writes it: ``15x^4y^2/2``, ``sqrt(2)xz/3``."""
    monomial = [f"{v}^{n}" if n > 1 else v for v, n in zip("xyz", exponents, strict=True) if n]
    if isinstance(coefficient, float):  # sympy's Float, 15 digits, trailing zeros stripped
        import mpmath

        number = mpmath.libmp.to_str(mpmath.mpf(abs(coefficient))._mpf_, 15, strip_zeros=True)
        return coefficient < 0, "".join([number, *monomial])
    fraction, root = coefficient
    numerator = [str(abs(fraction.numerator))] if abs(fraction.numerator) != 1 else []
    numerator += [f"sqrt({root})"] if root != 1 else []
    word = "".join(numerator + monomial) or "1"
    return fraction < 0, word + (f"/{fraction.denominator}" if fraction.denominator != 1 else "")


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
    return tuple(sh_to_polynomial(row, l) for row in np.eye(2 * l + 1))


def _sphere_points(n: int) -> np.ndarray:
    """``n`` seeded random directions, shape :math:`(n, 3)`: samples on which a polynomial is fitted."""
    points = np.random.default_rng(0).standard_normal((n, 3))
    return points / np.linalg.norm(points, axis=1, keepdims=True)
