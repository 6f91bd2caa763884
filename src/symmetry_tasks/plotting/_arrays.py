"""Checks of the arrays the figures draw: every one raises with the bad value named."""

from __future__ import annotations

import math

import numpy as np
import torch


def as_array(values: object, name: str, ndim: int) -> np.ndarray:
    """``values`` as a finite, non-empty float64 array with ``ndim`` dimensions (tensors are detached)."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be array-like of numbers, got {type(values).__name__}") from error
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite, got NaN or infinite entries")
    return array


def as_point_sets(named: dict[str, object]) -> list[np.ndarray]:
    """Point sets of shape ``(N, 3)`` or ``(N, 2)`` as arrays, checked to have one and the same shape."""
    points = []
    for name, values in named.items():
        array = as_array(values, name, 2)
        if array.shape[1] not in (2, 3):
            raise ValueError(f"{name} must have shape (N, 3) or (N, 2), got {array.shape}")
        points.append(array)
    shapes = {name: p.shape for name, p in zip(named, points, strict=True)}
    if len(set(shapes.values())) > 1:
        listed = " and ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"the point sets must have the same shape, one point each, got {listed}")
    return points


def as_positive(value: object, name: str) -> float:
    """``value`` as a finite positive float."""
    if isinstance(value, bool) or not (
        isinstance(value, (int, float)) and math.isfinite(value) and value > 0
    ):
        raise ValueError(f"{name} must be a finite positive number, got {value!r}")
    return float(value)
