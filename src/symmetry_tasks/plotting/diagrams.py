r"""Figures of a task: the deformation asked for, where the points end up, and the loss curve.

A flat shape (all points at one z) is drawn from above in the xy-plane as a closed outline, its points
ordered around the centroid. A shape in space (a cube) is drawn in 3-D with its edges, the lines joining
nearest neighbours of the starting shape; given flat axes, it takes their place in the figure. Both are
drawn at one scale on every axis (:func:`~.quality.mark_spatial`). Every function takes an optional
matplotlib ``ax``, returns the :class:`~matplotlib.axes.Axes` it drew on, and describes what it drew in
the figure's alt text (:func:`~.style.describe`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Protocol

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba

from ._arrays import as_array, as_point_sets, as_positive
from .quality import mark_spatial
from .style import LIGHT, describe, figure_context, new_axes

_PLANE_FIGSIZE = (4.2, 4.2)
#: Points whose z coordinates spread less than this are a flat shape, drawn in the xy-plane.
_FLAT = 1e-9
#: The view of a shape in space, from above the xy-plane, between the x and the -y axes.
_VIEW = {"elev": 24.0, "azim": -58.0}


def _outline(points: np.ndarray) -> np.ndarray:
    """The points sorted by angle around their centroid, first point repeated: a closed convex outline."""
    offset = points - points.mean(axis=0)
    order = np.argsort(np.arctan2(offset[:, 1], offset[:, 0]), kind="stable")
    return np.concatenate([points[order], points[order][:1]])


def _is_flat(*point_sets: np.ndarray) -> bool:
    return all(points.shape[1] == 2 or np.ptp(points[:, 2]) < _FLAT for points in point_sets)


def _edges(points: np.ndarray) -> list[tuple[int, int]]:
    """The pairs of nearest neighbours (at the smallest distance, to a relative 1e-6): a polyhedron's edges."""
    gaps = np.linalg.norm(points[:, None] - points[None], axis=-1)
    shortest = gaps[np.triu_indices(len(points), 1)].min()
    return [
        (a, b)
        for a, b in zip(*np.triu_indices(len(points), 1), strict=True)
        if gaps[a, b] < shortest * (1 + 1e-6)
    ]


def _spatial_axes(ax: Axes | None, flat: bool) -> Axes:
    """Flat axes for a flat shape, 3-D axes otherwise: a new figure's, ``ax``, or 3-D axes in ``ax``'s place."""
    if ax is None:
        with figure_context():
            figure = plt.figure(figsize=_PLANE_FIGSIZE, layout="constrained")
            ax = figure.add_subplot(projection=None if flat else "3d")
    ax = new_axes(ax, _PLANE_FIGSIZE)
    if not flat and ax.name != "3d":
        figure, spec = ax.figure, ax.get_subplotspec()
        ax.remove()
        ax = figure.add_subplot(spec, projection="3d")
    return mark_spatial(ax)


def _draw_shape(ax: Axes, points: np.ndarray, edges: list[tuple[int, int]] | None, **style: object) -> None:
    """A flat shape's closed outline, or the given edges of a shape in space; one legend entry."""
    if edges is None:
        outline = _outline(points[:, :2])
        ax.plot(outline[:, 0], outline[:, 1], **style)
        return
    label = style.pop("label", None)
    for index, (a, b) in enumerate(edges):
        ax.plot(*points[[a, b]].T, **style, label=label if index == 0 else None)


def _wrapped(title: str, ax: Axes) -> str:
    """``title`` broken into lines that fit the width of ``ax``."""
    width = ax.get_position().width * ax.figure.get_figwidth() * 72  # points
    size = mpl.font_manager.FontProperties(size=mpl.rcParams["axes.titlesize"]).get_size_in_points()
    characters = max(12, int(width / (0.58 * size)))
    return "\n".join(textwrap.wrap(title, characters)) or title


def _finish_plane(ax: Axes, title: str, entries: int) -> None:
    """Title, one scale on every axis, axis labels and a legend below the axes, in as many columns as fit.

    Axes narrower than 3 inches (a panel of several) get fewer ticks. In 3-D there are none: only the
    axes' directions matter there (the tick labels of a projected box crowd its edges).
    """
    ax.set_title("\n".join(_wrapped(line, ax) for line in title.split("\n")))
    width = ax.get_position().width * ax.figure.get_figwidth()  # inches
    narrow = width < 3.0
    columns = entries if width > 1.3 * entries else 1
    if ax.name == "3d":
        limits = np.array([ax.get_xlim3d(), ax.get_ylim3d(), ax.get_zlim3d()])
        ax.set_box_aspect(np.ptp(limits, axis=1), zoom=0.95)
        ax.view_init(**_VIEW)
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.set_major_locator(mpl.ticker.NullLocator())
            axis.labelpad = -12
        ax.set_zlabel(
            "" if narrow else "z"
        )  # up, as every reader takes it; its label would reach the next panel
        legend = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "borderaxespad": 0.2}
    else:
        ax.set_aspect("equal")
        ax.margins(0.15)
        if narrow:
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_locator(mpl.ticker.MaxNLocator(nbins=3, steps=[1, 2, 5, 10]))
        # below the tick labels and the x label
        legend = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "borderaxespad": 2.6}
    ax.set_xlabel("x", labelpad=2)
    ax.set_ylabel("y", labelpad=2)
    ax.legend(**legend, ncols=columns, frameon=False, handlelength=1.6, columnspacing=1.0)


def task_diagram(
    start: object,
    finish: object,
    title: str,
    ax: Axes | None = None,
    *,
    start_label: str = "start",
    finish_label: str = "finish",
) -> Axes:
    r"""Draw a task: the start shape, the finish shape and an arrow from each point to its image.

    Point ``i`` of ``start`` moves to point ``i`` of ``finish``.

    Parameters
    ----------
    start, finish : array-like, shape :math:`(N, 3)` or :math:`(N, 2)`
    title : str
    ax : matplotlib Axes, optional
        Drawn on a new figure if omitted.
    start_label, finish_label : str
        Legend entries.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from symmetry_tasks.shapes import rectangle, square
    >>> ax = task_diagram(rectangle(), square(), "rectangle to square")
    >>> len(ax.lines), len(ax.texts)
    (2, 4)
    >>> plt.close(ax.figure)
    """
    start_xyz, finish_xyz = as_point_sets({"start": start, "finish": finish})
    flat = _is_flat(start_xyz, finish_xyz)
    edges = None if flat else _edges(start_xyz)
    with figure_context():
        ax = _spatial_axes(ax, flat)
        for points, label, colour, marker in (
            (start_xyz, start_label, LIGHT.start, "o"),
            (finish_xyz, finish_label, LIGHT.finish, "s"),
        ):
            _draw_shape(ax, points, edges, ls="-", marker=marker, color=colour, label=label, ms=6, lw=2)
        if flat:
            for (x0, y0), (x1, y1) in zip(start_xyz[:, :2], finish_xyz[:, :2], strict=True):
                arrow = {"arrowstyle": "-|>", "color": LIGHT.text, "lw": 1.3, "shrinkA": 0, "shrinkB": 0}
                ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=arrow)
        else:
            ax.quiver(
                *start_xyz.T, *(finish_xyz - start_xyz).T, color=LIGHT.text, lw=1.3, arrow_length_ratio=0.3
            )
        _finish_plane(ax, title, entries=2)
    view = "seen from above" if flat else "in 3-D, edges joining nearest neighbours"
    describe(
        ax.figure,
        f"{title}: the {start_label} (circles) and the {finish_label} (squares) {view}, with an "
        f"arrow from each of the {len(start_xyz)} points to where it should go.",
    )
    return ax


def positions_over_target(
    predicted: object,
    target: object,
    title: str,
    ax: Axes | None = None,
    *,
    start: object | None = None,
) -> Axes:
    r"""Draw decoded positions over the target shape, with a segment from each target point to its prediction.

    The title and the alt text give the largest distance between a prediction and its target. Whether
    the figure is flat or 3-D is decided by the target and start shapes: predictions that round-off
    lifts off a flat target's plane are drawn in it.

    Parameters
    ----------
    predicted, target : array-like, shape :math:`(N, 3)` or :math:`(N, 2)`
        Point ``i`` of ``predicted`` should land on point ``i`` of ``target``.
    title : str
    ax : matplotlib Axes, optional
    start : array-like, shape :math:`(N, 3)` or :math:`(N, 2)`, optional
        The starting shape, drawn dotted for reference.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the figure's alt text gives the largest miss too.

    Examples
    --------
    >>> from symmetry_tasks.shapes import square
    >>> import matplotlib.pyplot as plt
    >>> ax = positions_over_target(square() * 1.01, square(), "nearly there")
    >>> len(ax.lines), len(ax.patches), ax.get_title()
    (5, 1, 'nearly there\nlargest miss 7.1e-03')
    >>> plt.close(ax.figure)
    """
    named = {"predicted": predicted, "target": target} | ({} if start is None else {"start": start})
    predicted_xyz, target_xyz, *start_xyz = as_point_sets(named)
    miss = float(np.linalg.norm(predicted_xyz - target_xyz, axis=1).max())
    flat = _is_flat(target_xyz, *start_xyz)  # a prediction off the plane by round-off stays flat
    edges = None if flat else _edges(start_xyz[0] if start_xyz else target_xyz)
    with figure_context():
        ax = _spatial_axes(ax, flat)
        if start_xyz:
            _draw_shape(ax, start_xyz[0], edges, ls=":", color=LIGHT.start, lw=1.2, label="start")
        if flat:
            ax.add_patch(
                mpl.patches.Polygon(
                    _outline(target_xyz[:, :2])[:-1],
                    closed=True,
                    facecolor=to_rgba(LIGHT.finish, 0.15),
                    edgecolor=LIGHT.finish,
                    lw=2,
                    label="target",
                )
            )
        else:
            _draw_shape(ax, target_xyz, edges, ls="-", color=LIGHT.finish, lw=2, label="target")
        dimensions = 2 if flat else 3
        for first, last in zip(target_xyz[:, :dimensions], predicted_xyz[:, :dimensions], strict=True):
            ax.plot(*np.stack([first, last]).T, "-", color=LIGHT.muted, lw=0.8)
        ax.plot(
            *predicted_xyz[:, :dimensions].T,
            "X",
            ls="none",
            color=LIGHT.predicted,
            ms=9,
            mec=LIGHT.background,
            label="predicted",
        )
        _finish_plane(ax, f"{title}\nlargest miss {miss:.1e}", entries=3 if start_xyz else 2)
    view = "seen from above" if flat else "in 3-D"
    describe(
        ax.figure,
        f"{title}: the target shape ({'shaded' if flat else 'solid edges'}), the {len(target_xyz)} predicted "
        "points (crosses) "
        + ("and the start shape (dotted) " if start_xyz else "")
        + f"{view}; the prediction furthest from its target is {miss:.1e} away.",
    )
    return ax


class _Outcome(Protocol):
    name: str
    positions: object
    target_positions: object
    predicted: object


def final_positions(result: _Outcome, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Where a task's points end up: :func:`positions_over_target` of a :class:`~symmetry_tasks.tasks.TaskResult`.

    Draws ``result.predicted`` over ``result.target_positions``, with ``result.positions`` dotted; the
    title defaults to the task's name.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from types import SimpleNamespace
    >>> from symmetry_tasks.shapes import rectangle, square
    >>> result = SimpleNamespace(name="a task", positions=square(), target_positions=rectangle(),
    ...                          predicted=rectangle())
    >>> final_positions(result).get_title()
    'a task: decoded positions\\nlargest miss 0.0e+00'
    >>> plt.close("all")
    """
    title = f"{result.name}: decoded positions" if title is None else title
    return positions_over_target(result.predicted, result.target_positions, title, ax, start=result.positions)


def loss_curve(
    losses: Sequence[float] | np.ndarray,
    ax: Axes | None = None,
    floor: float | None = None,
    phases: Sequence[tuple[int, int, str]] | None = None,
    label: str | None = None,
) -> Axes:
    r"""Plot a loss per training step on a log scale.

    Parameters
    ----------
    losses : sequence of float, length :math:`T`
        Positive losses, one per step.
    ax : matplotlib Axes, optional
        Call again with the same ``ax`` to overlay several curves.
    floor : float, optional
        A positive lower bound to draw as a horizontal dashed line (e.g. the Curie floor).
    phases : sequence of ``(first_step, stop_step, name)``, optional
        Step ranges :math:`[\text{first}, \text{stop})` to shade and name, e.g. a stuck phase and an
        alternating phase.
    label : str, optional
        Legend entry of the curve.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, with a log-scaled y axis.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = loss_curve([1.0, 0.1, 0.01], floor=1e-3, phases=[(0, 1, "a"), (1, 3, "b")], label="loss")
    >>> ax.get_yscale(), len(ax.lines), len(ax.patches)
    ('log', 2, 2)
    >>> plt.close(ax.figure)
    """
    values = as_array(losses, "losses", 1)
    if (values <= 0).any():
        raise ValueError(f"losses must be positive for a log scale, got {values[values <= 0][0]!r}")
    if floor is not None:
        floor = as_positive(floor, "floor")
    for phase in phases or ():
        if not (isinstance(phase, (tuple, list)) and len(phase) == 3):
            raise ValueError(f"each phase must be (first_step, stop_step, name), got {phase!r}")
        if not (0 <= phase[0] < phase[1] <= len(values)):
            raise ValueError(
                f"phase {phase[2]!r} must satisfy 0 <= first < stop <= {len(values)}, got {phase!r}"
            )
    with figure_context():
        ax = new_axes(ax, (5.6, 3.9))
        for index, (first, stop, name) in enumerate(phases or ()):
            shade = LIGHT.shades[index % len(LIGHT.shades)]
            ax.axvspan(first - 0.5, stop - 0.5, color=shade, zorder=0, label=name)
        ax.plot(np.arange(len(values)), values, lw=1.8, label=label, zorder=2)
        if floor is not None:
            ax.axhline(floor, ls="--", lw=1.3, color=LIGHT.floor, label=f"floor {floor:.4e}", zorder=1)
        ax.set_yscale("log")
        ax.set_xlabel("training step")
        ax.set_ylabel("loss (mean squared error)")
        ax.grid(True, which="major", lw=0.6)
        if label is not None or floor is not None or phases:  # above the axes, clear of the curves
            ax.legend(
                loc="lower center", bbox_to_anchor=(0.5, 1.0), borderaxespad=0.3, ncols=2, frameon=False
            )
    curve = f"The loss{f' of {label}' if label else ''} per training step on a log scale, over {len(values)} steps"
    text = f"{curve}: {values[0]:.2e} at the first step, {values[-1]:.2e} at the last, {values.min():.2e} at the lowest."
    if floor is not None:
        text += f" A dashed line marks the floor {floor:.4e}."
    if phases:
        text += " Shaded: " + "; ".join(f"steps {a} to {b - 1}, {name}" for a, b, name in phases) + "."
    describe(ax.figure, text)
    return ax
