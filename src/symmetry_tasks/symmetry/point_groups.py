r"""Finite point groups as sets of :math:`3 \times 3` orthogonal matrices, built from their names.

See :func:`point_group` for the standard orientation.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from .elements import (
    MATCH_TOL,
    as_array,
    closure,
    element_type,
    match,
    mirror,
    operations,
    rotation,
)
from .names import (
    CUBIC,
    MAX_AXIAL_ORDER,
    SETTINGS,
    crystal_system,
    family,
    hermann_mauguin,
    known_names,
    schoenflies,
    setting,
)

if TYPE_CHECKING:
    import torch

_Z = (0.0, 0.0, 1.0)


def _standard_generators(name: str) -> list[np.ndarray]:
    if name in CUBIC:
        base = [
            rotation(_Z, math.pi / (1 if name in ("T", "Th", "Td") else 2)),
            rotation((1, 1, 1), 2 * math.pi / 3),
        ]
        extra = {"T": [], "Th": [-np.eye(3)], "O": [], "Td": [mirror((1, -1, 0))], "Oh": [-np.eye(3)]}[name]
        return base + extra
    kind, n, suffix = family(name)
    if kind == "S":  # S_n about z: S1 = sigma_h, S2 = i
        return [mirror(_Z) @ rotation(_Z, 2 * math.pi / n)]
    generators = [rotation(_Z, 2 * math.pi / n)] if n > 1 else []
    odd_mirrors = n % 2 == 1 and suffix in ("v", "h") and kind + suffix != "Ch"  # 3m1, -6m2: m normal to x
    if kind == "D":
        # C2' along x; along y in D_nh of odd n (-6m2), where the mirrors are normal to x
        generators.append(rotation((0, 1, 0) if odd_mirrors else (1, 0, 0), math.pi))
    if suffix == "h":
        generators.append(mirror(_Z))
    elif suffix == "v":
        generators.append(mirror((1, 0, 0) if odd_mirrors else (0, 1, 0)))  # sigma_v: the plane yz or xz
    elif suffix == "d":  # sigma_d: the plane that bisects the C2' axes along 0 and pi/n
        generators.append(mirror((-math.sin(math.pi / (2 * n)), math.cos(math.pi / (2 * n)), 0)))
    return generators


#: The frame of each non-default setting (see ``symmetry_tasks.symmetry.names.SETTINGS``), the rotation
#: that takes the default setting onto it. A quarter turn about z for the trigonal and hexagonal pairs
#: (2-folds or mirror normals from x to y), an eighth turn for -4m2 (2-folds onto the diagonals, mirror
#: normals onto x and y), and the turns that take the 2-fold axis of mm2 from z onto x (2mm) or y (m2m).
_HALF = math.sqrt(0.5)
_SETTING_FRAMES = {
    "-4m2": ((_HALF, -_HALF, 0.0), (_HALF, _HALF, 0.0), (0.0, 0.0, 1.0)),
    "312": ((0.0, -1.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "31m": ((0.0, -1.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "-31m": ((0.0, -1.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "-62m": ((0.0, -1.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "2mm": ((0.0, 0.0, 1.0), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
    "m2m": ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (1.0, 0.0, 0.0)),
}


def setting_matrix(symbol: str) -> np.ndarray:
    """The rotation from the default setting of the group to the setting ``symbol`` (the identity for a default).

    Examples
    --------
    >>> setting_matrix("-62m").astype(int).tolist()
    [[0, -1, 0], [1, 0, 0], [0, 0, 1]]
    """
    other = setting(symbol)
    return np.array(_SETTING_FRAMES[other]) if other else np.eye(3)


def setting_frame(symbol: str) -> torch.Tensor:
    """:func:`setting_matrix` as a torch tensor, float64.

    Examples
    --------
    >>> setting_frame("-62m").int().tolist()
    [[0, -1, 0], [1, 0, 0], [0, 0, 1]]
    """
    import torch

    return torch.tensor(setting_matrix(symbol), dtype=torch.float64)


@cache
def standard_matrices(name: str) -> np.ndarray:
    """The elements of the named group in the standard orientation, numpy float64, shape :math:`(|G|, 3, 3)`.

    Computed once per name; the first element is the identity. Do not modify the returned array.
    """
    elements = closure(_standard_generators(schoenflies(name)))
    elements[np.abs(elements) < 1e-15] = 0.0  # no -0.0 or round-off dust
    elements.flags.writeable = False
    return elements


def generators(name: str) -> torch.Tensor:
    r"""Generators of the named group in the standard orientation, float64, shape :math:`(k, 3, 3)`.

    :math:`C_n` about :math:`z`, then :math:`C_2'` about :math:`x`, then a mirror (:math:`\sigma_h`,
    :math:`\sigma_v` or :math:`\sigma_d`); :math:`S_n` groups have the one rotoreflection; the cubic groups
    :math:`C_2` or :math:`C_4` about :math:`z` and :math:`C_3` about :math:`(1, 1, 1)`, then the inversion or
    the mirror across :math:`x = y`.

    Examples
    --------
    >>> generators("D4h").shape, generators("C1").shape
    (torch.Size([3, 3, 3]), torch.Size([0, 3, 3]))
    """
    import torch

    stack = _standard_generators(schoenflies(name))
    return torch.tensor(np.stack(stack) if stack else np.zeros((0, 3, 3)), dtype=torch.float64)


def element_signature(matrices: np.ndarray) -> tuple[tuple[tuple[int, int], int], ...]:
    """How many elements of each type (determinant, rotation angle) a group of matrices has: the key of
    :func:`identify`, which tells every group :func:`point_group` builds from every other."""
    return tuple(sorted(Counter(element_type(op) for op in operations(matrices)).items()))


@cache
def _known_signatures() -> dict[tuple, str]:
    known: dict[tuple, str] = {}
    for name in known_names():
        known.setdefault(element_signature(standard_matrices(name)), name)
    return known


def identify(matrices: object) -> str:
    """The Schoenflies name of a finite group of orthogonal matrices, in any orientation.

    Groups are told apart by the multiset of their element types (determinant and rotation angle of each
    element), which differs between all the groups that :func:`point_group` builds.

    Examples
    --------
    >>> identify(point_group("D4h").matrices)
    'D4h'
    """
    stack = as_array(matrices)
    try:
        return _known_signatures()[element_signature(stack)]
    except KeyError:
        raise ValueError(
            f"a group of order {len(stack)} that is not a point group known here (the 32 crystallographic "
            f"groups and the axial groups up to n = {MAX_AXIAL_ORDER})"
        ) from None


class PointGroup:
    r"""A finite group of orthogonal :math:`3 \times 3` matrices.

    The group holds its matrices as a read-only numpy array (:attr:`array`), and everything that names,
    tabulates or enumerates groups computes with those, without torch. :attr:`matrices` and :attr:`frame`
    are the same values as torch tensors, made on first use.

    Attributes
    ----------
    name : str
        Schoenflies name.
    array : numpy.ndarray
        float64, shape :math:`(|G|, 3, 3)`, read-only; the identity first.
    permutations : torch.Tensor or None
        For a group found by :func:`~symmetry_tasks.symmetry.symmetry_group`: long, shape :math:`(|G|, N)`,
        element :math:`g` maps point :math:`a` to point ``permutations[g, a]``.
    frame_array : numpy.ndarray or None
        A rotation :math:`R` (float64, :math:`3 \times 3`, read-only) such that the matrices are
        :math:`R\, g\, R^T` for the elements :math:`g` of ``point_group(name)``, in the same order, when it
        is known: the identity for :func:`point_group`, carried along by :meth:`transformed`. Otherwise
        :func:`~symmetry_tasks.symmetry.canonical_frame` finds one.
    """

    def __init__(
        self, name: str, matrices: object, permutations: object = None, frame: object = None
    ) -> None:
        self.name = name
        self.array = _read_only(as_array(matrices))
        self.permutations = permutations
        self.frame_array = None if frame is None else _read_only(as_array(frame))

    def __repr__(self) -> str:
        return f"PointGroup(name={self.name!r})"

    @functools.cached_property
    def matrices(self) -> torch.Tensor:
        r"""The elements as a torch tensor, float64, shape :math:`(|G|, 3, 3)`. Not to be modified in place."""
        import torch

        return torch.tensor(self.array, dtype=torch.float64)

    @functools.cached_property
    def frame(self) -> torch.Tensor | None:
        """:attr:`frame_array` as a torch tensor, float64, or ``None``."""
        import torch

        return None if self.frame_array is None else torch.tensor(self.frame_array, dtype=torch.float64)

    @property
    def order(self) -> int:
        """Number of elements :math:`|G|`."""
        return len(self.array)

    @property
    def hermann_mauguin(self) -> str:
        """The Hermann–Mauguin name, e.g. ``"4/mmm"``; the symbol of the setting for a group in another
        setting of the International Tables than the default (``"-4m2"``, ``"31m"``, ``"2mm"``, see
        ``symmetry_tasks.symmetry.names.SETTINGS``).

        Examples
        --------
        >>> point_group("-4m2").hermann_mauguin, point_group("D2d").hermann_mauguin
        ('-4m2', '-42m')
        """
        for symbol in SETTINGS.get(self.name, ())[1:]:
            other = point_group(symbol).array
            if self.order == len(other) and self.contains(PointGroup(self.name, other)):
                return symbol
        return hermann_mauguin(self.name)

    @property
    def crystal_system(self) -> str | None:
        """The crystal system (``"tetragonal"``), or ``None`` for a non-crystallographic group."""
        return crystal_system(self.name)

    def __len__(self) -> int:
        return self.order

    def index(self, matrix: object, tol: float = MATCH_TOL) -> int:
        """Position of ``matrix`` among the elements; ``ValueError`` if it is not one."""
        g = as_array(matrix)
        distances = np.abs(self.array - g).reshape(self.order, -1).max(axis=1)
        best = int(distances.argmin())
        if float(distances[best]) > tol:
            raise ValueError(f"matrix {g.tolist()} is not an element of {self.name}")
        return best

    def contains(self, other: PointGroup, tol: float = MATCH_TOL) -> bool:
        """Whether every element of ``other`` is an element of this group."""
        _, error = match(other.array, self.array)
        return bool((error <= tol).all())

    def check_subgroup(self, other: PointGroup) -> None:
        """Raise ``ValueError`` naming ``other`` unless it is a subgroup of this group."""
        if not isinstance(other, PointGroup):
            raise TypeError(f"expected a PointGroup, got {type(other).__name__}")
        if not self.contains(other):
            raise ValueError(
                f"{other.name} (in this orientation) is not a subgroup of {self.name}; "
                f"symmetry.subgroups({self.name!r}) lists the subgroups in this group's frame"
            )

    def rotations(self) -> PointGroup:
        """The proper rotations of the group: :math:`D_4` for :math:`D_{4h}`.

        Examples
        --------
        >>> point_group("D4h").rotations().name
        'D4'
        """
        proper = np.linalg.det(self.array) > 0
        keep = np.flatnonzero(proper)
        permutations = self.permutations[keep] if self.permutations is not None else None
        matrices = self.array[keep]
        name = identify(matrices)
        frame = None
        if self.frame_array is not None:  # the rotations of a standard group: a setting of its name (312)
            standard = standard_matrices(name)
            for symbol in SETTINGS.get(name, (name,)):
                candidate = self.frame_array @ setting_matrix(symbol)
                order, error = match(matrices, candidate @ standard @ candidate.T)
                if float(error.max()) <= MATCH_TOL:
                    frame, order = candidate, np.argsort(order)
                    matrices = matrices[order]
                    permutations = permutations[order] if permutations is not None else None
                    break
        return PointGroup(name, matrices, permutations, frame)

    def transformed(self, frame: object) -> PointGroup:
        r"""The same group seen in a rotated frame: :math:`g \mapsto R g R^T` for ``frame`` :math:`R`.

        The elements keep their order, so that a turned group has the same table, element by element.
        """
        rotation_ = _as_orthogonal(frame, "frame")
        proper = rotation_ * np.sign(np.linalg.det(rotation_))  # R and -R turn the group alike
        new_frame = proper @ self.frame_array if self.frame_array is not None else None
        return PointGroup(self.name, rotation_ @ self.array @ rotation_.T, self.permutations, new_frame)


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64)  # a copy the caller cannot change
    array.flags.writeable = False
    return array


def _as_orthogonal(matrix: object, what: str) -> np.ndarray:
    try:
        g = as_array(matrix)
    except TypeError as error:
        raise TypeError(f"{what} must be a 3x3 orthogonal matrix, got {type(matrix).__name__}") from error
    if g.shape != (3, 3) or not bool(np.isfinite(g).all()):
        raise ValueError(f"{what} must be a finite 3x3 orthogonal matrix, got shape {tuple(g.shape)}")
    error = float(np.abs(g @ g.T - np.eye(3)).max())
    if error > 1e-9:
        raise ValueError(f"{what} is not orthogonal (max |R R^T - 1| = {error:.2g}): {g.tolist()}")
    return g


def point_group(name: str) -> PointGroup:
    r"""The point group of that Schoenflies or Hermann–Mauguin name, in the standard orientation.

    The standard orientation is the default setting of the International Tables (as on the Bilbao
    Crystallographic Server):

    * the principal axis is :math:`z`;
    * the :math:`C_2'` axes, and the planes of the :math:`\sigma_v` mirrors, contain :math:`x`; the
      :math:`C_2''` axes and the :math:`\sigma_d` planes lie between them;
    * except where the default setting puts the mirrors normal to :math:`x` (``3m1``, ``-6m2``, and
      :math:`C_{nv}, D_{nh}` of odd :math:`n` alike): there the :math:`\sigma_v` planes contain
      :math:`y`, and so do the :math:`C_2'` axes of :math:`D_{nh}`. So :math:`C_{3v} \subset D_{3h}`,
      :math:`C_{3v} \subset D_{3d}`, :math:`C_{6v} \subset D_{6h}` and :math:`D_{2h} \subset D_{4h}` hold
      in this orientation;
    * the cubic groups have their twofold or fourfold axes along :math:`x, y, z` and their threefold axes
      along the body diagonals.

    A symbol of another setting (``-4m2``, ``312``, ``31m``, ``-31m``, ``-62m``, ``2mm``, ``m2m``) gives the
    same group in that setting's orientation: ``-4m2`` has its mirrors normal to :math:`x` and :math:`y`
    and its twofold axes along the diagonals, ``312`` its twofold axes along :math:`y`. Its frame is then
    ``setting_frame``, and its :attr:`~PointGroup.hermann_mauguin` that symbol.

    The elements are in a fixed order, the identity first, and the group carries its frame, the identity.

    Raises
    ------
    TypeError
        If ``name`` is not a ``str``.
    ValueError
        If it is not the name of a point group; the message suggests the closest names.

    Examples
    --------
    >>> [point_group(n).order for n in ("C4", "D4", "4/mmm", "D2h", "m-3m")]
    [4, 8, 16, 8, 48]
    >>> point_group("4/mmm").name, point_group("D3h").hermann_mauguin, point_group("-62m").hermann_mauguin
    ('D4h', '-6m2', '-62m')
    """
    canonical = schoenflies(name)
    group = PointGroup(canonical, standard_matrices(canonical), frame=np.eye(3))
    return group.transformed(setting_matrix(name)) if setting(name) else group


def as_group(group: object) -> PointGroup:
    """``group`` itself if it is a :class:`PointGroup`, the standard group if it is a name.

    Raises
    ------
    TypeError
        If ``group`` is neither.
    """
    if isinstance(group, PointGroup):
        return group
    if isinstance(group, str):
        return point_group(group)
    raise TypeError(f"expected a PointGroup or a point group name such as 'D4h', got {type(group).__name__}")
