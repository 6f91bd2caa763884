r"""Finite point groups as sets of :math:`3 \times 3` orthogonal matrices, by name or from a point cloud.

:func:`point_group` builds a group from its Schoenflies name in the standard orientation: principal axis
:math:`z`; :math:`C_2'` axes and :math:`\sigma_v` normals along :math:`x` and :math:`y`;
:math:`C_2''` axes and :math:`\sigma_d` normals along the diagonals. :func:`symmetry_group` finds the
group of orthogonal maps :math:`g` that permute a point cloud, :math:`g\, r_a = r_{\pi_g(a)}`, and,
when the points carry features :math:`x_a` in some irreps, also carry them along:
:math:`x_{\pi_g(a)} = D(g)\, x_a`.

Groups are identified by the multiset of their element types (determinant and rotation angle of
:math:`\det(g)\, g`), which tells apart all the point groups listed in :data:`NAMES` and the axial groups
:math:`C_n, C_{nv}, C_{nh}, S_{2n}, D_n, D_{nh}, D_{nd}` up to :math:`n = 12`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import torch
from e3nn import o3

from .._checks import as_features, as_points
from ..equivariance import wigner_D

if TYPE_CHECKING:
    from .characters import CharacterTable

#: The 32 crystallographic point groups (Schoenflies names).
NAMES = (
    "C1", "Ci", "C2", "Cs", "C2h", "D2", "C2v", "D2h",
    "C4", "S4", "C4h", "D4", "C4v", "D2d", "D4h",
    "C3", "S6", "D3", "C3v", "D3d",
    "C6", "C3h", "C6h", "D6", "C6v", "D3h", "D6h",
    "T", "Th", "O", "Td", "Oh",
)  # fmt: skip

_AXIAL = re.compile(r"^(C|D|S)(\d+)(h|v|d)?$")
_TOL = 1e-6
F64 = torch.float64


def _rotation(axis: tuple[float, float, float], angle: float) -> torch.Tensor:
    axis_ = torch.tensor(axis, dtype=F64)
    return o3.axis_angle_to_matrix(axis_ / axis_.norm(), torch.tensor(angle, dtype=F64))


def _mirror(normal: tuple[float, float, float]) -> torch.Tensor:
    n = torch.tensor(normal, dtype=F64)
    n = n / n.norm()
    return torch.eye(3, dtype=F64) - 2 * torch.outer(n, n)


_INVERSION = -torch.eye(3, dtype=F64)
_SIGMA_H = _mirror((0, 0, 1))
_C2X = _rotation((1, 0, 0), math.pi)


def _generators(name: str) -> list[torch.Tensor]:
    """Generators of the named group in the standard orientation."""
    cubic = {
        "T": [_rotation((0, 0, 1), math.pi), _rotation((1, 1, 1), 2 * math.pi / 3)],
        "O": [_rotation((0, 0, 1), math.pi / 2), _rotation((1, 1, 1), 2 * math.pi / 3)],
    }
    special = {
        "C1": [],
        "Ci": [_INVERSION],
        "Cs": [_SIGMA_H],
        "T": cubic["T"],
        "Th": [*cubic["T"], _INVERSION],
        "Td": [*cubic["T"], _mirror((1, -1, 0))],
        "O": cubic["O"],
        "Oh": [*cubic["O"], _INVERSION],
    }
    if name in special:
        return special[name]
    match = _AXIAL.match(name)
    if match is None or int(match[2]) < 1 or (match[1] == "S" and (match[3] or int(match[2]) % 2)):
        raise ValueError(
            f"unknown point group {name!r}; known: {', '.join(NAMES)} and Cn, Cnv, Cnh, Dn, Dnh, Dnd, S2n"
        )
    kind, n, suffix = match[1], int(match[2]), match[3]
    if kind == "S":
        return [_SIGMA_H @ _rotation((0, 0, 1), 2 * math.pi / n)]
    generators = [_rotation((0, 0, 1), 2 * math.pi / n)]
    if kind == "D":
        generators.append(_C2X)
    if suffix == "h":
        generators.append(_SIGMA_H)
    elif suffix == "v":
        generators.append(_mirror((1, 0, 0)))
    elif suffix == "d":
        if kind != "D":
            raise ValueError(f"unknown point group {name!r}: the suffix d goes with D (Dnd)")
        angle = math.pi / (2 * n) + math.pi / 2  # the plane bisects two neighbouring C2' axes
        generators.append(_mirror((math.cos(angle), math.sin(angle), 0)))
    return generators


def _closure(generators: list[torch.Tensor], limit: int = 240) -> torch.Tensor:
    elements = [torch.eye(3, dtype=F64)]
    frontier = list(elements)
    while frontier:
        new = []
        for a in frontier:
            for g in generators:
                b = g @ a
                if not any(torch.allclose(b, c, atol=1e-9) for c in elements):
                    elements.append(b)
                    new.append(b)
                    if len(elements) > limit:
                        raise ValueError(
                            f"the generators produce more than {limit} elements: not a point group"
                        )
        frontier = new
    return torch.stack(elements)


def _element_type(g: torch.Tensor) -> tuple[int, int]:
    """(det, rotation angle of det * g in units of 2 pi / 720, rounded): a conjugation invariant."""
    det = round(float(torch.linalg.det(g)))
    cosine = ((det * g).trace() - 1) / 2
    angle = math.acos(max(-1.0, min(1.0, float(cosine))))
    return det, round(angle / (2 * math.pi) * 720)


def _signature(matrices: torch.Tensor) -> tuple[tuple[tuple[int, int], int], ...]:
    return tuple(sorted(Counter(_element_type(g) for g in matrices).items()))


@cache
def _known_signatures() -> dict[tuple, str]:
    names = list(NAMES)
    for n in range(2, 13):
        names += [f"C{n}", f"C{n}v", f"C{n}h", f"D{n}", f"D{n}h", f"D{n}d", f"S{2 * n}"]
    known: dict[tuple, str] = {}
    for name in names:
        known.setdefault(_signature(_closure(_generators(name))), name)
    return known


def identify(matrices: torch.Tensor) -> str:
    """The Schoenflies name of a finite group of orthogonal matrices, in any orientation.

    Examples
    --------
    >>> identify(point_group("D4h").matrices)
    'D4h'
    """
    signature = _signature(matrices)
    try:
        return _known_signatures()[signature]
    except KeyError:
        raise ValueError(f"a group of order {len(matrices)} that is not a known point group") from None


@dataclass(frozen=True, eq=False)
class PointGroup:
    """A finite group of orthogonal :math:`3 \\times 3` matrices.

    Attributes
    ----------
    name : str
        Schoenflies name.
    matrices : torch.Tensor
        float64, shape :math:`(|G|, 3, 3)`; the identity first.
    permutations : torch.Tensor or None
        For a group found by :func:`symmetry_group`: long, shape :math:`(|G|, N)`, element :math:`g`
        maps point :math:`a` to point ``permutations[g, a]``.
    """

    name: str
    matrices: torch.Tensor = field(repr=False)
    permutations: torch.Tensor | None = field(default=None, repr=False)

    @property
    def order(self) -> int:
        """Number of elements :math:`|G|`."""
        return len(self.matrices)

    def __len__(self) -> int:
        return self.order

    def index(self, matrix: torch.Tensor, tol: float = _TOL) -> int:
        """Position of ``matrix`` among the elements; ``ValueError`` if it is not one."""
        distances = (self.matrices - torch.as_tensor(matrix, dtype=F64)).flatten(1).abs().amax(dim=1)
        best = int(distances.argmin())
        if float(distances[best]) > tol:
            raise ValueError(f"matrix {torch.as_tensor(matrix).tolist()} is not an element of {self.name}")
        return best

    def contains(self, other: PointGroup, tol: float = _TOL) -> bool:
        """Whether every element of ``other`` is an element of this group."""
        distances = (other.matrices[:, None] - self.matrices[None]).flatten(2).abs().amax(dim=2)
        return bool((distances.amin(dim=1) <= tol).all())

    def check_subgroup(self, other: PointGroup) -> None:
        """Raise ``ValueError`` naming ``other`` unless it is a subgroup of this group."""
        if not self.contains(other):
            raise ValueError(f"{other.name} (in this orientation) is not a subgroup of {self.name}")

    def rotations(self) -> PointGroup:
        """The proper rotations of the group: :math:`D_4` for :math:`D_{4h}`.

        Examples
        --------
        >>> point_group("D4h").rotations().name
        'D4'
        """
        proper = torch.linalg.det(self.matrices) > 0
        permutations = self.permutations[proper] if self.permutations is not None else None
        return PointGroup(identify(self.matrices[proper]), self.matrices[proper], permutations)

    def character_table(self) -> CharacterTable:
        """The character table: classes, Mulliken-labelled irreps, characters and basis functions."""
        from .characters import character_table

        return character_table(self)

    def transformed(self, frame: torch.Tensor) -> PointGroup:
        r"""The same group seen in a rotated frame: :math:`g \mapsto R g R^T` for ``frame`` :math:`R`."""
        rotation = torch.as_tensor(frame, dtype=F64)
        return PointGroup(self.name, rotation @ self.matrices @ rotation.T, self.permutations)


def from_matrices(matrices: object, name: str | None = None, tol: float = _TOL) -> PointGroup:
    """A :class:`PointGroup` from a list of matrices, checked to be orthogonal and closed.

    Raises
    ------
    ValueError
        If a matrix is not :math:`3 \\times 3` orthogonal, or the set is not closed under products.
    """
    if isinstance(matrices, torch.Tensor):
        stack = matrices.to(F64)
    else:
        stack = torch.stack([torch.as_tensor(m, dtype=F64) for m in matrices])
    if stack.dim() != 3 or stack.shape[1:] != (3, 3) or len(stack) == 0:
        raise ValueError(f"expected a non-empty stack of 3x3 matrices, got shape {tuple(stack.shape)}")
    for k, g in enumerate(stack):
        error = float((g @ g.T - torch.eye(3, dtype=F64)).abs().max())
        if error > tol:
            raise ValueError(f"matrix {k} is not orthogonal (max |g g^T - 1| = {error:.2g}): {g.tolist()}")
    products = (stack[:, None] @ stack[None]).reshape(-1, 1, 9)
    gaps = (products - stack.reshape(1, -1, 9)).abs().amax(dim=2).amin(dim=1)
    if float(gaps.max()) > tol:
        k = int(gaps.argmax())
        raise ValueError(
            f"the set is not closed under multiplication: the product of matrices {k // len(stack)} "
            f"and {k % len(stack)} is not in it"
        )
    identity = int((stack - torch.eye(3, dtype=F64)).flatten(1).abs().amax(dim=1).argmin())
    order = [identity, *(k for k in range(len(stack)) if k != identity)]
    stack = stack[order]
    return PointGroup(name or identify(stack), stack)


def point_group(name: str) -> PointGroup:
    """The point group of that Schoenflies name, in the standard orientation.

    Examples
    --------
    >>> [point_group(n).order for n in ("C4", "D4", "D4h", "D2h", "Oh")]
    [4, 8, 16, 8, 48]
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'D4h', got {type(name).__name__}")
    return PointGroup(name, _closure(_generators(name)))


def symmetry_group(
    positions: object,
    features: object = None,
    irreps: str | o3.Irreps | None = None,
    tol: float = _TOL,
) -> PointGroup:
    r"""The group of orthogonal maps (about the centroid) that permute the points and carry their features.

    Parameters
    ----------
    positions : array-like, shape :math:`(N, 3)`
        Distinct points, not all on one line through their centroid.
    features : array-like, shape :math:`(N, \dim)`, optional
        Features of the points, transforming with ``irreps``.
    irreps : str or e3nn.o3.Irreps, optional
        Required with ``features``.
    tol : float
        Tolerance on positions and (relative to their largest entry) on features.

    Returns
    -------
    PointGroup
        With ``permutations``: element :math:`g` maps point :math:`a` to ``permutations[g, a]``.

    Examples
    --------
    >>> from symmetry_tasks.shapes import square, rectangle
    >>> symmetry_group(square()).name, symmetry_group(rectangle()).name
    ('D4h', 'D2h')
    """
    points = as_points(positions)
    points = points - points.mean(dim=0)
    if features is not None:
        if irreps is None:
            raise ValueError("features need their irreps, e.g. irreps='0e+1o+2e'")
        irreps = o3.Irreps(irreps)
        features = as_features(features, irreps.dim, len(points)).detach()
    first, second = _frame_pair(points, tol)
    frame = torch.stack([points[first], points[second], torch.linalg.cross(points[first], points[second])])
    inverse = torch.linalg.inv(frame)
    lengths, dot = points.norm(dim=1), float(points[first] @ points[second])
    scale = float(features.abs().max()) if features is not None else 0.0
    found, permutations = [], []
    for a in range(len(points)):
        if abs(float(lengths[a] - lengths[first])) > tol:
            continue
        for b in range(len(points)):
            if (
                abs(float(lengths[b] - lengths[second])) > tol
                or abs(float(points[a] @ points[b]) - dot) > tol
            ):
                continue
            normal = torch.linalg.cross(points[a], points[b])
            for sign in (1.0, -1.0):
                image = torch.stack([points[a], points[b], sign * normal])
                g = (inverse @ image).T  # g @ frame[k] = image[k]
                if float((g @ g.T - torch.eye(3, dtype=F64)).abs().max()) > 1e3 * tol:
                    continue
                moved = points @ g.T
                gaps = torch.cdist(moved, points)
                permutation = gaps.argmin(dim=1)
                if float(gaps.amin(dim=1).max()) > tol or len(set(permutation.tolist())) != len(points):
                    continue
                if features is not None:
                    carried = features @ wigner_D(irreps, g).T
                    if float((carried - features[permutation]).abs().max()) > tol * max(scale, 1.0):
                        continue
                found.append(g)
                permutations.append(permutation)
    matrices = torch.stack(found)
    identity = int((matrices - torch.eye(3, dtype=F64)).flatten(1).abs().amax(dim=1).argmin())
    order = [identity, *(k for k in range(len(found)) if k != identity)]
    return PointGroup(identify(matrices), matrices[order], torch.stack(permutations)[order])


def _frame_pair(points: torch.Tensor, tol: float) -> tuple[int, int]:
    """Two points spanning a plane through the centroid, as far from collinear as possible."""
    best, pair = 0.0, None
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            area = float(torch.linalg.cross(points[i], points[j]).norm())
            if area > best + 1e-12:
                best, pair = area, (i, j)
    if pair is None or best < tol:
        raise ValueError(
            "the points lie on one line through their centroid: their symmetry group is infinite (C_inf_v or D_inf_h)"
        )
    return pair
