r"""A point group acting on e3nn's spherical harmonics, and the projectors onto its irreps there."""

from __future__ import annotations

import torch
from e3nn import o3

from ..equivariance import irreps_matrix
from .characters import CharacterTable, character_table
from .elements import multiplication_table
from .frames import canonical_frame
from .point_groups import PointGroup, as_group, generators
from .reductions import as_irrep


def representation(group: PointGroup, irreps: str | o3.Irreps) -> torch.Tensor:
    r"""e3nn's Wigner matrices :math:`D(g)` of ``irreps`` for every element, float64, shape :math:`(|G|, d, d)`.

    :func:`~symmetry_tasks.equivariance.irreps_matrix` of the group's generators (those of the standard group,
    turned by the canonical frame), multiplied out along the multiplication table: :math:`D(g h) = D(g) D(h)`.
    Products of up to a dozen generators keep float64 accuracy (about 1e-14).
    """
    irreps = o3.Irreps(irreps)
    frame = canonical_frame(group)
    table = multiplication_table(group.array)
    moves = [group.index(frame @ g @ frame.T) for g in generators(group.name)]
    matrices: list[torch.Tensor | None] = [None] * group.order
    matrices[0] = torch.eye(irreps.dim, dtype=torch.float64)
    steps = {k: irreps_matrix(irreps, group.matrices[k]) for k in moves}
    frontier = [0]
    while frontier:
        fresh = []
        for a in frontier:
            for k in moves:
                b = int(table[k, a])
                if matrices[b] is None:
                    matrices[b] = steps[k] @ matrices[a]
                    fresh.append(b)
        frontier = fresh
    return torch.stack(matrices)


def projector(chi: torch.Tensor, dimension: int, matrices: torch.Tensor) -> torch.Tensor:
    r""":math:`\frac{d}{|G|}\sum_g \chi(g)^* D(g)` for a character given on every element, real part."""
    weights = chi.conj() * dimension / len(matrices)
    return torch.einsum("g,gij->ij", weights, matrices.to(chi.dtype)).real


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
    group = as_group(group)
    ir = as_irrep(ir)
    table = character_table(group)
    resolved = table.resolve(label)
    chi = table.character(resolved)
    if bool((chi.imag.abs() > 1e-9).any()):
        pair = next(pair for pair in table.real_irreps if resolved in pair.split("+"))
        raise ValueError(
            f"irrep {label!r} of {group.name} is complex and has no real projector; "
            f"project onto the real pair {pair!r}"
        )
    return label_projector(table, resolved, representation(group, o3.Irreps([(1, ir)])))


def label_projector(table: CharacterTable, label: str, matrices: torch.Tensor) -> torch.Tensor:
    """:func:`irrep_projector` from a table and the :math:`D(g)` at hand (a complex pair: both, summed)."""
    chi = table.character(label)
    dimension = round(float(chi[0].real)) // (2 if "+" in label else 1)  # each of a pair is one-dimensional
    return projector(chi, dimension, matrices)
