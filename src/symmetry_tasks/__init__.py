"""Simple Tasks and Symmetry: Curie's principle and symmetry breaking with e3nn.

Subpackages: :mod:`~symmetry_tasks.nn` (the gated equivariant network), :mod:`~symmetry_tasks.symmetry`
(point groups, character tables, order parameters and the Curie floor) and :mod:`~symmetry_tasks.plotting`
(every figure of the site). Modules: :mod:`~symmetry_tasks.shapes` (point clouds),
:mod:`~symmetry_tasks.signals` (displacements as spherical-harmonic signals),
:mod:`~symmetry_tasks.training`, :mod:`~symmetry_tasks.tasks` (the four experiments) and
:mod:`~symmetry_tasks.equivariance` (Wigner matrices and the equivariance check).

The names below are importable from the top level: ``from symmetry_tasks import EquivariantNetwork``.
"""

from importlib.metadata import version as _version

from .equivariance import check_equivariance, irreps_matrix
from .nn import EquivariantNetwork
from .symmetry import (
    character_table,
    correlation,
    curie_floor,
    decompose,
    order_parameters,
    point_group,
    symmetry_group,
)
from .tasks import task1, task2, task3, task4
from .training import fit, fit_alternating

__version__ = _version("symmetry-tasks")

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
