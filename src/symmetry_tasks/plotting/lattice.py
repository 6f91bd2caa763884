r"""The group–subgroup lattice of the 32 crystallographic point groups.

One node per group type, in rows by group order (the largest on top); a line joins :math:`G` to each type
:math:`H` of which :math:`G` has a maximal subgroup (see :func:`~symmetry_tasks.symmetry.maximal_subgroups`).
Within a row the groups are placed by a few sweeps of the barycentre heuristic, which shortens and
uncrosses the lines, starting from the order of the crystal systems; the result is the same every time.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..symmetry import NAMES, maximal_subgroups, point_group
from .style import LIGHT, describe, figure_context, new_axes

_FIGSIZE = (6.4, 6.4)
_SWEEPS = 8


def maximal_relations() -> dict[str, list[str]]:
    """For each of the 32 groups, the names of its maximal subgroups (each name once), as ``NAMES`` orders.

    Examples
    --------
    >>> maximal_relations()["D4h"]
    ['D2h', 'C4h', 'D4', 'C4v', 'D2d']
    """
    return {name: list(dict.fromkeys(c.name for c in maximal_subgroups(name))) for name in NAMES}


def _layout(relations: dict[str, list[str]]) -> dict[str, tuple[float, int]]:
    """(x in [0, 1], row) of each group; rows by increasing order."""
    orders = {name: point_group(name).order for name in relations}
    levels = sorted(set(orders.values()))
    rows = [[name for name in relations if orders[name] == level] for level in levels]
    neighbours = {name: set(subs) for name, subs in relations.items()}
    for name, subs in relations.items():
        for sub in subs:
            neighbours[sub].add(name)

    widest = max(len(row) for row in rows)

    def place() -> dict[str, float]:  # evenly spaced, each row centred, the widest from 0 to 1
        return {
            name: 0.5 + (k - (len(row) - 1) / 2) / (widest - 1) for row in rows for k, name in enumerate(row)
        }

    for sweep in range(_SWEEPS):
        x = place()
        for row in rows if sweep % 2 == 0 else rows[::-1]:
            centre = {
                name: np.mean([x[m] for m in neighbours[name]]) if neighbours[name] else x[name]
                for name in row
            }
            row.sort(key=lambda name: (centre[name], x[name]))
            x = place()
    x = place()
    return {name: (x[name], levels.index(orders[name])) for name in relations}


def lattice_description() -> str:
    """The alt text of :func:`subgroup_lattice`: what it draws, in words."""
    count = sum(len(subs) for subs in maximal_relations().values())
    return (
        f"The lattice of the {len(NAMES)} crystallographic point groups in rows by order, from C1 at the "
        f"bottom to Oh at the top; {count} lines join each group to the types of its maximal subgroups."
    )


def subgroup_lattice(ax: Axes | None = None) -> Axes:
    """Draw the lattice of maximal-subgroup relations between the 32 point group types.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Drawn on a new figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One text per group (``gid`` ``"group:NAME"``) and per row (``"order:N"``), one line per relation (``gid`` ``"relation:G>H"``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = subgroup_lattice()
    >>> sum(t.get_gid().startswith("group:") for t in ax.texts)
    32
    >>> plt.close(ax.figure)
    """
    relations = maximal_relations()
    where = _layout(relations)
    levels = sorted({point_group(name).order for name in relations})
    with figure_context():
        ax = new_axes(ax, _FIGSIZE)
        for name, subs in relations.items():
            for sub in subs:
                (x0, y0), (x1, y1) = where[name], where[sub]
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color=LIGHT.muted,
                    linewidth=0.8,
                    zorder=1,
                    gid=f"relation:{name}>{sub}",
                )
        box = {
            "boxstyle": "round,pad=0.25",
            "facecolor": LIGHT.background,
            "edgecolor": LIGHT.text,
            "linewidth": 0.8,
        }
        for name, (x, y) in where.items():
            label = f"$\\mathrm{{{name[0]}}}_{{\\mathrm{{{name[1:]}}}}}$" if len(name) > 1 else name
            ax.text(
                x, y, label, ha="center", va="center", bbox=box, zorder=3, gid=f"group:{name}", fontsize=13
            )
        for row, level in enumerate(levels):
            ax.text(
                -0.09,
                row,
                f"{level}",
                ha="right",
                va="center",
                color=LIGHT.muted,
                fontsize=10,
                gid=f"order:{level}",
            )
        ax.text(
            -0.09,
            len(levels) - 0.35,
            "order",
            ha="right",
            va="center",
            color=LIGHT.muted,
            fontsize=10,
            gid="order",
        )
        ax.set_xlim(-0.15, 1.04)
        ax.set_ylim(-0.6, len(levels) - 0.2)
        ax.set_axis_off()
    describe(ax.figure, lattice_description())
    return ax
