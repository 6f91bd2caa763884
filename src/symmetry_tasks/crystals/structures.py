r"""Periodic structures as ASE :class:`~ase.Atoms`: the checks every crystal function runs on its input.

A structure is accepted when it is an :class:`ase.Atoms` that is periodic along all three cell vectors,
with a non-singular cell, finite positions, and no two atoms (periodic images included) closer than
``MIN_DISTANCE``. The distances come from ASE's neighbour list (:func:`ase.neighborlist.neighbor_list`).
"""

from __future__ import annotations

import numpy as np
from ase import Atoms
from ase.neighborlist import neighbor_list

#: Two atoms closer than this (in Å, images included) overlap; no crystal has bonds this short.
MIN_DISTANCE = 0.5


def check_atoms(atoms: object) -> Atoms:
    """Return ``atoms`` after checking that it is a sound periodic structure.

    Raises
    ------
    TypeError
        If ``atoms`` is not an :class:`ase.Atoms`.
    ValueError
        If it has no atoms, is not periodic along all three cell vectors, its cell is singular, a position
        is not finite, or two atoms are closer than ``MIN_DISTANCE`` (the message names them).

    Examples
    --------
    >>> from ase.build import bulk
    >>> len(check_atoms(bulk("NaCl", "rocksalt", a=5.64)))
    2
    """
    if not isinstance(atoms, Atoms):
        raise TypeError(f"expected an ase.Atoms, got {type(atoms).__name__}")
    if len(atoms) == 0:
        raise ValueError("the structure has no atoms")
    if not atoms.pbc.all():
        raise ValueError(
            f"the structure must be periodic along all three cell vectors, got pbc={atoms.pbc.tolist()}"
        )
    cell = np.asarray(atoms.cell[:], dtype=np.float64)
    volume = abs(float(np.linalg.det(cell)))
    if not np.isfinite(cell).all() or volume <= 1e-6 * max(float(np.abs(cell).max()), 1e-300) ** 3:
        raise ValueError(f"the cell is singular or not finite: {cell.tolist()}")
    positions = atoms.get_positions()
    if not np.isfinite(positions).all():
        row = int((~np.isfinite(positions)).any(axis=1).nonzero()[0][0])
        raise ValueError(f"positions must be finite, got {positions[row].tolist()} at row {row}")
    first, second, distance = neighbor_list("ijd", atoms, MIN_DISTANCE)
    if len(distance):
        k = int(np.argmin(distance))
        raise ValueError(
            f"atoms {first[k]} and {second[k]} overlap: {distance[k]:.3g} Å apart (images included), "
            f"less than {MIN_DISTANCE} Å"
        )
    return atoms


def rotated(atoms: Atoms, rotation: object) -> Atoms:
    r"""A copy of ``atoms`` with its cell and positions turned by the orthogonal matrix ``rotation``.

    Positions :math:`r \mapsto R\, r` and cell vectors :math:`a_i \mapsto R\, a_i`: the same crystal, seen
    in another Cartesian frame (an improper :math:`R` gives its mirror image).

    Examples
    --------
    >>> from ase.build import bulk
    >>> turned = rotated(bulk("Cu", "fcc", a=3.6), [[0, -1, 0], [1, 0, 0], [0, 0, 1]])
    >>> turned.cell[0].round(2).tolist()
    [-1.8, 0.0, 1.8]
    """
    matrix = np.asarray(rotation, dtype=np.float64)
    if matrix.shape != (3, 3) or not np.allclose(matrix @ matrix.T, np.eye(3), atol=1e-9):
        raise ValueError(f"rotation must be a 3x3 orthogonal matrix, got {matrix.tolist()}")
    turned = atoms.copy()
    turned.set_cell(atoms.cell[:] @ matrix.T, scale_atoms=False)
    turned.set_positions(atoms.get_positions() @ matrix.T)
    return turned
