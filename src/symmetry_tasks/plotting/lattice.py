r"""The group–subgroup lattice of the 32 crystallographic point groups.

One node per group type, in rows by group order (the largest on top); a line joins :math:`G` to each type
:math:`H` of which :math:`G` has a maximal subgroup (see :func:`~symmetry_tasks.symmetry.maximal_subgroups`).
Within a row the groups are placed by a few sweeps of the barycentre heuristic, which shortens and
uncrosses the lines, starting from the order of the crystal systems; the result is the same every time.
A line that spans several rows and would pass behind the box of a group it does not join bends, at that
row, through the nearest gap between the boxes, so that no line seems to end at a group it misses.
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.axes import Axes

from ..symmetry import NAMES, maximal_subgroups, point_group
from .style import LIGHT, describe, figure_context, new_axes

_FIGSIZE = (6.4, 6.4)
_SWEEPS = 8
#: Half the width and half the height of a group's box, with a margin, in data units (x from 0 to 1, one
#: unit per row) at :data:`_FIGSIZE`: the clearance a line keeps from the boxes it passes.
_HALF_BOX = (0.06, 0.3)
#: Half the width of a box's body (its label), in the same units; a straight line that would cross it
#: bends around the box (it would seem to end there); one past a corner of the box reads as passing by.
_BODY_HALF_WIDTH = 0.045


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


def _routes(relations: dict[str, list[str]], where: dict[str, tuple[float, int]]) -> dict[str, np.ndarray]:
    """The points of each line ``"G>H"``, from G down to H, shape (m, 2).

    Straight, except where a line would cross the body of a box of a row in between: there it runs
    vertically, across the band of that row, through the gap between the boxes nearest to where it would
    have crossed, and returns to its straight course between the rows (where there are no boxes). The
    lines that share a gap are spread across it, in the order in which they would have crossed the row.
    """
    half_width, half_height = _HALF_BOX
    rows: dict[int, list[float]] = {}
    for x, row in where.values():
        rows.setdefault(row, []).append(x)
    detours: dict[str, dict[int, float]] = {}  # line -> row -> gap centre
    users: dict[tuple[int, float], list[tuple[float, str]]] = {}  # (row, gap) -> (x crossed, line)
    for name, subs in relations.items():
        for sub in subs:
            key = f"{name}>{sub}"
            detours[key] = {}
            for row in range(where[name][1] - 1, where[sub][1], -1):
                x, *band = (
                    _straight(where[name], where[sub], row + dy) for dy in (0, -half_height, half_height)
                )
                boxes = sorted(rows[row])
                if all(
                    max(band) <= box - _BODY_HALF_WIDTH or min(band) >= box + _BODY_HALF_WIDTH
                    for box in boxes
                ):
                    continue
                gaps = [boxes[0] - 2 * half_width, boxes[-1] + 2 * half_width]
                gaps += [(a + b) / 2 for a, b in itertools.pairwise(boxes) if b - a > 2 * half_width]
                gap = min(gaps, key=lambda g: (abs(g - x), g))
                detours[key][row] = gap
                users.setdefault((row, gap), []).append((x, key))
    shift = {}
    for (row, _), crossing in users.items():
        crossing.sort()
        spacing = min(0.015, half_width / len(crossing))
        for k, (_, key) in enumerate(crossing):
            shift[key, row] = (k - (len(crossing) - 1) / 2) * spacing
    routes = {}
    for name, subs in relations.items():
        for sub in subs:
            key, start, end = f"{name}>{sub}", where[name], where[sub]
            points = [(start[0], float(start[1]))]
            if detours[key]:  # every band is crossed at a known place: straight, or through a gap
                for row in range(start[1] - 1, end[1], -1):
                    for y in (row + half_height, row - half_height):
                        x = (
                            detours[key][row] + shift[key, row]
                            if row in detours[key]
                            else _straight(start, end, y)
                        )
                        points.append((x, y))
            points.append((end[0], float(end[1])))
            routes[key] = np.array(points)
    return routes


def _straight(start: tuple[float, int], end: tuple[float, int], y: float) -> float:
    """The x at height ``y`` of the straight line from ``start`` to ``end``."""
    return start[0] + (end[0] - start[0]) * (y - start[1]) / (end[1] - start[1])


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
        routes = _routes(relations, where)
        for name, subs in relations.items():
            for sub in subs:
                ax.plot(
                    *routes[f"{name}>{sub}"].T,
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
