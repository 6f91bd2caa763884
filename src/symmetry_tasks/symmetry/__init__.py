"""Point groups in any orientation, their subgroups and character tables, and symmetry breaking in e3nn's basis.

``NAMES`` holds the Schoenflies names of the 32 crystallographic point groups in the order of the crystal
systems, and ``CRYSTAL_SYSTEMS`` maps each system (``"triclinic"`` to ``"cubic"``) to its groups. Every
function that takes a group also takes its name, in Schoenflies (``"D4h"``) or Hermann–Mauguin (``"4/mmm"``)
notation; the axial groups :math:`C_n, C_{nv}, C_{nh}, S_{2n}, D_n, D_{nh}, D_{nd}` are known up to
:math:`n = 12`.

The modules, each importing only those listed before it: ``elements`` (rotations and mirrors, what a matrix
does, closures), ``names`` (group names: Schoenflies, Hermann–Mauguin, settings), ``point_groups``
(:class:`PointGroup`, :func:`point_group`), ``frames`` (:func:`canonical_frame`, :func:`from_matrices`),
``labels`` (class names and Mulliken labels in the standard orientation), ``roots_of_unity`` (exact
characters), ``basis_functions``, ``characters`` (:func:`character_table`), ``subgroups``; these run on
numpy alone, so naming, tabulating and enumerating groups does not import torch. Then, in e3nn's basis:
``reductions`` (:func:`reduce_o3`, :func:`decompose`), ``projectors`` (:func:`irrep_projector`),
``detect`` (:func:`symmetry_group`) and ``breaking`` (:func:`order_parameters`, :func:`curie_floor`),
whose names are imported on first use. ``projectors`` and the order parameters of ``breaking`` compute on
numpy too (e3nn's Wigner matrices from :mod:`symmetry_tasks.wigner`), and import torch and e3nn only to
hand out tensors and irreps: the command line runs without them.
"""

from __future__ import annotations

from .._lazy import lazy_getattr

# The group core (numpy only) is imported here; a name of the modules in e3nn's basis on first use (PEP 562).
from .characters import CharacterTable, character_table
from .frames import canonical_frame, from_matrices
from .names import CRYSTAL_SYSTEMS, NAMES, crystal_system, hermann_mauguin, schoenflies
from .point_groups import PointGroup, generators, identify, point_group
from .subgroups import (
    AmbiguousSubgroup,
    SubgroupClass,
    as_subgroup,
    correlation,
    maximal_subgroups,
    subgroups,
)

#: The names defined in the modules in e3nn's basis, each imported from its module on first use.
_LAZY = {
    "decompose": "reductions",
    "reduce_o3": "reductions",
    "irrep_projector": "projectors",
    "symmetry_group": "detect",
    "CurieFloor": "breaking",
    "OrderParameter": "breaking",
    "as_input": "breaking",
    "curie_floor": "breaking",
    "order_parameters": "breaking",
    "symmetric_projection": "breaking",
}

__all__ = [
    "CRYSTAL_SYSTEMS",
    "NAMES",
    "AmbiguousSubgroup",
    "CharacterTable",
    "CurieFloor",
    "OrderParameter",
    "PointGroup",
    "SubgroupClass",
    "as_input",
    "as_subgroup",
    "canonical_frame",
    "character_table",
    "correlation",
    "crystal_system",
    "curie_floor",
    "decompose",
    "from_matrices",
    "generators",
    "hermann_mauguin",
    "identify",
    "irrep_projector",
    "maximal_subgroups",
    "order_parameters",
    "point_group",
    "reduce_o3",
    "schoenflies",
    "subgroups",
    "symmetric_projection",
    "symmetry_group",
]


#: The modules in e3nn's basis (and ``roots_of_unity``), importable by name, as ``symmetry.breaking``.
_SUBMODULES = ("basis_functions", "breaking", "detect", "projectors", "reductions", "roots_of_unity")

#: A name of the modules in e3nn's basis, imported on first use; a submodule by its name.
__getattr__ = lazy_getattr(__name__, _LAZY, _SUBMODULES, globals())


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
