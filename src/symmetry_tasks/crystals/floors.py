r"""The Curie floor of a crystal: the best any equivariant model can do on an input with a space group.

As for a finite shape (:func:`symmetry_tasks.symmetry.curie_floor`), an equivariant model's output on a
structure keeps every symmetry of its input: for each operation :math:`g` (rotation :math:`R_g`, atom
permutation :math:`\pi_g`, see :func:`~symmetry_tasks.crystals.operations`),
:math:`f_{\pi_g(a)} = D(R_g)\, f_a`. The outputs that obey this are a linear subspace, and the targets'
orthogonal projection onto it is the average over the space group's operations in the cell,

.. math::

    \bar t_a = \frac{1}{|G|} \sum_{g} D(R_g)^T\, t_{\pi_g(a)},

so no equivariant model reaches a mean squared error below :math:`\overline{(t - \bar t)^2}`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from ase import Atoms
from e3nn import o3

from .._checks import as_features
from ..equivariance import irreps_matrix
from .space_groups import Operations, decorated_operations, operations


@dataclass(frozen=True)
class CrystalFloor:
    """The Curie floor of a periodic problem and what it is made of."""

    floor: float  #: smallest mean squared error any equivariant model can reach
    operations: int  #: number of symmetry operations of the input in the cell
    best: torch.Tensor  #: (N, dim) the best symmetric output, the group average of the targets


def symmetric_projection(ops: Operations, targets: torch.Tensor, irreps: str | o3.Irreps) -> torch.Tensor:
    r"""The group average :math:`\bar t` of ``targets`` (N, dim) over the operations ``ops``."""
    irreps = o3.Irreps(irreps)
    wanted = as_features(targets, irreps.dim, ops.permutations.shape[1], name="targets").detach()
    total = torch.zeros_like(wanted)
    representations: dict[bytes, torch.Tensor] = {}
    for rotation, permutation in zip(ops.rotations, ops.permutations, strict=True):
        key = rotation.numpy().round(9).tobytes()
        if key not in representations:
            representations[key] = irreps_matrix(irreps, rotation)
        total += wanted[permutation] @ representations[key]
    return total / len(ops)


def curie_floor(
    atoms: Atoms,
    targets: object,
    irreps_out: str | o3.Irreps,
    *,
    features: object = None,
    irreps_in: str | o3.Irreps | None = None,
    symprec: float = 1e-3,
) -> CrystalFloor:
    r"""The smallest mean squared error that *any* equivariant model reaches on this crystal.

    The input's operations are those of ``atoms`` (spglib tells the species apart), and with
    ``features`` only those that carry them too. The error is averaged over all :math:`N \times \dim`
    entries, like :func:`torch.nn.functional.mse_loss`.

    Examples
    --------
    >>> import torch
    >>> from symmetry_tasks.crystals import perovskite
    >>> cubic = perovskite("a0a0a0")
    >>> moved = torch.tensor(perovskite("a0a0c-", (0, 0, 5)).positions - cubic.positions)
    >>> floor = curie_floor(cubic, moved, "1o")
    >>> floor.operations, round(floor.floor / float(moved.pow(2).mean()), 12)  # nothing can be kept
    (384, 1.0)
    """
    irreps_out = o3.Irreps(irreps_out)
    ops = operations(atoms, symprec)
    if features is not None:
        ops = decorated_operations(ops, features, irreps_in, len(atoms))
    wanted = as_features(targets, irreps_out.dim, len(atoms), name="targets").detach()
    best = symmetric_projection(ops, wanted, irreps_out)
    return CrystalFloor(float((wanted - best).pow(2).mean()), len(ops), best)
