"""Point groups, their character tables, and symmetry breaking in e3nn's basis."""

from .breaking import (
    CurieFloor,
    OrderParameter,
    as_input,
    curie_floor,
    order_parameters,
    symmetric_projection,
)
from .characters import CharacterTable, character_table, correlation, decompose, irrep_projector
from .point_groups import NAMES, PointGroup, from_matrices, identify, point_group, symmetry_group

__all__ = [
    "NAMES",
    "CharacterTable",
    "CurieFloor",
    "OrderParameter",
    "PointGroup",
    "as_input",
    "character_table",
    "correlation",
    "curie_floor",
    "decompose",
    "from_matrices",
    "identify",
    "irrep_projector",
    "order_parameters",
    "point_group",
    "symmetric_projection",
    "symmetry_group",
]
