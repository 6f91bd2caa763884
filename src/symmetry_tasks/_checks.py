"""Input validation shared by the public API: every check raises with the bad value named."""

from __future__ import annotations

import math
import numbers

import torch


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
    finite = torch.isfinite(points)
    if not bool(finite.all()):
        row = int((~finite).any(dim=1).nonzero()[0])
        raise ValueError(f"{name} must be finite, got {points[row].tolist()} at row {row}")
    if distinct:
        check_distinct(points, torch.cdist(points, points), name)
    return points


def check_distinct(points: torch.Tensor, distances: torch.Tensor, name: str = "positions") -> None:
    """Raise a ``ValueError`` naming two rows of ``points`` closer than ``1e-9``, given their distance matrix."""
    close = distances < 1e-9
    if int(close.sum()) > len(points):  # more than the diagonal
        i, j = (close & ~torch.eye(len(points), dtype=torch.bool, device=points.device)).nonzero()[0].tolist()
        raise ValueError(f"{name} has coincident points: rows {i} and {j} are both {points[i].tolist()}")


def as_lmax(lmax: object) -> int:
    """Return ``lmax`` as an ``int`` after checking that it is a non-negative integer."""
    if isinstance(lmax, bool) or not isinstance(lmax, numbers.Integral):
        raise TypeError(f"lmax must be a non-negative int, got {lmax!r} of type {type(lmax).__name__}")
    if lmax < 0:
        raise ValueError(f"lmax must be a non-negative int, got {lmax}")
    return int(lmax)


def lmax_of_width(width: int, name: str = "signals") -> int:
    r"""The band limit :math:`l_\max` of signals with ``width`` = :math:`(l_\max + 1)^2` components."""
    lmax = math.isqrt(width) - 1
    if width == 0 or (lmax + 1) ** 2 != width:
        raise ValueError(f"{name} must have (lmax + 1)^2 components for some lmax, got width {width}")
    return lmax


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
    expected = f"({n_points if n_points is not None else 'N'}, {dim})"
    if features.dim() != 2 or features.shape[1] != dim:
        raise ValueError(f"{name} must have shape {expected}, got {tuple(features.shape)}")
    if n_points is not None and features.shape[0] != n_points:
        raise ValueError(
            f"{name} must have shape {expected} (one row per point), got {tuple(features.shape)}"
        )
    if not bool(torch.isfinite(features).all()):
        raise ValueError(f"{name} must be finite, got NaN or infinite entries")
    return features
