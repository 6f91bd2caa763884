r"""Stereographic projections of point groups: their symmetry elements and general positions.

A direction :math:`(x, y, z)` of the upper hemisphere is drawn at :math:`(x, y) / (1 + z)` inside the
unit circle (the *primitive*), the projection from the south pole; :math:`z` points at the reader. Each
rotation axis is drawn where it meets the upper hemisphere (both ends for an axis in the plane), with the
symbols of the International Tables: a lens for a twofold axis, a triangle, square or hexagon for
three-, four- and sixfold axes (a regular :math:`n`-gon beyond), filled for a proper axis; an open
square holding a lens for :math:`\bar 4`, an open hexagon holding a triangle for :math:`\bar 6`, a small
ring inside the symbol for an axis with a centre of symmetry (:math:`\bar 3`, :math:`2/m`, :math:`4/m`,
:math:`6/m`). A mirror plane is its great circle (the primitive itself for the plane :math:`z = 0`), the
inversion centre alone a ring at the centre. The general positions, the orbit of one point in no symmetry
element, are dots above the plane and rings below it.

What the elements are and where their axes point comes from
:func:`symmetry_tasks.symmetry.axes.symmetry_elements`; this module only draws them.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, Ellipse, Polygon

from ..symmetry.axes import DIRECTION_TOL, SymmetryAxis, symmetry_elements
from ..symmetry.point_groups import PointGroup, as_group
from .style import LIGHT, describe, figure_context, new_axes

_FIGSIZE = (3.4, 3.4)
_SIZE = 0.075  # radius of an axis symbol, in units of the primitive's radius
# The general position: 66 degrees from z at azimuth 14 degrees, chosen to keep the drawn orbit of every
# group, in every setting of the International Tables, apart from itself and from the axis symbols (the
# smallest gap between two markers is then 0.14 of the primitive's radius; tested).
_GENERIC = np.array([0.886, 0.221, 0.407])
_NUMBER_WORDS = {2: "twofold", 3: "threefold", 4: "fourfold", 6: "sixfold"}


def _project(points: np.ndarray) -> np.ndarray:
    """Stereographic projection of unit vectors of the upper hemisphere, shape (m, 3) -> (m, 2)."""
    return points[:, :2] / (1 + points[:, 2:3])


def _polygon(centre: np.ndarray, sides: int, radius: float, angle: float, **style: object) -> Polygon:
    turns = angle + 2 * np.pi * np.arange(sides) / sides
    return Polygon(centre + radius * np.stack([np.cos(turns), np.sin(turns)], axis=1), closed=True, **style)


def _lens(centre: np.ndarray, radius: float, angle: float, **style: object) -> Ellipse:
    return Ellipse(tuple(centre), 2 * radius, 0.9 * radius, angle=math.degrees(angle), **style)


def _symbol(ax: Axes, axis: SymmetryAxis, at: np.ndarray, gid: str) -> None:
    """Draw the symbol of ``axis`` at the projected point ``at``, pointing along its radius."""
    filled = {"facecolor": LIGHT.text, "edgecolor": LIGHT.text, "linewidth": 0.8, "zorder": 4}
    hollow = {**filled, "facecolor": LIGHT.background}
    angle = math.atan2(at[1], at[0]) if float(np.hypot(*at)) > 1e-9 else 0.0
    symbol = axis.symbol
    if symbol.startswith("-") and symbol != "-3":
        n = int(symbol[1:])  # an open symbol of the rotoinversion, holding the proper axis it contains
        outer = _polygon(at, n, _SIZE * 1.15, angle + math.pi / n, gid=gid, **hollow)
        ax.add_patch(outer)
        inner = 1.0 if axis.order <= 2 else 0.6
        ax.add_patch(_shape(at, axis.order, _SIZE * 0.75 * inner, angle, gid=f"{gid}-inner", **filled))
        return
    ax.add_patch(_shape(at, axis.order, _SIZE, angle, gid=gid, **filled))
    if axis.centre:  # a centre of symmetry on the axis
        ax.add_patch(Circle(tuple(at), _SIZE * 0.32, gid=f"{gid}-centre", **hollow))


def _shape(centre: np.ndarray, n: int, radius: float, angle: float, **style: object) -> Polygon | Ellipse:
    if n == 2:
        return _lens(centre, radius, angle, **style)
    return _polygon(centre, n, radius, angle + (math.pi / 4 if n == 4 else 0.0), **style)


def _great_circle(normal: np.ndarray) -> np.ndarray:
    """The upper half of the great circle normal to ``normal`` (not the z axis), projected, shape (m, 2)."""
    horizontal = np.cross(normal, (0.0, 0.0, 1.0))
    horizontal /= np.linalg.norm(horizontal)
    rising = np.cross(normal, horizontal)
    rising = rising if rising[2] >= 0 else -rising
    t = np.linspace(0.0, np.pi, 181)[:, None]
    return _project(np.cos(t) * horizontal + np.sin(t) * rising)


def stereogram(group: PointGroup | str, ax: Axes | None = None, *, positions: bool = True) -> Axes:
    """Draw the stereographic projection of a point group's symmetry elements (and general positions).

    Parameters
    ----------
    group : PointGroup or str
        A point group in any orientation, or a Schoenflies or Hermann–Mauguin name (then the standard
        orientation, principal axis :math:`z` at the centre).
    ax : matplotlib Axes, optional
        Drawn on a new figure if omitted.
    positions : bool
        Also draw the :math:`|G|` general positions: dots above the plane, rings below it.

    Returns
    -------
    matplotlib.axes.Axes
        Every symbol is a patch whose ``gid`` starts with ``"axis"`` (one per end of an axis drawn:
        :math:`z > 0`, or both ends of an axis in the plane), ``"inversion"``, or ``"position"``; every
        mirror is a line with ``gid`` ``"mirror"``.

    Raises
    ------
    TypeError, ValueError
        If ``group`` is neither a point group nor a point group's name, or ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = stereogram("C4v")
    >>> sum(line.get_gid() == "mirror" for line in ax.lines)
    4
    >>> plt.close(ax.figure)
    """
    group = as_group(group)
    elements = symmetry_elements(group)
    with figure_context():
        ax = new_axes(ax, _FIGSIZE)
        mirror_style = {"color": LIGHT.start, "linewidth": 1.6, "gid": "mirror", "zorder": 2}
        primitive_is_mirror = any(abs(n[2]) > 1 - DIRECTION_TOL for n in elements.mirrors)
        t = np.linspace(0, 2 * np.pi, 361)
        if primitive_is_mirror:
            ax.plot(np.cos(t), np.sin(t), **{**mirror_style, "linewidth": 2.4})
        else:
            ax.plot(np.cos(t), np.sin(t), color=LIGHT.text, linewidth=1.0, gid="primitive", zorder=2)
        for normal in elements.mirrors:
            if abs(normal[2]) <= 1 - DIRECTION_TOL:
                ax.plot(*_great_circle(normal).T, **mirror_style)
        drawn_at_centre = False
        for k, axis in enumerate(elements.axes):
            ends = (
                [axis.direction] if axis.direction[2] > DIRECTION_TOL else [axis.direction, -axis.direction]
            )
            for end in ends:
                at = _project(end[None])[0]
                drawn_at_centre |= float(np.hypot(*at)) < 1e-9
                _symbol(ax, axis, at, f"axis{k}")
        if elements.inversion and not drawn_at_centre:
            ax.add_patch(
                Circle(
                    (0.0, 0.0),
                    _SIZE * 0.45,
                    facecolor=LIGHT.background,
                    edgecolor=LIGHT.text,
                    linewidth=1.0,
                    gid="inversion",
                    zorder=4,
                )
            )
        if positions:
            _draw_positions(ax, group.matrices.detach().numpy() @ (_GENERIC / np.linalg.norm(_GENERIC)))
        ax.set_xlim(-1.12, 1.12)
        ax.set_ylim(-1.12, 1.12)
        ax.set_aspect("equal")
        ax.set_axis_off()
    describe(ax.figure, stereogram_description(group, positions=positions))
    return ax


def _draw_positions(ax: Axes, points: np.ndarray) -> None:
    """Dots for the points above the plane, rings for those below, seen from above: (x, y) / (1 + |z|)."""
    xy = points[:, :2] / (1 + np.abs(points[:, 2:3]))
    for k, (at, above) in enumerate(zip(xy, points[:, 2] > 0, strict=True)):
        ax.add_patch(
            Circle(
                tuple(at),
                0.028 if above else 0.045,
                facecolor=LIGHT.finish if above else "none",
                edgecolor=LIGHT.finish,
                linewidth=1.0,
                gid=f"position{k}",
                zorder=3,
            )
        )


def stereogram_description(group: PointGroup | str, *, positions: bool = True) -> str:
    """The alt text of :func:`stereogram` for ``group``: what it draws, in words.

    Examples
    --------
    >>> stereogram_description("C2v", positions=False)
    'Stereographic projection of C2v (mm2): 1 twofold axis (2), 2 mirror planes.'
    """
    group = as_group(group)
    elements = symmetry_elements(group)
    counts: dict[str, int] = {}
    for axis in elements.axes:
        counts[axis.symbol] = counts.get(axis.symbol, 0) + 1
    parts = [
        f"{count} {_NUMBER_WORDS.get(int(symbol.split('/')[0].lstrip('-')), symbol)} "
        f"{'rotoinversion ' if symbol.startswith('-') else ''}ax{'es' if count > 1 else 'is'} ({symbol})"
        for symbol, count in counts.items()
    ]
    if elements.mirrors:
        parts.append(f"{len(elements.mirrors)} mirror plane{'s' if len(elements.mirrors) > 1 else ''}")
    if elements.inversion:
        parts.append("an inversion centre")
    text = f"Stereographic projection of {group.name} ({group.hermann_mauguin}): " + (
        ", ".join(parts) if parts else "no symmetry element but the identity"
    )
    if positions:
        text += f"; its {group.order} general positions as dots above the plane and rings below it"
    return text + "."
