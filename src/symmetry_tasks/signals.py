r"""Displacements as spherical-harmonic signals: the tutorial's encoding.

A displacement :math:`\vec d` is encoded as the band-limited signal on the sphere

.. math::

    f(\hat u) = \sum_{l=0}^{l_\max} c^l \cdot Y^l(\hat u),
    \qquad f \text{ peaks at } \hat u = \vec d / \|\vec d\| \text{ with } f(\hat d) = \|\vec d\|,

the coefficients being those of e3nn's :meth:`~e3nn.io.SphericalTensor.with_peaks_at`. Decoding finds the
peak again. The signal lives in ``SphericalTensor(lmax, 1, -1)``, the irreps
``0e + 1o + 2e + 3o + ...`` of the spherical harmonics of a polar vector. The tutorial's symmetry-breaking
input :func:`x2_minus_y2` is one direction of this signal space, built from the polynomial with
:func:`~symmetry_tasks.polynomials.polynomial_to_sh` (the generic translation between Cartesian
polynomials and e3nn's basis lives in :mod:`symmetry_tasks.polynomials`).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.optimize
import torch
from e3nn.io import SphericalTensor

from ._checks import as_lmax, as_points, lmax_of_width
from .polynomials import polynomial_to_sh

#: The tutorial's band limit.
LMAX = 5


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
