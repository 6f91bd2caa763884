"""Crystals: periodic structures (ASE :class:`~ase.Atoms`), their space groups and site symmetries
(spglib), and perovskites with their octahedra tilted in Glazer's notation.

Modules: ``floors`` (:func:`curie_floor`), ``structures`` (:func:`check_atoms`, :func:`rotated`), ``space_groups`` (:func:`space_group`,
:func:`operations`, :func:`site_symmetry`) and ``glazer`` (:func:`perovskite`, :func:`general_system`, ``GLAZER_SYSTEMS``).
"""

from .floors import CrystalFloor, curie_floor, symmetric_projection
from .glazer import (
    DEFAULT_ANGLES,
    GLAZER_SYSTEMS,
    LATTICE_CONSTANT,
    MAX_ANGLE,
    PHASES,
    cubic_cells,
    general_system,
    perovskite,
    phase_parts,
    tilt_signs,
)
from .space_groups import (
    Operations,
    SpaceGroup,
    decorated_operations,
    operations,
    site_symmetry,
    space_group,
    symmetry_errors,
)
from .structures import MIN_DISTANCE, check_atoms, rotated

__all__ = [
    "DEFAULT_ANGLES",
    "GLAZER_SYSTEMS",
    "LATTICE_CONSTANT",
    "MAX_ANGLE",
    "MIN_DISTANCE",
    "PHASES",
    "CrystalFloor",
    "Operations",
    "SpaceGroup",
    "check_atoms",
    "cubic_cells",
    "curie_floor",
    "decorated_operations",
    "general_system",
    "operations",
    "perovskite",
    "phase_parts",
    "rotated",
    "site_symmetry",
    "space_group",
    "symmetric_projection",
    "symmetry_errors",
    "tilt_signs",
]
