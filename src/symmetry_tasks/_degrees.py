"""Checks of degrees :math:`l` and band limits, on plain integers: no torch, so the command line can use them."""

from __future__ import annotations

import math
import numbers


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
