r"""The canonical frame of a point group: the rotation that takes the standard group of its name onto it.

See :func:`canonical_frame`.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from .elements import MATCH_TOL, as_array, element_type, match, multiplication_table, operations, rotation
from .names import schoenflies
from .point_groups import PointGroup, identify, standard_matrices

if TYPE_CHECKING:
    import torch

#: What :func:`from_matrices` accepts by default; matrices given to six decimals are within 5e-7 entry by
#: entry, their products within about 2e-6 (measured: at most 1.7e-6 over the 32 groups in random
#: orientations); distinct elements of a point group differ by at least 0.37.
NEARLY_EXACT = 1e-5

_AXES = np.eye(3)
_PERPENDICULAR = 1e-3  # |cos| below which two axes count as perpendicular (noisy groups included)


def _frame_elements(name: str) -> list[tuple[np.ndarray, tuple[int, int]]]:
    """The directions that fix the frame (z, then x or y) and the type of the element that marks each.

    Along each, the element of the highest order, proper before improper.
    """
    ops = operations(standard_matrices(name))
    out = []
    for direction in (_AXES[2], _AXES[0], _AXES[1]):
        if len(out) == 2:
            break
        along = [op for op in ops if not op.is_identity and not op.is_inversion and op.along(direction)]
        if along:
            best = max(along, key=lambda op: (op.order, op.det))
            out.append((direction, element_type(best)))
    return out


def _candidates(matrices: np.ndarray, name: str) -> list[np.ndarray]:
    ops = operations(matrices)
    marks = _frame_elements(name)
    if not marks:  # C1, Ci: every frame is as good
        return [np.eye(3)]
    (a1, t1), rest = marks[0], marks[1:]
    images = [s * op.axis for op in ops if element_type(op) == t1 for s in (1.0, -1.0)]
    if not rest:  # an axial group with no secondary axis: the smallest turn taking z onto the axis
        out = []
        for u in images:
            twist = np.cross(a1, u)
            if np.linalg.norm(twist) < 1e-12:
                out.append(np.eye(3) if u @ a1 > 0 else rotation((1, 0, 0), np.pi))
            else:
                out.append(rotation(twist, float(np.arccos(np.clip(u @ a1, -1, 1)))))
        return out
    a2, t2 = rest[0]
    secondary = [s * op.axis for op in ops if element_type(op) == t2 for s in (1.0, -1.0)]
    source = np.stack([a1, a2, np.cross(a1, a2)], axis=1)
    out = []
    for u in images:
        for v in secondary:
            if abs(float(u @ v)) < _PERPENDICULAR:
                v = v - (v @ u) * u
                v = v / np.linalg.norm(v)
                out.append(np.stack([u, v, np.cross(u, v)], axis=1) @ source.T)
    return out


def frame_key(frame: np.ndarray) -> tuple[float, ...]:
    """Larger for a frame closer to the caller's: the image of z, then of x, compared coordinate by coordinate.

    The image of :math:`z` first by its :math:`z`, then :math:`x`, then :math:`y` coordinate; then the image
    of :math:`x` by its :math:`x`, :math:`y`, :math:`z` coordinates. Rounded to 6 decimals, so that noise
    does not decide between frames that tie.
    """
    values = (frame[2, 2], frame[0, 2], frame[1, 2], frame[0, 0], frame[1, 0], frame[2, 0])
    return tuple(round(float(v), 6) + 0.0 for v in values)


def has_secondary_axis(name: str) -> bool:
    """Whether the canonical frame of the group is fixed by a second axis (else only :math:`z` is)."""
    return len(_frame_elements(name)) == 2


def search_frame(matrices: np.ndarray, name: str, tol: float = MATCH_TOL) -> tuple[np.ndarray, np.ndarray]:
    r"""The canonical frame :math:`R` of a group given by its matrices and name, and the correspondence.

    Returns ``(R, index)`` with ``matrices[k]`` :math:`\approx R\, S_{\mathrm{index}[k]} R^T` (within
    ``tol``, entry-wise) for the elements :math:`S_j` of the standard group. ``R`` is a proper rotation,
    orthonormal to float64 precision even when ``matrices`` are noisy.

    Raises
    ------
    ValueError
        If no rotation takes the standard group onto these matrices.
    """
    standard = standard_matrices(name)
    best: tuple | None = None
    if len(matrices) == len(standard):
        for frame in _candidates(matrices, name):
            u, _, vt = np.linalg.svd(frame)
            frame = u @ vt  # orthonormal to float64 precision
            index, error = match(frame @ standard @ frame.T, matrices)
            if float(error.max()) <= tol and len(set(index.tolist())) == len(index):
                key = frame_key(frame)
                if best is None or key > best[0]:
                    best = (key, frame, index)
    if best is None:
        raise ValueError(f"these {len(matrices)} matrices are not the point group {name} in any orientation")
    _, frame, index = best
    inverse = np.empty_like(index)
    inverse[index] = np.arange(len(index))
    return frame, inverse


_FRAMES: weakref.WeakKeyDictionary[PointGroup, tuple[np.ndarray, np.ndarray]] = weakref.WeakKeyDictionary()


def canonical_frame(group: PointGroup) -> torch.Tensor:
    r"""A rotation :math:`R` such that the group's elements are :math:`R\, g\, R^T`, :math:`g` in ``point_group(group.name)``.

    :math:`R` maps :math:`z` onto the principal axis of the group and :math:`x` onto a secondary axis (a
    :math:`C_2'` axis, or a line in a :math:`\sigma_v` plane), so names given once for the standard group
    carry over element by element: :math:`R g R^T` is called what :math:`g` is called.

    :math:`R` is unique up to the rotations that map the standard group onto itself. A group made by
    :func:`point_group` or :meth:`PointGroup.transformed` carries its frame (``group.frame``); for any other
    group the frame closest to the caller's is chosen: the principal axis nearest to :math:`+z` (by its
    :math:`z`, then :math:`x`, then :math:`y` coordinate), then the secondary axis nearest to :math:`+x`.
    The standard group gets :math:`R = 1`. A group with no secondary axis (:math:`C_n, C_{nh}, S_{2n},
    C_s`) gets the smallest rotation that takes :math:`z` onto its axis. Computed once per group object;
    ``frames.canonical_frame_array`` is the same rotation as a numpy array.

    Examples
    --------
    >>> from symmetry_tasks.symmetry import point_group, from_matrices
    >>> import torch
    >>> turn = torch.tensor([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=torch.float64)
    >>> canonical_frame(point_group("D4h").transformed(turn)).equal(turn)
    True
    >>> canonical_frame(from_matrices(point_group("Oh").matrices)).equal(torch.eye(3, dtype=torch.float64))
    True
    """
    import torch

    return torch.tensor(_frame_and_index(group)[0], dtype=torch.float64)


def canonical_frame_array(group: PointGroup) -> np.ndarray:
    """:func:`canonical_frame` as a read-only numpy array, float64, :math:`3 \\times 3` (no torch)."""
    return _frame_and_index(group)[0]


def standard_index(group: PointGroup) -> np.ndarray:
    r"""``index[k]``: the element of ``point_group(group.name)`` that the canonical frame takes onto element ``k``."""
    return _frame_and_index(group)[1]


def _frame_and_index(group: PointGroup) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(group, PointGroup):
        raise TypeError(f"expected a PointGroup, got {type(group).__name__}")
    if group not in _FRAMES:
        matrices = group.array
        if group.frame_array is not None:
            frame = group.frame_array
            index, error = match(np.linalg.inv(frame) @ matrices @ frame, standard_matrices(group.name))
            if float(error.max()) > MATCH_TOL or len(set(index.tolist())) != len(index):
                raise ValueError(
                    f"the frame of this {group.name} does not take point_group({group.name!r}) onto it"
                )
        else:
            frame, index = search_frame(matrices, group.name)
        frame = np.array(frame, dtype=np.float64)
        frame.flags.writeable = False
        _FRAMES[group] = (frame, index)
    return _FRAMES[group]


def from_matrices(matrices: object, name: str | None = None, tol: float = NEARLY_EXACT) -> PointGroup:
    r"""A :class:`PointGroup` from a list of matrices, exact or given to about six decimals, made exact.

    The matrices are checked to be orthogonal and closed under products within ``tol`` (entry-wise), the
    group is named, and then *snapped*: each matrix is replaced by the exact element :math:`R\, g\, R^T` it
    approximates, with :math:`g` in ``point_group(name)`` and :math:`R` its canonical frame fitted to the
    matrices (as :func:`~symmetry_tasks.symmetry.symmetry_group` does). So every later step (tables,
    :func:`~symmetry_tasks.symmetry.reduce_o3`, subgroups, order parameters) sees a group exact to float64
    precision. The order of the matrices is kept, the identity moved first.

    Raises
    ------
    TypeError
        If ``matrices`` is not a stack (a tensor, an array or a list) of numeric matrices.
    ValueError
        If a matrix is not :math:`3 \times 3` orthogonal, the set is not closed under products, no exact
        group lies within ``tol`` of it, or ``name`` is given and is not the name of this group.

    Examples
    --------
    >>> from symmetry_tasks.symmetry import point_group
    >>> rounded = (point_group("D3h").matrices * 1e6).round() / 1e6
    >>> group = from_matrices(rounded)
    >>> group.name, bool((group.matrices - point_group("D3h").matrices).abs().max() < 1e-15)
    ('D3h', True)
    """
    try:
        stack = as_array(matrices if hasattr(matrices, "detach") else [as_array(m) for m in matrices])
    except TypeError as error:
        raise TypeError(f"expected a stack of 3x3 matrices, got {type(matrices).__name__}: {error}") from None
    if stack.ndim != 3 or stack.shape[1:] != (3, 3) or len(stack) == 0:
        raise ValueError(f"expected a non-empty stack of 3x3 matrices, got shape {tuple(stack.shape)}")
    if not bool(np.isfinite(stack).all()):
        raise ValueError("the matrices must be finite")
    for k, g in enumerate(stack):
        error = float(np.abs(g @ g.T - np.eye(3)).max())
        if not error <= tol:
            raise ValueError(f"matrix {k} is not orthogonal (max |g g^T - 1| = {error:.2g}): {g.tolist()}")
    multiplication_table(stack, tol)
    identity = int(np.abs(stack - np.eye(3)).reshape(len(stack), 9).max(axis=1).argmin())
    stack = stack[[identity, *(k for k in range(len(stack)) if k != identity)]]
    found = identify(stack)
    if name is not None and schoenflies(name) != found:
        raise ValueError(f"these matrices form {found}, not {name!r}")
    frame, index = search_frame(stack, found, tol=tol)
    standard = standard_matrices(found)[index]
    snapped = frame @ standard @ frame.T
    central = [np.array_equal(g, np.eye(3)) or np.array_equal(g, -np.eye(3)) for g in standard]  # 1, -1 exact
    snapped[central] = standard[central]
    snapped[np.abs(snapped) < 1e-15] = 0.0  # no round-off dust where an entry is zero
    return PointGroup(found, snapped)
