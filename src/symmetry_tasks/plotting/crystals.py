r"""Crystals: the octahedra of a perovskite, as an interactive 3-D figure (plotly) or seen down z.

Each octahedron is found from the structure itself: the six nearest corner atoms of every centre atom,
from ASE's neighbour list (:func:`ase.neighborlist.neighbor_list`, periodic images included), so an
octahedron that crosses the cell's face is drawn whole.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from ase import Atoms
from ase.neighborlist import neighbor_list
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

from ..crystals.glazer import SPECIES
from ..crystals.structures import check_atoms
from .style import LIGHT, THEMES, describe, figure_context, new_axes, plotly_template, plotly_theme

#: The eight faces of an octahedron, by the slots of its corners (+x, -x, +y, -y, +z, -z).
_FACES = np.array([(sx, 2 + sy, 4 + sz) for sx in (0, 1) for sy in (0, 1) for sz in (0, 1)])
# Above the structure, a little in front: far enough that the whole axis box, with the x axis's title,
# fits the scene at 390 px too (closer, plotly cut its lower edge).
_CAMERA = {"eye": {"x": 0.45, "y": -1.43, "z": 1.75}, "up": {"x": 0, "y": 0, "z": 1}}
#: At most four ticks per axis; the projected box's edges are short, and more tick labels collide.
_AXIS = {"nticks": 4}


def octahedra(
    atoms: Atoms, centre: str = SPECIES[1], corner: str = SPECIES[2]
) -> tuple[np.ndarray, np.ndarray]:
    r"""Every ``centre`` atom and its six nearest ``corner`` atoms, each in the slot of its direction.

    Returns
    -------
    centres : numpy.ndarray
        Shape :math:`(M, 3)`, the positions of the centre atoms.
    corners : numpy.ndarray
        Shape :math:`(M, 6, 3)`, the corners along :math:`+x, -x, +y, -y, +z, -z` from each centre
        (periodic images where the octahedron crosses the cell's face).

    Raises
    ------
    ValueError
        If there is no ``centre`` atom, or one does not have six ``corner`` atoms, one along each of
        :math:`\pm x, \pm y, \pm z`.

    Examples
    --------
    >>> from symmetry_tasks.crystals import perovskite
    >>> centres, corners = octahedra(perovskite("a0a0c+"))
    >>> centres.shape, corners.shape
    ((8, 3), (8, 6, 3))
    """
    atoms = check_atoms(atoms)
    symbols = np.array(atoms.get_chemical_symbols())
    rows = np.flatnonzero(symbols == centre)
    if len(rows) == 0:
        raise ValueError(f"the structure has no {centre} atom to centre an octahedron on")
    cutoff = float(np.linalg.norm(atoms.cell[:], axis=1).max())
    first, second, vectors = neighbor_list("ijD", atoms, cutoff)
    corners = np.empty((len(rows), 6, 3))
    for k, row in enumerate(rows):
        mine = (first == row) & (symbols[second] == corner)
        bonds = vectors[mine][np.argsort(np.linalg.norm(vectors[mine], axis=1))[:6]]
        axes = np.abs(bonds).argmax(axis=1)
        slots = 2 * axes + (bonds[np.arange(len(bonds)), axes] < 0)
        if sorted(slots.tolist()) != list(range(6)):
            raise ValueError(f"atom {row} ({centre}) has no octahedron of {corner} atoms around it")
        corners[k, slots] = atoms.positions[row] + bonds
    return atoms.positions[rows], corners


def octahedra_figure(
    atoms: Atoms,
    *,
    centre: str = SPECIES[1],
    corner: str = SPECIES[2],
    title: str | None = None,
    description: str | None = None,
    decimals: int = 3,
) -> go.Figure:
    """The octahedra of a structure as an interactive 3-D figure, with the other atoms as markers.

    One ``Mesh3d`` of all the octahedra, then one ``Scatter3d`` of the atoms that are neither centre nor
    corner (the A sites of a perovskite). In the light palette, carrying both themes in
    ``layout.meta["themes"]`` and its alt text in ``layout.meta["description"]``, as
    :func:`~symmetry_tasks.plotting.signal_surfaces` does.

    Examples
    --------
    >>> from symmetry_tasks.crystals import perovskite
    >>> [trace.type for trace in octahedra_figure(perovskite("a-a-a-")).data]
    ['mesh3d', 'scatter3d']
    """
    centres, corners = octahedra(atoms, centre, corner)
    vertices = corners.reshape(-1, 3).round(decimals)
    faces = (_FACES[None] + 6 * np.arange(len(centres))[:, None, None]).reshape(-1, 3)
    symbols = np.array(atoms.get_chemical_symbols())
    others = atoms.positions[(symbols != centre) & (symbols != corner)].round(decimals)
    other_names = sorted(set(symbols.tolist()) - {centre, corner})
    figure = go.Figure()
    figure.add_trace(
        go.Mesh3d(
            x=vertices[:, 0].tolist(),
            y=vertices[:, 1].tolist(),
            z=vertices[:, 2].tolist(),
            i=faces[:, 0].tolist(),
            j=faces[:, 1].tolist(),
            k=faces[:, 2].tolist(),
            color=LIGHT.start,
            flatshading=True,
            name=f"{centre}{corner}6 octahedra",
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter3d(
            x=others[:, 0].tolist(),
            y=others[:, 1].tolist(),
            z=others[:, 2].tolist(),
            mode="markers",
            name=", ".join(other_names) or "other atoms",
            marker={"size": 4, "color": LIGHT.finish},
            hovertemplate="x %{x}, y %{y}, z %{z}<extra></extra>",
        )
    )
    text = description or (
        f"{title + ': ' if title else ''}a 3-D view of the {len(centres)} {centre}{corner}6 octahedra of the "
        f"structure (blue), with its {', '.join(other_names) or 'other'} atoms as orange markers."
    )
    figure.update_layout(
        template=plotly_template(),
        title={"text": title, "x": 0.02, "xanchor": "left"} if title else None,
        autosize=True,
        margin={"l": 0, "r": 0, "t": 36 if title else 0, "b": 0},
        showlegend=True,
        legend={"orientation": "h", "x": 0.98, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
        scene={
            "aspectmode": "data",
            "camera": _CAMERA,
            "domain": {"x": [0, 1], "y": [0, 1]},
            **{f"{axis}axis": _AXIS for axis in "xyz"},
        },
        meta={
            "description": text,
            "themes": {
                name: {"layout": plotly_theme(palette), "markers": [palette.finish]}
                for name, palette in THEMES.items()
            },
        },
    )
    figure.update_layout(plotly_theme(LIGHT))
    return figure


def octahedra_from_above(
    atoms: Atoms,
    *,
    centre: str = SPECIES[1],
    corner: str = SPECIES[2],
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The octahedra seen down z: each as the square of its four corners in the xy plane.

    The octahedra of the lowest layer are filled, those of the next layer outlined (dashed), so that
    tilts about z in phase (the squares coincide) and in anti-phase (they turn the other way) differ at
    a glance. Returns the matplotlib Axes.

    Examples
    --------
    >>> from symmetry_tasks.crystals import perovskite
    >>> ax = octahedra_from_above(perovskite("a0a0c-"))
    >>> len(ax.patches)
    8
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    centres, corners = octahedra(atoms, centre, corner)
    layers = np.round((centres[:, 2] - centres[:, 2].min()) / max(np.ptp(centres[:, 2]), 1e-9)).astype(int)
    with figure_context():
        ax = new_axes(ax, (3.4, 3.4))
        _draw_from_above(ax, corners, layers, title)
    describe(
        ax.figure,
        f"{title + ': ' if title else ''}the {centre}{corner}6 octahedra seen down z, each drawn as the square "
        "of its four corners in the xy plane: the lowest layer filled in blue, the layer above outlined in "
        "dashed orange.",
    )
    return ax


def _draw_from_above(ax: Axes, corners: np.ndarray, layers: np.ndarray, title: str | None) -> None:
    for square, layer in zip(corners[:, [0, 2, 1, 3], :2], layers, strict=True):
        style = (
            {"facecolor": LIGHT.start, "edgecolor": LIGHT.start, "alpha": 0.55}
            if layer == 0
            else {"fill": False, "edgecolor": LIGHT.finish, "linestyle": "--", "linewidth": 1.5}
        )
        ax.add_patch(Polygon(square, closed=True, **style))
    everything = corners[..., :2].reshape(-1, 2)
    ax.set_xlim(everything[:, 0].min() - 0.3, everything[:, 0].max() + 0.3)
    ax.set_ylim(everything[:, 1].min() - 0.3, everything[:, 1].max() + 0.3)
    ax.set_aspect("equal")
    ax.set_xlabel("x (Å)")
    ax.set_ylabel("y (Å)")
    if title:
        ax.set_title(title)
