r"""Displacements as spherical-harmonic signals, and Cartesian polynomials in e3nn's basis.

A displacement :math:`\vec d` is encoded as the band-limited signal on the sphere

.. math::

    f(\hat u) = \sum_{l=0}^{l_\max} c^l \cdot Y^l(\hat u),
    \qquad f \text{ peaks at } \hat u = \vec d / \|\vec d\| \text{ with } f(\hat d) = \|\vec d\|,

the coefficients being those of e3nn's :meth:`~e3nn.io.SphericalTensor.with_peaks_at`. Decoding finds the
peak again. The signal lives in ``SphericalTensor(lmax, 1, -1)``, the irreps
``0e + 1o + 2e + 3o + ...`` of the spherical harmonics of a polar vector.

e3nn orders each block by its own real spherical harmonics, whose polar axis is **y**: the ``l = 1`` block
is :math:`(x, y, z)` and the ``l = 2`` block is, up to constants,
:math:`xz,\ xy,\ y^2 - (x^2 + z^2)/2,\ yz,\ z^2 - x^2`. A polynomial such as :math:`x^2 - y^2` is therefore
a *combination* of components; :func:`polynomial_to_sh` and :func:`sh_to_polynomial` translate.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np
import scipy.optimize
import sympy
import torch
from e3nn import o3
from e3nn.io import SphericalTensor

from ._checks import as_lmax, as_points, lmax_of_width

#: The tutorial's band limit.
LMAX = 5

_XYZ = sympy.symbols("x y z", real=True)


def signal_irreps(lmax: int = LMAX) -> SphericalTensor:
    """The irreps of a signal on the sphere up to ``lmax``: ``SphericalTensor(lmax, 1, -1)``.

    Examples
    --------
    >>> signal_irreps(3)
    1x0e+1x1o+1x2e+1x3o
    """
    return SphericalTensor(as_lmax(lmax), 1, -1)


def displacement_signals(displacements: object, lmax: int = LMAX) -> torch.Tensor:
    r"""Encode each displacement as a signal peaking in its direction with value :math:`\|\vec d\|`.

    Parameters
    ----------
    displacements : array-like, shape :math:`(N, 3)`, :math:`N \geq 1`
    lmax : int
        Band limit.

    Returns
    -------
    torch.Tensor
        float64, shape :math:`(N, (l_\max + 1)^2)`; a zero displacement gives a zero row.

    Examples
    --------
    >>> s = displacement_signals([[0.0, 3.0, 4.0], [0.0, 0.0, 0.0]], lmax=4)
    >>> s.shape
    torch.Size([2, 25])
    >>> signal_irreps(4).signal_xyz(s[0], torch.tensor([0.0, 0.6, 0.8], dtype=torch.float64)).item()
    5.0...
    >>> bool(s[1].eq(0).all())
    True
    """
    vectors = as_points(displacements, "displacements", distinct=False)
    irreps = signal_irreps(lmax)
    # The signal is linear in the length: encode the direction scaled to its largest entry, then scale back,
    # so that no length underflows in e3nn's norm (a length of 1e-162 is 0 there on older torch).
    scales = vectors.abs().amax(dim=1)
    rows = [
        irreps.with_peaks_at((v / scale)[None]) * scale
        if scale > 0
        else torch.zeros(irreps.dim, dtype=torch.float64)
        for v, scale in zip(vectors, scales, strict=True)
    ]
    return torch.stack(rows)


def _fibonacci_sphere(n: int) -> torch.Tensor:
    i = torch.arange(n, dtype=torch.float64) + 0.5
    polar = torch.acos(1 - 2 * i / n)
    azimuth = math.pi * (1 + 5**0.5) * i
    return torch.stack([polar.sin() * azimuth.cos(), polar.sin() * azimuth.sin(), polar.cos()], dim=1)


def decode_displacements(signals: object, grid: int = 4000) -> torch.Tensor:
    r"""Decode each signal to the displacement its peak marks: direction of the maximum, times its value.

    The maximum is found by a search over ``grid`` nearly uniform directions, refined by BFGS on the
    sphere (direction accurate to about :math:`10^{-8}`). A zero signal, or one whose maximum is not
    positive, decodes to the zero vector.

    Parameters
    ----------
    signals : array-like, shape :math:`(N, (l_\max + 1)^2)`

    Returns
    -------
    torch.Tensor
        float64, shape :math:`(N, 3)`.

    Examples
    --------
    >>> d = torch.tensor([[0.3, -0.2, 0.1], [0.0, 0.0, 0.0]], dtype=torch.float64)
    >>> torch.allclose(decode_displacements(displacement_signals(d)), d, atol=1e-8)
    True
    """
    values = torch.as_tensor(signals, dtype=torch.float64).detach()
    if values.dim() != 2:
        raise ValueError(f"signals must have shape (N, (lmax + 1)^2), got {tuple(values.shape)}")
    if not bool(torch.isfinite(values).all()):
        raise ValueError("signals must be finite, got NaN or infinite entries")
    irreps = signal_irreps(lmax_of_width(values.shape[1]))
    directions = _fibonacci_sphere(grid)
    on_grid = irreps.signal_xyz(values, directions)  # (N, grid)
    decoded = torch.zeros(values.shape[0], 3, dtype=torch.float64)
    for row, (signal, samples) in enumerate(zip(values, on_grid, strict=True)):
        if float(samples.max()) <= 0:
            continue
        direction = _refine_peak(irreps, signal, directions[samples.argmax()])
        peak = irreps.signal_xyz(signal, direction)
        decoded[row] = direction * peak.clamp(min=0)
    return decoded


def _refine_peak(irreps: SphericalTensor, signal: torch.Tensor, start: torch.Tensor) -> torch.Tensor:
    """Maximise the signal over the sphere from ``start`` with BFGS on the unnormalised direction."""

    def negative(v: np.ndarray) -> tuple[float, np.ndarray]:
        u = torch.tensor(np.array(v), dtype=torch.float64, requires_grad=True)
        value = -irreps.signal_xyz(signal, u / u.norm())
        (grad,) = torch.autograd.grad(value, u)
        return float(value.detach()), grad.numpy()

    result = scipy.optimize.minimize(
        negative, start.numpy(), jac=True, method="BFGS", options={"gtol": 1e-12}
    )
    best = torch.tensor(result.x, dtype=torch.float64)
    return best / best.norm()


def polynomial_to_sh(expression: str, lmax: int = LMAX) -> torch.Tensor:
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
    points = _fibonacci_sphere(4 * (lmax + 1) ** 2 + 16)
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


def x2_minus_y2(lmax: int = LMAX) -> torch.Tensor:
    r"""The input feature direction of :math:`x^2 - y^2`: a unit ``l = 2`` block in a signal up to ``lmax``.

    In e3nn's basis this is :math:`(0, 0, -\sqrt3/2, 0, -1/2)` on the ``l = 2`` block, zero elsewhere.

    Examples
    --------
    >>> x2_minus_y2(2)[4:].numpy().round(4) + 0.0
    array([ 0.   ,  0.   , -0.866,  0.   , -0.5  ])
    """
    lmax = as_lmax(lmax)
    if lmax < 2:
        raise ValueError(f"x^2 - y^2 is an l = 2 function; it needs lmax >= 2, got lmax = {lmax}")
    coefficients = polynomial_to_sh("x^2 - y^2", lmax)
    return coefficients / coefficients.norm()


def component_names(lmax: int = LMAX) -> list[str]:
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
