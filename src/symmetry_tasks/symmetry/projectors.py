r"""A point group acting on e3nn's spherical harmonics, and the projectors onto its irreps there.

The Wigner matrices come from :mod:`symmetry_tasks.wigner` and the projectors are computed with numpy, so
that the command line finds order parameters without torch; :func:`representation` and
:func:`irrep_projector` hand out torch tensors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..wigner import representation_matrices, wigner_matrices
from .characters import CharacterTable, character_table
from .point_groups import PointGroup, as_group

if TYPE_CHECKING:
    import torch
    from e3nn import o3


def representation(group: PointGroup, irreps: str | o3.Irreps) -> torch.Tensor:
    r"""e3nn's Wigner matrices :math:`D(g)` of ``irreps`` for every element, float64, shape :math:`(|G|, d, d)`.

    :func:`~symmetry_tasks.wigner.representation_matrices` of the group's elements, as a torch tensor:
    accurate to a few :math:`10^{-15}` (:math:`10^{-14}` at :math:`l = 12`).
    """
    import torch

    from ..equivariance import irreps_blocks

    return torch.from_numpy(representation_matrices(irreps_blocks(irreps), group.array))


def projector(chi: np.ndarray, dimension: int, matrices: np.ndarray) -> np.ndarray:
    r""":math:`\frac{d}{|G|}\sum_g \chi(g)^* D(g)` for a character given on every element, real part (numpy)."""
    weights = chi.conj() * dimension / len(matrices)
    return np.einsum("g,gij->ij", weights, matrices).real


def irrep_projector(group: PointGroup | str, label: str, ir: str | o3.Irrep) -> torch.Tensor:
    r"""Projector onto the part of e3nn's degree-:math:`l` harmonics ``ir`` that transforms as ``label``.

    .. math::

        P_\Gamma = \frac{d_\Gamma}{|G|} \sum_{g \in G} \chi_\Gamma(g)^*\, D^{\mathrm{ir}}(g),

    with :math:`D^{\mathrm{ir}}(g)` e3nn's (float64) Wigner matrix of ``ir`` for the element :math:`g`
    (including the parity :math:`p` for improper :math:`g`). :math:`P_\Gamma` is real, symmetric and
    idempotent, commutes with every :math:`D(g)`, and the projectors of all of ``group``'s irreps over the
    reals (:attr:`~symmetry_tasks.symmetry.CharacterTable.real_irreps`) sum to the identity. Its trace is the
    number of components of ``ir`` in :math:`\Gamma`, :math:`d_\Gamma` times the multiplicity given by
    :func:`~symmetry_tasks.symmetry.decompose`.

    A complex-conjugate pair such as :math:`C_4`'s 1E and 2E is one real irrep of dimension 2: project onto
    it with ``label="1E+2E"`` or just ``"E"``, :math:`P = P_{1E} + P_{2E}`. A single complex label is refused,
    since its projector is not real.

    Parameters
    ----------
    group : PointGroup or str
    label : str
        An irrep of ``character_table(group)``, e.g. ``"B1g"``; a complex pair as ``"1E+2E"`` or ``"E"``.
    ir : str or e3nn.o3.Irrep
        E.g. ``"2e"``: the harmonics of degree :math:`l` and parity :math:`p`.

    Returns
    -------
    torch.Tensor
        float64, shape :math:`(2l+1, 2l+1)`, acting on e3nn's coefficient vectors of degree :math:`l`.

    Raises
    ------
    ValueError
        If ``label`` is not an irrep of ``group``, is a single complex irrep, or ``ir`` is not an e3nn irrep.

    Examples
    --------
    The square's :math:`B_{1g}` part of the :math:`l = 2` harmonics is the line through :math:`x^2 - y^2`,
    the unit vector :math:`(0, 0, -\sqrt{3}/2, 0, -1/2)` in e3nn's basis:

    >>> p = irrep_projector("D4h", "B1g", "2e")
    >>> round(float(p.trace()), 6), p[2:5:2, 2:5:2].round(decimals=4).tolist()
    (1.0, [[0.75, 0.433], [0.433, 0.25]])
    >>> round(float(irrep_projector("C4", "E", "1o").trace()), 6)  # (x, y)
    2.0
    """
    import torch

    from .reductions import as_irrep  # e3nn's irreps: imported here, not on the command line's path

    group = as_group(group)
    ir = as_irrep(ir)
    table = character_table(group)
    resolved = table.resolve(label)
    if bool((np.abs(table.class_values(resolved).imag) > 1e-9).any()):
        pair = next(pair for pair in table.real_irreps if resolved in pair.split("+"))
        raise ValueError(
            f"irrep {label!r} of {group.name} is complex and has no real projector; "
            f"project onto the real pair {pair!r}"
        )
    matrices = wigner_matrices(ir.l, ir.p, group.array)
    return torch.from_numpy(label_projector(table, resolved, matrices))


def label_projector(table: CharacterTable, label: str, matrices: np.ndarray) -> np.ndarray:
    """:func:`irrep_projector` from a table and the :math:`D(g)` at hand (a complex pair: both, summed), numpy."""
    chi = table.class_values(label)[table.class_index]
    dimension = round(float(chi[0].real)) // (2 if "+" in label else 1)  # each of a pair is one-dimensional
    return projector(chi, dimension, matrices)
