"""Names of a package imported from their modules on first use (PEP 562), for the package's ``__init__``s."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_getattr(
    package: str, homes: Mapping[str, str], submodules: Iterable[str], namespace: dict[str, Any]
) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: a name of ``homes`` (name -> the submodule that defines it)
    or a submodule of ``submodules``, imported on first use and kept in ``namespace`` (the package's
    ``globals()``), so that it is looked up once.

    Examples
    --------
    >>> namespace = {}
    >>> get = lazy_getattr("json", {"dumps": "encoder"}, ["decoder"], namespace)
    >>> get("decoder").__name__, "decoder" in namespace
    ('json.decoder', True)
    >>> get("loads")
    Traceback (most recent call last):
    ...
    AttributeError: module 'json' has no attribute 'loads'
    """
    submodules = frozenset(submodules)

    def __getattr__(name: str) -> object:
        if name in homes:
            value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    return __getattr__
