r"""Flat figures of a task: the deformation asked for, where the points end up, and the loss curve.

Shapes are drawn in the xy-plane (z is ignored) as closed outlines, their points ordered around the
centroid. Every function takes an optional matplotlib ``ax``, returns the :class:`~matplotlib.axes.Axes`
it drew on, and describes what it drew in the figure's alt text (:func:`~.style.describe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba

from ._arrays import as_array, as_point_sets, as_positive
from .style import LIGHT, describe, figure_context, new_axes

_PLANE_FIGSIZE = (4.2, 4.2)


def _outline(points: np.ndarray) -> np.ndarray:
    """The points sorted by angle around their centroid, first point repeated: a closed convex outline."""
    offset = points - points.mean(axis=0)
    order = np.argsort(np.arctan2(offset[:, 1], offset[:, 0]), kind="stable")
    return np.concatenate([points[order], points[order][:1]])


def _finish_plane(ax: Axes, title: str, legend_columns: int) -> None:
    """Title, equal aspect, axis labels and a legend below the axes."""
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.margins(0.15)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=legend_columns, frameon=False)


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
    start_xy, finish_xy = start_xyz[:, :2], finish_xyz[:, :2]
    with figure_context():
        ax = new_axes(ax, _PLANE_FIGSIZE)
        for points, label, colour, marker in (
            (start_xy, start_label, LIGHT.start, "o"),
            (finish_xy, finish_label, LIGHT.finish, "s"),
        ):
            outline = _outline(points)
            ax.plot(outline[:, 0], outline[:, 1], "-", marker=marker, color=colour, label=label, ms=7, lw=2)
        for (x0, y0), (x1, y1) in zip(start_xy, finish_xy, strict=True):
            arrow = {"arrowstyle": "-|>", "color": LIGHT.text, "lw": 1.3, "shrinkA": 0, "shrinkB": 0}
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=arrow)
        _finish_plane(ax, title, legend_columns=2)
    describe(
        ax.figure,
        f"{title}: the {start_label} (circles) and the {finish_label} (squares) seen from above, with an "
        f"arrow from each of the {len(start_xy)} points to where it should go.",
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

    The legend and the alt text give the largest distance between a prediction and its target.

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
    >>> len(ax.lines), len(ax.patches), ax.get_legend().get_texts()[-1].get_text()
    (5, 1, 'predicted (largest miss 7.1e-03)')
    >>> plt.close(ax.figure)
    """
    named = {"predicted": predicted, "target": target} | ({} if start is None else {"start": start})
    predicted_xyz, target_xyz, *start_xyz = as_point_sets(named)
    miss = float(np.linalg.norm(predicted_xyz - target_xyz, axis=1).max())
    predicted_xy, target_xy = predicted_xyz[:, :2], target_xyz[:, :2]
    with figure_context():
        ax = new_axes(ax, _PLANE_FIGSIZE)
        if start_xyz:
            outline = _outline(start_xyz[0][:, :2])
            ax.plot(outline[:, 0], outline[:, 1], ":", color=LIGHT.start, lw=1.2, label="start")
        ax.add_patch(
            mpl.patches.Polygon(
                _outline(target_xy)[:-1],
                closed=True,
                facecolor=to_rgba(LIGHT.finish, 0.15),
                edgecolor=LIGHT.finish,
                lw=2,
                label="target",
            )
        )
        for (x0, y0), (x1, y1) in zip(target_xy, predicted_xy, strict=True):
            ax.plot([x0, x1], [y0, y1], "-", color=LIGHT.muted, lw=0.8)
        ax.plot(
            predicted_xy[:, 0],
            predicted_xy[:, 1],
            "X",
            color=LIGHT.predicted,
            ms=10,
            mec=LIGHT.background,
            label=f"predicted (largest miss {miss:.1e})",
        )
        _finish_plane(ax, title, legend_columns=2 if start_xyz else 3)
    describe(
        ax.figure,
        f"{title}: the target shape (shaded), the {len(target_xy)} predicted points (crosses) "
        + ("and the start shape (dotted) " if start_xyz else "")
        + f"seen from above; the prediction furthest from its target is {miss:.1e} away.",
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
    'a task: decoded positions'
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
        ax = new_axes(ax, (5.6, 3.3))
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
        if label is not None or floor is not None or phases:
            ax.legend(frameon=False)
    curve = f"The loss{f' of {label}' if label else ''} per training step on a log scale, over {len(values)} steps"
    text = f"{curve}: {values[0]:.2e} at the first step, {values[-1]:.2e} at the last, {values.min():.2e} at the lowest."
    if floor is not None:
        text += f" A dashed line marks the floor {floor:.4e}."
    if phases:
        text += " Shaded: " + "; ".join(f"steps {a} to {b - 1}, {name}" for a, b, name in phases) + "."
    describe(ax.figure, text)
    return ax
