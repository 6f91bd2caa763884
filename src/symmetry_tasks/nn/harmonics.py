r"""e3nn's real spherical harmonics of edge directions, evaluated as one product with a monomial table.

:math:`Y^l` is a homogeneous polynomial of degree :math:`l` in the unit vector :math:`\hat r = (x, y, z)`,
so on the sphere

.. math::

    Y^l_m(\hat r) = \sum_{a + b + c = l} K^l_{abc,\,m}\; x^a y^b z^c .

The coefficients :math:`K` are solved once per ``lmax`` (least squares, float64) from
:func:`e3nn.o3.spherical_harmonics` itself (``normalize=True``, ``normalization="component"``), and the
harmonics of many directions are then one power, three gathers and one matrix product, instead of e3nn's
recursion of several hundred small operations. They agree with e3nn's to about :math:`10^{-14}`; the
test of :meth:`~symmetry_tasks.nn.EquivariantNetwork.to_e3nn` compares the whole network with one that
calls e3nn's function.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
from e3nn import o3

from .._checks import as_lmax


@functools.cache
def _exponents(lmax: int) -> tuple[tuple[int, int, int], ...]:
    """Exponents :math:`(a, b, c)` of the monomials of degree 0 to ``lmax``, degree by degree."""
    return tuple(
        (a, b, l - a - b) for l in range(lmax + 1) for a in range(l, -1, -1) for b in range(l - a, -1, -1)
    )


@functools.cache
def _coefficients(lmax: int) -> torch.Tensor:
    r"""Block-diagonal :math:`K`, shape (monomials, :math:`(l_\max + 1)^2`), fitted to e3nn in float64."""
    exponents = torch.tensor(_exponents(lmax), dtype=torch.float64)
    directions = torch.nn.functional.normalize(
        torch.randn(8 * (lmax + 1) ** 2, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0)),
        dim=1,
    )
    coefficients = torch.zeros(len(exponents), (lmax + 1) ** 2, dtype=torch.float64)
    for l in range(lmax + 1):
        rows = (exponents.sum(dim=1) == l).nonzero().flatten()
        monomials = (directions[:, None, :] ** exponents[rows]).prod(dim=-1)
        harmonics = o3.spherical_harmonics(l, directions, normalize=True, normalization="component")
        # numpy's solver: torch's (MKL) gives results that vary in the last bit from run to run
        solution = np.linalg.lstsq(monomials.numpy(), harmonics.numpy(), rcond=None)[0]
        coefficients[rows, l * l : (l + 1) ** 2] = torch.from_numpy(solution)
    return coefficients


class SphericalHarmonics(torch.nn.Module):
    r"""``Y(vectors)``: :math:`Y^0, \dots, Y^{l_\max}` of the directions of ``vectors``, e3nn's basis and normalisation.

    Parameters
    ----------
    lmax : int
        Highest degree.

    Examples
    --------
    >>> import torch
    >>> from e3nn import o3
    >>> vectors = torch.randn(5, 3, dtype=torch.float64)
    >>> ours = SphericalHarmonics(3)(vectors)
    >>> e3nn = o3.spherical_harmonics([0, 1, 2, 3], vectors, normalize=True, normalization="component")
    >>> ours.shape, bool((ours - e3nn).abs().max() < 1e-12)
    (torch.Size([5, 16]), True)
    """

    def __init__(self, lmax: int) -> None:
        super().__init__()
        self.lmax = as_lmax(lmax)
        exponents = torch.tensor(_exponents(self.lmax))
        self.register_buffer("coefficients", _coefficients(self.lmax).clone(), persistent=False)
        self.register_buffer("degrees", torch.arange(self.lmax + 1, dtype=torch.float64), persistent=False)
        # Columns of the flattened (3, lmax + 1) table of powers whose product is each monomial.
        factors = exponents + torch.arange(3) * (self.lmax + 1)
        self.register_buffer("factors", factors.flatten(), persistent=False)

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        r"""Harmonics of nonzero ``vectors`` (E, 3): shape :math:`(E, (l_\max + 1)^2)`, ``vectors``' dtype."""
        unit = vectors / vectors.norm(dim=1, keepdim=True)
        powers = (unit.unsqueeze(-1) ** self.degrees).flatten(1)  # (E, 3 (lmax + 1)): x^0.., y^0.., z^0..
        monomials = (
            powers.index_select(1, self.factors).view(len(unit), len(self.factors) // 3, 3).prod(dim=2)
        )
        return monomials @ self.coefficients
