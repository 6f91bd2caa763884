"""Point groups in any orientation, their subgroups and character tables, and symmetry breaking in e3nn's basis.

``NAMES`` holds the Schoenflies names of the 32 crystallographic point groups in the order of the crystal
systems, and ``CRYSTAL_SYSTEMS`` maps each system (``"triclinic"`` to ``"cubic"``) to its groups. Every
function that takes a group also takes its name, in Schoenflies (``"D4h"``) or Hermann–Mauguin (``"4/mmm"``)
notation; the axial groups :math:`C_n, C_{nv}, C_{nh}, S_{2n}, D_n, D_{nh}, D_{nd}` are known up to
:math:`n = 12`.

The modules, each importing only those listed before it: ``elements`` (rotations and mirrors, what a matrix
does, closures), ``names``, ``point_groups`` (:class:`PointGroup`, :func:`point_group`), ``frames``
(:func:`canonical_frame`, :func:`from_matrices`), ``naming`` (class names and Mulliken labels in the standard orientation),
``characters`` (:func:`character_table`, reductions of O(3)), ``subgroups``, ``projectors``
(:func:`irrep_projector`), ``detect`` (:func:`symmetry_group`) and ``breaking`` (:func:`order_parameters`,
:func:`curie_floor`).
"""

from .breaking import (
    CurieFloor,
    OrderParameter,
    as_input,
    curie_floor,
    order_parameters,
    symmetric_projection,
)
from .characters import CharacterTable, character_table, decompose, reduce_o3
from .detect import symmetry_group
from .frames import canonical_frame, from_matrices
from .names import CRYSTAL_SYSTEMS, NAMES, crystal_system, hermann_mauguin, schoenflies
from .point_groups import PointGroup, generators, identify, point_group
from .projectors import irrep_projector
from .subgroups import (
    AmbiguousSubgroup,
    SubgroupClass,
    as_subgroup,
    correlation,
    maximal_subgroups,
    subgroups,
)

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
