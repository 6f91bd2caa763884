"""Torch's process-wide settings, changed only for the duration of a ``with`` block."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from typing import TypeVar

import torch

_Value = TypeVar("_Value")


@contextlib.contextmanager
def _temporarily(get: Callable[[], _Value], set_: Callable[[_Value], None], value: _Value) -> Iterator[None]:
    previous = get()
    set_(value)
    try:
        yield
    finally:
        set_(previous)


@contextlib.contextmanager
def intra_op_threads(count: int) -> Iterator[None]:
    """Run the ``with`` block with torch's intra-op thread count set to ``count``, then restore it.

    Examples
    --------
    >>> before = torch.get_num_threads()
    >>> with intra_op_threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive int, got {count!r}")
    with _temporarily(torch.get_num_threads, torch.set_num_threads, count):
        yield


@contextlib.contextmanager
def default_dtype(dtype: torch.dtype) -> Iterator[None]:
    """Run the ``with`` block with ``dtype`` as torch's default dtype, then restore it.

    e3nn creates its constants (Clebsch-Gordan tables, initial weights) in the default dtype.
    """
    with _temporarily(torch.get_default_dtype, torch.set_default_dtype, dtype):
        yield


@contextlib.contextmanager
def quiet_sparse_csr() -> Iterator[None]:
    """Run the ``with`` block without torch's warning that its sparse CSR layout is "beta".

    The network keeps constant tables as CSR matrices; torch warns once per process when the first one
    is made, whether by the network or by :func:`torch.load` reading a stored result. The product used
    here is stable, and the warning would otherwise land in the middle of a page's printed output.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Sparse CSR tensor support is in beta", UserWarning)
        yield
