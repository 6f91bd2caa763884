r"""Space groups of periodic structures with spglib, their operations in Cartesian form, and site symmetry.

spglib (:func:`spglib.get_symmetry_dataset`) finds the operations :math:`(W, w)` of a structure in
fractional coordinates, :math:`x \mapsto W x + w`. With the cell vectors as the rows of :math:`L`
(ASE's convention, :math:`r = L^T x`), the same operation in Cartesian coordinates is

.. math::

    r \mapsto R\, r + L^T w, \qquad R = L^T W L^{-T},

and :math:`R` is orthogonal. The point group of the crystal is the set of the :math:`R`; the *site
symmetry* of an atom is the subset of operations that leave it in place (up to a lattice vector), a point
group about that atom, which :func:`site_symmetry` returns as a
:class:`~symmetry_tasks.symmetry.PointGroup`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import spglib
import torch
from ase import Atoms
from e3nn import o3

from .._checks import as_features
from ..equivariance import irreps_matrix
from ..symmetry import PointGroup, from_matrices
from .structures import check_atoms


class SpaceGroup(NamedTuple):
    """A space-group type: its number in the International Tables and its Hermann–Mauguin symbol."""

    number: int  #: 1 to 230
    symbol: str  #: short Hermann–Mauguin symbol as spglib writes it, e.g. ``"Pnma"``

    def __str__(self) -> str:
        """The symbol and the number, as crystallographers write them.

        >>> print(SpaceGroup(62, "Pnma"))
        Pnma (62)
        """
        return f"{self.symbol} ({self.number})"


@dataclass(frozen=True)
class Operations:
    r"""The symmetry operations of a structure, each in Cartesian form and as a permutation of its atoms.

    Operation :math:`g` maps atom :math:`a` (position :math:`r_a`) onto atom ``permutations[g, a]``:
    :math:`R_g r_a + t_g = r_{\pi_g(a)}` up to a lattice vector. Pure lattice translations of a supercell
    are operations too, so a supercell has more of them than its primitive cell.
    """

    rotations: torch.Tensor  #: float64, (G, 3, 3), orthogonal Cartesian matrices R_g
    translations: torch.Tensor  #: float64, (G, 3), Cartesian translations t_g
    permutations: torch.Tensor  #: long, (G, N)
    fractional: tuple[np.ndarray, np.ndarray]  #: spglib's W, int (G, 3, 3), and w, float (G, 3)
    lattice: np.ndarray  #: (3, 3), the cell vectors as rows

    def __len__(self) -> int:
        return len(self.rotations)


def _as_symprec(symprec: object) -> float:
    if isinstance(symprec, bool) or not isinstance(symprec, (int, float)):
        raise TypeError(f"symprec must be a float (Å), got {symprec!r} of type {type(symprec).__name__}")
    if not 0 < symprec <= 0.1 or math.isnan(symprec):
        raise ValueError(f"symprec is a distance in Å and must be in (0, 0.1], got {symprec!r}")
    return float(symprec)


def _dataset(atoms: Atoms, symprec: float) -> spglib.SpglibDataset:
    cell = (np.asarray(atoms.cell[:]), atoms.get_scaled_positions(wrap=True), atoms.get_atomic_numbers())
    try:
        return spglib.get_symmetry_dataset(cell, symprec=symprec, _throw=True)
    except spglib.error.SpglibError as error:
        raise ValueError(
            f"spglib found no symmetry for this structure (symprec={symprec:g}): {error}"
        ) from None


def _nearest_orthogonal(matrix: np.ndarray) -> np.ndarray:
    u, _, vt = np.linalg.svd(matrix)
    return u @ vt


def _permutations(
    atoms: Atoms, rotations: np.ndarray, translations: np.ndarray, symprec: float
) -> np.ndarray:
    """Atom ``permutations[g, a]`` onto which operation g maps atom a; checked to be a bijection."""
    fractional = atoms.get_scaled_positions(wrap=True)
    numbers = atoms.get_atomic_numbers()
    lattice = np.asarray(atoms.cell[:])
    images = np.einsum("gij,aj->gai", rotations, fractional) + translations[:, None]
    gaps = images[:, :, None, :] - fractional[None, None]
    gaps -= np.round(gaps)
    distances = np.linalg.norm(gaps @ lattice, axis=3)
    distances[:, numbers[:, None] != numbers[None]] = np.inf
    permutations = distances.argmin(axis=2)
    worst = float(np.take_along_axis(distances, permutations[..., None], axis=2).max())
    if worst > 2 * symprec or any(len(set(row.tolist())) != len(atoms) for row in permutations):
        raise ValueError(
            f"spglib's operations do not permute the atoms within {2 * symprec:g} Å ({worst:.3g})"
        )
    return permutations


def symmetry_errors(ops: Operations, features: object, irreps: str | o3.Irreps) -> torch.Tensor:
    r"""How far each operation is from carrying the features: :math:`\max_a |D(g)\, x_a - x_{\pi_g(a)}|`.

    Relative to the largest feature entry; shape :math:`(G,)`. Zero for an operation of the decorated
    structure; an operation that breaks it moves some feature by about its own size.
    """
    irreps = o3.Irreps(irreps)
    carried = as_features(features, irreps.dim, ops.permutations.shape[1]).detach()
    scale = max(float(carried.abs().max()), 1e-300)
    errors = torch.zeros(len(ops), dtype=torch.float64)
    representations: dict[bytes, torch.Tensor] = {}
    for g, (rotation, permutation) in enumerate(zip(ops.rotations, ops.permutations, strict=True)):
        key = rotation.numpy().round(9).tobytes()
        if key not in representations:
            representations[key] = irreps_matrix(irreps, rotation)
        moved = carried @ representations[key].T
        errors[g] = float((moved - carried[permutation]).abs().max()) / scale
    return errors


def operations(atoms: Atoms, symprec: float = 1e-3) -> Operations:
    """Every symmetry operation of ``atoms`` that spglib finds, in Cartesian form, with its permutation.

    Parameters
    ----------
    atoms : ase.Atoms
        A periodic structure (see :func:`~symmetry_tasks.crystals.check_atoms`).
    symprec : float
        spglib's tolerance, a distance in Å, in :math:`(0, 0.1]`.

    Examples
    --------
    >>> from ase.build import bulk
    >>> ops = operations(bulk("Cu", "fcc", a=3.6, cubic=True))
    >>> len(ops), tuple(ops.permutations.shape)
    (192, (192, 4))
    """
    atoms, symprec = check_atoms(atoms), _as_symprec(symprec)
    dataset = _dataset(atoms, symprec)
    lattice = np.asarray(atoms.cell[:], dtype=np.float64)
    rotations = np.asarray(dataset.rotations, dtype=np.float64)
    translations = np.asarray(dataset.translations, dtype=np.float64)
    inverse = np.linalg.inv(lattice.T)
    cartesian = np.stack([_nearest_orthogonal(lattice.T @ w @ inverse) for w in rotations])
    permutations = _permutations(atoms, rotations, translations, symprec)
    return Operations(
        torch.tensor(cartesian),
        torch.tensor(translations @ lattice),
        torch.tensor(permutations, dtype=torch.long),
        (np.asarray(dataset.rotations), translations),
        lattice,
    )


def decorated_operations(
    ops: Operations, features: object, irreps: str | o3.Irreps | None, n_atoms: int, tol: float = 1e-6
) -> Operations:
    r"""The operations of ``ops`` that also carry ``features`` (N, dim): :math:`x_{\pi_g(a)} = D(g)\, x_a`.

    Within ``tol`` times the largest feature; ``irreps`` says how the features transform.
    """
    if irreps is None:
        raise ValueError("features need their irreps, e.g. irreps='1e'")
    as_features(features, o3.Irreps(irreps).dim, n_atoms)
    keep = (symmetry_errors(ops, features, irreps) <= tol).numpy()
    rotations, translations = ops.fractional
    return Operations(
        ops.rotations[keep],
        ops.translations[keep],
        ops.permutations[keep],
        (rotations[keep], translations[keep]),
        ops.lattice,
    )


def space_group(
    atoms: Atoms,
    symprec: float = 1e-3,
    *,
    features: object = None,
    irreps: str | o3.Irreps | None = None,
    tol: float = 1e-6,
) -> SpaceGroup:
    r"""The space group of ``atoms`` (number and Hermann–Mauguin symbol), found by spglib.

    With ``features`` (shape :math:`(N, \dim)`, transforming with ``irreps``), the space group of the
    structure *decorated* with them: the operations of the structure that also carry every atom's features
    onto its image's, :math:`x_{\pi_g(a)} = D(g)\, x_a` within ``tol`` times the largest feature, named by
    :func:`spglib.get_spacegroup_type_from_symmetry`.

    Parameters
    ----------
    atoms : ase.Atoms
        A periodic structure.
    symprec : float
        spglib's tolerance, a distance in Å, in :math:`(0, 0.1]`.
    features : array-like, optional
        Float64 features of the atoms, one row each.
    irreps : str or e3nn.o3.Irreps, optional
        Required with ``features``.
    tol : float
        Relative tolerance on the features.

    Examples
    --------
    >>> from ase.build import bulk
    >>> space_group(bulk("NaCl", "rocksalt", a=5.64))
    SpaceGroup(number=225, symbol='Fm-3m')
    >>> import torch
    >>> up = torch.tensor([[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]], dtype=torch.float64)  # a vector on Na only
    >>> space_group(bulk("NaCl", "rocksalt", a=5.64), features=up, irreps="1o")  # polar: a dipole
    SpaceGroup(number=107, symbol='I4mm')
    >>> space_group(bulk("NaCl", "rocksalt", a=5.64), features=up, irreps="1e")  # axial: a rotation
    SpaceGroup(number=87, symbol='I4/m')
    """
    atoms, symprec = check_atoms(atoms), _as_symprec(symprec)
    if features is None:
        dataset = _dataset(atoms, symprec)
        return SpaceGroup(int(dataset.number), str(dataset.international))
    ops = decorated_operations(operations(atoms, symprec), features, irreps, len(atoms), tol)
    rotations, translations = ops.fractional
    with warnings.catch_warnings():  # this function has no _throw: it returns None on failure, and warns
        warnings.filterwarnings("ignore", "Set OLD_ERROR_HANDLING", DeprecationWarning)
        found = spglib.get_spacegroup_type_from_symmetry(
            np.ascontiguousarray(rotations, dtype=np.intc),
            np.ascontiguousarray(translations),
            ops.lattice,
            symprec,
        )
    if found is None:
        raise ValueError(f"spglib could not name the group of the {len(ops)} operations kept")
    return SpaceGroup(int(found.number), str(found.international_short))


def site_symmetry(atoms: Atoms, i: int, symprec: float = 1e-3) -> PointGroup:
    r"""The point group of the operations that leave atom ``i`` in place, in the Cartesian frame.

    The rotations :math:`R_g` of the operations with :math:`\pi_g(i) = i` (see :func:`operations`), as a
    :class:`~symmetry_tasks.symmetry.PointGroup`: :func:`~symmetry_tasks.symmetry.order_parameters` and
    :func:`~symmetry_tasks.symmetry.character_table` apply to it, in the structure's orientation.

    Raises
    ------
    TypeError
        If ``i`` is not an int.
    ValueError
        If ``i`` is not the index of an atom, or for a bad structure (see
        :func:`~symmetry_tasks.crystals.check_atoms`).

    Examples
    --------
    >>> from ase.build import bulk
    >>> site_symmetry(bulk("NaCl", "rocksalt", a=5.64), 0).hermann_mauguin
    'm-3m'
    """
    atoms = check_atoms(atoms)
    if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
        raise TypeError(f"i must be the int index of an atom, got {i!r} of type {type(i).__name__}")
    if not 0 <= i < len(atoms):
        raise ValueError(f"i must be in [0, {len(atoms)}), got {i}")
    ops = operations(atoms, symprec)
    fixed = ops.permutations[:, int(i)] == int(i)
    rotations = ops.rotations[fixed]
    unique = [rotations[0]]
    for rotation in rotations[1:]:  # a supercell repeats no rotation at a fixed site, but be safe
        if all(float((rotation - kept).abs().max()) > 1e-6 for kept in unique):
            unique.append(rotation)
    return from_matrices(torch.stack(unique))
