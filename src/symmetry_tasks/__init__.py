"""Simple Tasks and Symmetry: Curie's principle and symmetry breaking with e3nn.

Subpackages: :mod:`~symmetry_tasks.nn` (the gated equivariant network), :mod:`~symmetry_tasks.symmetry`
(point groups, character tables, order parameters and the Curie floor) and :mod:`~symmetry_tasks.plotting`
(every figure of the site). Modules: :mod:`~symmetry_tasks.shapes` (point clouds),
:mod:`~symmetry_tasks.signals` (displacements as spherical-harmonic signals),
:mod:`~symmetry_tasks.polynomials` (polynomials in x, y, z and e3nn's harmonics),
:mod:`~symmetry_tasks.training`, :mod:`~symmetry_tasks.tasks` (the four experiments) and
:mod:`~symmetry_tasks.equivariance` (Wigner matrices and the equivariance check).

The names below are importable from the top level: ``from symmetry_tasks import EquivariantNetwork``.
Each is imported from its module on first use, so that ``import symmetry_tasks`` alone loads neither torch
nor e3nn, and the command line names and tabulates groups without them.
"""

from __future__ import annotations

from ._lazy import lazy_getattr

#: Where each top-level name is defined, imported on first use (PEP 562).
_HOMES = {
    "character_table": "symmetry",
    "check_equivariance": "equivariance",
    "correlation": "symmetry",
    "curie_floor": "symmetry",
    "decompose": "symmetry",
    "EquivariantNetwork": "nn",
    "fit": "training",
    "fit_alternating": "training",
    "irreps_matrix": "equivariance",
    "order_parameters": "symmetry",
    "point_group": "symmetry",
    "symmetry_group": "symmetry",
    "task1": "tasks",
    "task2": "tasks",
    "task3": "tasks",
    "task4": "tasks",
}

_SUBMODULES = (
    "crystals",
    "equivariance",
    "nn",
    "plotting",
    "polynomials",
    "shapes",
    "signals",
    "symmetry",
    "tasks",
    "training",
)

__all__ = [
    "EquivariantNetwork",
    "character_table",
    "check_equivariance",
    "correlation",
    "curie_floor",
    "decompose",
    "fit",
    "fit_alternating",
    "irreps_matrix",
    "order_parameters",
    "point_group",
    "symmetry_group",
    "task1",
    "task2",
    "task3",
    "task4",
]


_import_lazily = lazy_getattr(__name__, _HOMES, _SUBMODULES, globals())


def __getattr__(name: str) -> object:
    """A top-level name, imported from its module on first use; a submodule by its name.

    ``__version__`` is read from the package's metadata on first use too, so that importing a source tree
    needs no metadata.
    """
    if name == "__version__":
        from importlib.metadata import version

        globals()[name] = version("symmetry-tasks")
        return globals()[name]
    return _import_lazily(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES, "__version__"})
