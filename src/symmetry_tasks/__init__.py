"""Simple Tasks and Symmetry: Curie's principle and symmetry breaking with e3nn.

Modules: :mod:`~symmetry_tasks.shapes` (point clouds), :mod:`~symmetry_tasks.signals`
(displacements as spherical-harmonic signals), :mod:`~symmetry_tasks.model` (the equivariant
network), :mod:`~symmetry_tasks.training`, :mod:`~symmetry_tasks.tasks` (the four experiments),
:mod:`~symmetry_tasks.groups` (point groups and character tables), :mod:`~symmetry_tasks.breaking`
(order parameters and the Curie floor) and :mod:`~symmetry_tasks.plotting`.
"""

__version__ = "0.1.0"
