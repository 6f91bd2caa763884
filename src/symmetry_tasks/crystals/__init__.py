"""Crystals: periodic structures (ASE :class:`~ase.Atoms`), their space groups and site symmetries
(spglib), and perovskites with their octahedra tilted in Glazer's notation.

Modules: ``structures`` (:func:`check_atoms`, :func:`rotated`), ``space_groups`` (:func:`space_group`,
:func:`operations`, :func:`site_symmetry`) and ``perovskite`` (:func:`perovskite`, :func:`general_system`, :data:`GLAZER_SYSTEMS`).
"""

from .perovskite import (
    DEFAULT_ANGLES,
    GLAZER_SYSTEMS,
    LATTICE_CONSTANT,
    MAX_ANGLE,
    general_system,
    perovskite,
)
from .space_groups import Operations, SpaceGroup, operations, site_symmetry, space_group
from .structures import MIN_DISTANCE, check_atoms, rotated

__all__ = [
    "DEFAULT_ANGLES",
    "GLAZER_SYSTEMS",
    "LATTICE_CONSTANT",
    "MAX_ANGLE",
    "MIN_DISTANCE",
    "Operations",
    "SpaceGroup",
    "check_atoms",
    "general_system",
    "operations",
    "perovskite",
    "rotated",
    "site_symmetry",
    "space_group",
]
