"""An on-disk cache of training results, so that pages which run the same task share one run.

The cache is off unless the environment variable ``SYMMETRY_TASKS_CACHE`` names a directory (created
if missing). A result is stored under a key made of the function's qualified name, its arguments after
defaults are applied (tensors by dtype, shape and the SHA-256 of their bytes), the versions of torch and
e3nn and the SHA-256 of every ``.py`` file of this package: editing the code, or calling with other
arguments, misses the cache. A call whose arguments cannot be keyed (a callback, any other object) is
never cached, so a callback still sees every step.

Results are written with :func:`torch.save` to a temporary file in the same directory and renamed into
place, an atomic step: concurrent processes never read a partial file. Where the system has ``fcntl``
(Linux, macOS), a process computes a result while holding a lock on the key (``<name>.lock``), so that
another process asking for the same result meanwhile waits for it and reads it, instead of computing it
a second time; that is how the docs build trains the crystal experiment in a second process while the
tutorial's pages run (``docs/_ext/background_tasks.py``). A stored result is the pickled object, bit for
bit what the function returned; reading it runs :func:`torch.load` with ``weights_only=False``, so point
the variable only at a directory you trust.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import ParamSpec, TypeVar

import torch

from .nn.torch_settings import quiet_sparse_csr

#: The environment variable naming the cache directory.
CACHE_VARIABLE = "SYMMETRY_TASKS_CACHE"

_P = ParamSpec("_P")
_R = TypeVar("_R")


@functools.cache
def _source_digest() -> str:
    """SHA-256 of the package's Python sources and of the torch and e3nn versions."""
    digest = hashlib.sha256(f"torch {torch.__version__} e3nn {version('e3nn')}".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(value: object) -> str | None:
    """A text that determines ``value`` for the function's purposes, or None if there is none."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, torch.Tensor):
        data = value.detach().cpu().contiguous()
        content = hashlib.sha256(data.numpy().tobytes()).hexdigest()
        return f"tensor:{data.dtype}:{tuple(data.shape)}:{content}"
    if isinstance(value, (tuple, list)):
        parts = [_fingerprint(item) for item in value]
        if any(part is None for part in parts):
            return None
        return f"{type(value).__name__}:[{','.join(str(part) for part in parts)}]"
    return None


def cached(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate ``function`` so that its results are stored in, and read from, the cache directory."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        folder = os.environ.get(CACHE_VARIABLE)
        if not folder:
            return function(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        parts = {argument: _fingerprint(value) for argument, value in bound.arguments.items()}
        if any(part is None for part in parts.values()):
            return function(*args, **kwargs)
        name = f"{function.__module__}.{function.__qualname__}"
        text = "\n".join([name, _source_digest(), *(f"{k}={v}" for k, v in parts.items())])
        key = hashlib.sha256(text.encode()).hexdigest()[:32]
        path = Path(folder) / f"{function.__name__}-{key}.pt"
        stored = _load(path)
        if stored is not None:
            return stored
        with _exclusive(path):
            stored = _load(path)  # computed by another process while this one waited
            if stored is not None:
                return stored
            result = function(*args, **kwargs)
            _store(result, path)
        return result

    return wrapper


def _load(path: Path) -> object | None:
    """The result stored at ``path``, or None if there is none (or it is unreadable: computed again)."""
    try:
        with quiet_sparse_csr():  # a stored network holds CSR tables
            return torch.load(path, weights_only=False)
    except (OSError, EOFError, RuntimeError, pickle.UnpicklingError):
        return None


def _store(result: object, path: Path) -> None:
    """Write ``result`` to a temporary file beside ``path``, then rename it into place (atomic)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save(result, file)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s key (a ``.lock`` file beside it) for the block, waiting for
    any other process that holds it; without ``fcntl`` (Windows) the block runs unlocked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
