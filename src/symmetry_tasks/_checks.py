"""Input validation shared by the public API: every check raises with the bad value named."""

from __future__ import annotations

import math

import numpy as np
import torch

from ._degrees import as_lmax as as_lmax  # re-exported: the checks of degrees need no torch
from ._degrees import lmax_of_width as lmax_of_width

#: Points closer than this are coincident.
COINCIDENT = 1e-9


def _all_finite(tensor: torch.Tensor) -> bool:
    """Whether every entry of ``tensor`` is finite: their sum is finite only if they all are (one
    operation); only a sum that is not, which may also be an overflow of finite entries, is looked at closer."""
    return math.isfinite(float(tensor.detach().sum())) or bool(torch.isfinite(tensor).all())


def as_points(
    positions: object, name: str = "positions", *, distinct: bool = True, dtype: torch.dtype = torch.float64
) -> torch.Tensor:
    r"""Return ``positions`` as a ``dtype`` tensor (float64 by default) of shape :math:`(N, 3)` after checking it.

    A tensor keeps its device (and its gradient, when it already has that dtype).

    Raises
    ------
    TypeError
        If ``positions`` is not array-like.
    ValueError
        If the shape is not :math:`(N, 3)` with :math:`N \geq 1`, a coordinate is NaN or infinite,
        or (with ``distinct``) two points coincide.
    """
    try:
        points = torch.as_tensor(positions, dtype=dtype)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(
            f"{name} must be array-like of shape (N, 3), got {type(positions).__name__}"
        ) from error
    if points.dim() != 2 or points.shape[1] != 3 or points.shape[0] == 0:
        raise ValueError(f"{name} must have shape (N, 3) with N >= 1, got {tuple(points.shape)}")
    if not _all_finite(points):
        row = int((~torch.isfinite(points)).any(dim=1).nonzero()[0])
        raise ValueError(f"{name} must be finite, got {points[row].tolist()} at row {row}")
    if distinct:
        check_distinct(points, name)
    return points


def check_distinct(points: torch.Tensor, name: str = "positions") -> None:
    """Raise a ``ValueError`` naming two rows of ``points`` (N, 3) closer than :data:`COINCIDENT`.

    The points are sorted by their first coordinate, and each is compared with the next ones until the
    first coordinates differ by :data:`COINCIDENT` or more: no N x N distance matrix.

    Examples
    --------
    >>> check_distinct(torch.tensor([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]]))
    Traceback (most recent call last):
    ...
    ValueError: positions has coincident points: rows 0 and 2 are both [0.0, 0.0, 0.0]
    """
    order = torch.sort(points[:, 0], stable=True).indices
    ordered = points[order]
    for step in range(1, len(points)):
        near = (ordered[step:, 0] - ordered[:-step, 0]) < COINCIDENT
        if not bool(near.any()):
            return
        close = near & ((ordered[step:] - ordered[:-step]).norm(dim=1) < COINCIDENT)
        if bool(close.any()):
            k = int(close.nonzero()[0])
            i, j = sorted((int(order[k]), int(order[k + step])))
            raise ValueError(f"{name} has coincident points: rows {i} and {j} are both {points[i].tolist()}")


def as_pbc(pbc: object) -> tuple[bool, bool, bool]:
    """Return ``pbc`` (one bool, or three: periodic along each lattice vector) as three bools.

    Examples
    --------
    >>> as_pbc(True), as_pbc([True, False, True])
    ((True, True, True), (True, False, True))
    """
    values = [pbc] * 3 if isinstance(pbc, (bool, np.bool_)) else pbc
    try:
        values = list(values)  # type: ignore[call-overload]
    except TypeError:
        values = []
    if len(values) != 3 or not all(isinstance(value, (bool, np.bool_)) for value in values):
        raise TypeError(f"pbc must be a bool or three bools, got {pbc!r}")
    return (bool(values[0]), bool(values[1]), bool(values[2]))


def as_cell(
    cell: object, pbc: tuple[bool, bool, bool], *, dtype: torch.dtype = torch.float64
) -> torch.Tensor:
    r"""Return ``cell`` as a ``dtype`` tensor of shape :math:`(3, 3)`, rows the lattice vectors (ASE's layout).

    ``None`` is a zero cell, allowed only when no direction is periodic. A tensor of that dtype keeps its
    gradient and device.

    Raises
    ------
    TypeError
        If ``cell`` is not array-like.
    ValueError
        If its shape is not (3, 3), an entry is NaN or infinite, or ``pbc`` asks for periodicity
        without a cell.
    """
    if cell is None:
        if any(pbc):
            raise ValueError(f"a cell is needed for periodic boundary conditions pbc={pbc}, got cell=None")
        return torch.zeros(3, 3, dtype=dtype)
    try:
        lattice = torch.as_tensor(cell, dtype=dtype)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(f"cell must be array-like of shape (3, 3), got {type(cell).__name__}") from error
    if lattice.shape != (3, 3):
        raise ValueError(f"cell must have shape (3, 3) (rows: lattice vectors), got {tuple(lattice.shape)}")
    if not _all_finite(lattice):
        raise ValueError(f"cell must be finite, got {lattice.tolist()}")
    return lattice


def as_features(
    features: object,
    dim: int,
    n_points: int | None = None,
    name: str = "features",
    *,
    dtype: torch.dtype = torch.float64,
) -> torch.Tensor:
    r"""Return ``features`` as a ``dtype`` tensor (float64 by default) of shape :math:`(N, \mathrm{dim})`.

    A tensor must already have that dtype, and is returned as it is (gradient and device kept); other
    array-likes are converted.
    """
    if not isinstance(features, torch.Tensor):
        try:
            features = torch.as_tensor(features, dtype=dtype)
        except (TypeError, ValueError, RuntimeError) as error:
            raise TypeError(f"{name} must be array-like, got {type(features).__name__}") from error
    if features.dtype != dtype:
        raise TypeError(f"{name} must be {dtype}, got {features.dtype}")
    if features.dim() != 2 or features.shape[1] != dim:
        expected = f"({n_points if n_points is not None else 'N'}, {dim})"
        raise ValueError(f"{name} must have shape {expected}, got {tuple(features.shape)}")
    if n_points is not None and features.shape[0] != n_points:
        raise ValueError(
            f"{name} must have shape ({n_points}, {dim}) (one row per point), got {tuple(features.shape)}"
        )
    if not _all_finite(features):
        raise ValueError(f"{name} must be finite, got NaN or infinite entries")
    return features
