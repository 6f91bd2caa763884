r"""e3nn's real spherical harmonics of edge directions, evaluated as one product with a monomial table.

:math:`Y^l` is a homogeneous polynomial of degree :math:`l` in the unit vector :math:`\hat r = (x, y, z)`,
so on the sphere

.. math::

    Y^l_m(\hat r) = \sum_{a + b + c = l} K^l_{abc,\,m}\; x^a y^b z^c .

The coefficients :math:`K` are solved once per ``lmax`` (least squares, float64) from
:func:`e3nn.o3.spherical_harmonics` itself (``normalize=True``, ``normalization="component"``), and the
harmonics of many directions are then the powers of the coordinates (one operation), one gather, one
product over three factors and one matrix product, instead of e3nn's recursion of several hundred small
operations. The edges are held by column (one row per power, monomial or harmonic, one column per edge),
so that each of these operations runs over contiguous rows. They agree with e3nn's to about
:math:`10^{-14}`; the test of :meth:`~symmetry_tasks.nn.EquivariantNetwork.to_e3nn` compares the whole
network with one that calls e3nn's function.
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
        coefficients = _coefficients(self.lmax)
        #: K transposed, (harmonics, monomials), and halved (with the factor 1/2 of the cutoff folded in)
        self.register_buffer("coefficients_t", coefficients.T.contiguous(), persistent=False)
        self.register_buffer("halved_t", coefficients.T / 2, persistent=False)
        #: (1, lmax + 1, 1) the powers 0 .. lmax, raised to in one operation (:meth:`columns`)
        self.register_buffer(
            "powers", torch.arange(self.lmax + 1, dtype=torch.float64)[None, :, None], persistent=False
        )
        # Rows of the table [1, x, .., x^lmax, 1, y, .., 1, z, .., z^lmax] whose product is each monomial.
        exponents = torch.tensor(_exponents(self.lmax))
        rows = exponents + torch.arange(3) * (self.lmax + 1)
        self.register_buffer("factors", rows.flatten(), persistent=False)

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        r"""Harmonics of nonzero ``vectors`` (E, 3): shape :math:`(E, (l_\max + 1)^2)`, ``vectors``' dtype."""
        return self.columns(vectors.T, vectors.norm(dim=1)).T

    def columns(
        self, vectors_t: torch.Tensor, lengths: torch.Tensor, cosines: torch.Tensor | None = None
    ) -> torch.Tensor:
        r"""Harmonics by column, shape :math:`((l_\max + 1)^2, E)`, of ``vectors_t`` (3, E) of norms
        ``lengths`` (E,).

        With ``cosines`` :math:`c` (E,), each column is multiplied by :math:`(1 - c) / 2`, in the same
        matrix product and one fused multiply-add (:math:`Y/2 - c\, Y/2`).
        """
        unit = vectors_t / lengths
        # the powers x^0 .. x^lmax of each coordinate, (3 (lmax + 1), E)
        table = torch.pow(unit.unsqueeze(1), self.powers).flatten(0, 1)
        monomials = (
            table.index_select(0, self.factors).view(len(self.factors) // 3, 3, unit.shape[1]).prod(dim=1)
        )
        if cosines is None:
            return self.coefficients_t @ monomials
        halved = self.halved_t @ monomials
        return torch.addcmul(halved, halved, cosines, value=-1)
