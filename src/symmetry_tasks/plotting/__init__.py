"""Every figure of the site, drawn in one style that follows the page's light or dark theme.

* ``style``: the light and dark palettes (``THEMES``), new figures in the site's style
  (:func:`subplots`), the dark twin of a saved figure (:func:`recolor_svg`) and alt texts
  (:func:`describe`);
* ``diagrams``: task diagrams, decoded positions and loss curves (matplotlib);
* ``sphere``: signals on the sphere as interactive 3-D surfaces (plotly), their
  still rendering, and e3nn's spherical harmonics (matplotlib);
* ``features``: per-point input features as a heat map or a table;
* ``stereogram``: stereographic projections of point groups (symmetry elements, general positions);
* ``lattice``: the group–subgroup lattice of the 32 crystallographic point groups;
* ``crystals``: the octahedra of a perovskite, in 3-D (plotly) or seen down z.

Matplotlib functions take an optional ``ax`` and return the :class:`~matplotlib.axes.Axes` they drew on;
:func:`signal_surfaces` returns a :class:`plotly.graph_objects.Figure`. Every function describes what
it drew in the figure's alt text (:func:`description`).

Moved in 0.2: ``component_labels`` is :func:`symmetry_tasks.polynomials.component_names` (the polynomials
themselves), ``COLORS`` and ``BACKGROUND`` are the fields of ``LIGHT`` (and of ``DARK``);
``symmetry_elements``, ``SymmetryAxis`` and ``SymmetryElements``, what a stereogram draws, are in
:mod:`symmetry_tasks.symmetry.axes`.
"""

from .crystals import octahedra, octahedra_figure, octahedra_from_above
from .diagrams import final_positions, loss_curve, positions_over_target, task_diagram
from .features import input_heatmap, input_table
from .lattice import lattice_description, maximal_relations, subgroup_lattice
from .sphere import harmonic_spheres, signal_surfaces, static_surfaces
from .stereogram import stereogram, stereogram_description
from .style import DARK, LIGHT, THEMES, Palette, describe, description, recolor_svg, subplots

__all__ = [
    "DARK",
    "LIGHT",
    "THEMES",
    "Palette",
    "describe",
    "description",
    "final_positions",
    "harmonic_spheres",
    "input_heatmap",
    "input_table",
    "lattice_description",
    "loss_curve",
    "maximal_relations",
    "octahedra",
    "octahedra_figure",
    "octahedra_from_above",
    "positions_over_target",
    "recolor_svg",
    "signal_surfaces",
    "static_surfaces",
    "stereogram",
    "stereogram_description",
    "subgroup_lattice",
    "subplots",
    "task_diagram",
]
