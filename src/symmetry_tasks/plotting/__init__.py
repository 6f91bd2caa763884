r"""The figures every page shares: task diagrams, loss curves, 3-D signal surfaces and input heat maps.

Every figure of the site is drawn here, so its style changes in one place. Figures read on light and
dark page themes alike: matplotlib figures get an explicit white face and dark text (set inside an
:func:`matplotlib.rc_context`, so the global ``rcParams`` are left untouched), plotly figures an
explicit white paper and the ``plotly_white`` template.

Matplotlib functions take an optional ``ax`` and return the :class:`~matplotlib.axes.Axes` they drew
on; :func:`signal_surfaces` returns a :class:`plotly.graph_objects.Figure`.

Components of a signal are named in e3nn's order, where the polar axis is **y**: the ``l = 2`` block
is :math:`xz,\ xy,\ y^2 - (x^2 + z^2)/2,\ yz,\ z^2 - x^2` (see :func:`component_labels`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
import torch
from e3nn import o3
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._checks import as_lmax
from ..signals import sh_to_polynomial, signal_irreps

#: Colours shared by all figures (colour-blind safe, readable on white).
COLORS = {
    "start": "#0072B2",
    "finish": "#D55E00",
    "predicted": "#009E73",
    "floor": "#CC79A7",
    "text": "#1f1f1f",
    "grid": "#d9d9d9",
}

#: The background colour of every figure, set explicitly so that figures read on light and dark themes.
BACKGROUND = "#ffffff"

_RC = {
    "figure.facecolor": BACKGROUND,
    "axes.facecolor": BACKGROUND,
    "savefig.facecolor": BACKGROUND,
    "text.color": COLORS["text"],
    "axes.labelcolor": COLORS["text"],
    "axes.edgecolor": COLORS["text"],
    "axes.titlecolor": COLORS["text"],
    "xtick.color": COLORS["text"],
    "ytick.color": COLORS["text"],
    "legend.labelcolor": COLORS["text"],
    "legend.facecolor": BACKGROUND,
    "font.size": 10.0,
}

_L2_LABELS = ("xz", "xy", "y²−(x²+z²)/2", "yz", "z²−x²")
_L1_LABELS = ("x", "y", "z")


def component_labels(lmax: int) -> list[str]:
    r"""Short names of the :math:`(l_\max + 1)^2` components of a signal, in e3nn's order.

    ``l = 0, 1, 2`` get their Cartesian form (y is e3nn's polar axis); higher ``l`` are named
    ``l=3,m=-3`` ... by their index :math:`m = -l, \dots, l` in the block.

    Examples
    --------
    >>> component_labels(2)
    ['1', 'x', 'y', 'z', 'xz', 'xy', 'y²−(x²+z²)/2', 'yz', 'z²−x²']
    >>> component_labels(3)[9]
    'l=3,m=-3'
    """
    lmax = as_lmax(lmax)
    labels = ["1", *_L1_LABELS, *_L2_LABELS]
    for ell in range(3, lmax + 1):
        labels += [f"l={ell},m={m}" for m in range(-ell, ell + 1)]
    return labels[: (lmax + 1) ** 2]


def _lmax_of_width(width: int, name: str) -> int:
    lmax = math.isqrt(width) - 1
    if width == 0 or (lmax + 1) ** 2 != width:
        raise ValueError(f"{name} must have (lmax + 1)^2 columns for some lmax, got {width} columns")
    return lmax


def _as_array(values: object, name: str, ndim: int) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be array-like of numbers, got {type(values).__name__}") from error
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite, got NaN or infinite entries")
    return array


def _as_points(values: object, name: str) -> np.ndarray:
    points = _as_array(values, name, 2)
    if points.shape[1] not in (2, 3):
        raise ValueError(f"{name} must have shape (N, 3) or (N, 2), got {points.shape}")
    return points[:, :2]


def _outline(points: np.ndarray) -> np.ndarray:
    """The points sorted by angle around their centroid, first point repeated: a closed convex outline."""
    offset = points - points.mean(axis=0)
    order = np.argsort(np.arctan2(offset[:, 1], offset[:, 0]), kind="stable")
    return np.concatenate([points[order], points[order][:1]])


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
        return ax
    figure, ax = plt.subplots(figsize=figsize, layout="constrained")
    figure.set_facecolor(BACKGROUND)
    return ax


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

    Point ``i`` of ``start`` moves to point ``i`` of ``finish``. Shapes are drawn in the xy-plane as
    closed outlines (points ordered around their centroid); z is ignored.

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
    >>> from symmetry_tasks.shapes import rectangle, square
    >>> ax = task_diagram(rectangle(), square(), "rectangle to square")
    >>> len(ax.lines), len(ax.texts)
    (2, 4)
    >>> plt.close(ax.figure)
    """
    start_xy, finish_xy = _as_points(start, "start"), _as_points(finish, "finish")
    if start_xy.shape != finish_xy.shape:
        raise ValueError(
            f"start and finish must have the same shape, got {start_xy.shape} and {finish_xy.shape}"
        )
    with mpl.rc_context(_RC):
        ax = _new_axes(ax, (4.2, 4.2))
        for points, label, key, marker in (
            (start_xy, start_label, "start", "o"),
            (finish_xy, finish_label, "finish", "s"),
        ):
            outline = _outline(points)
            ax.plot(
                outline[:, 0], outline[:, 1], "-", marker=marker, color=COLORS[key], label=label, ms=7, lw=2
            )
        for (x0, y0), (x1, y1) in zip(start_xy, finish_xy, strict=True):
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": COLORS["text"],
                    "lw": 1.3,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
        ax.set_title(title)
        ax.set_aspect("equal")
        ax.margins(0.15)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, frameon=False)
    return ax


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

    Examples
    --------
    >>> ax = loss_curve([1.0, 0.1, 0.01], floor=1e-3, phases=[(0, 1, "a"), (1, 3, "b")], label="loss")
    >>> ax.get_yscale(), len(ax.lines), len(ax.patches)
    ('log', 2, 2)
    >>> plt.close(ax.figure)
    """
    values = _as_array(losses, "losses", 1)
    if (values <= 0).any():
        raise ValueError(f"losses must be positive for a log scale, got {values[values <= 0][0]!r}")
    if floor is not None and not (isinstance(floor, (int, float)) and math.isfinite(floor) and floor > 0):
        raise ValueError(f"floor must be a finite positive number, got {floor!r}")
    steps = np.arange(len(values))
    with mpl.rc_context(_RC):
        ax = _new_axes(ax, (6.0, 3.4))
        if phases is not None:
            shades = ("#e8eef7", "#f7ece3", "#e6f2ec", "#f3e8f0")
            for index, phase in enumerate(phases):
                if not (isinstance(phase, (tuple, list)) and len(phase) == 3):
                    raise ValueError(f"each phase must be (first_step, stop_step, name), got {phase!r}")
                first, stop, name = phase
                if not (0 <= first < stop <= len(values)):
                    raise ValueError(
                        f"phase {name!r} must satisfy 0 <= first < stop <= {len(values)}, got {phase!r}"
                    )
                ax.axvspan(first - 0.5, stop - 0.5, color=shades[index % len(shades)], zorder=0, label=name)
        ax.plot(steps, values, lw=1.8, label=label, zorder=2)
        if floor is not None:
            ax.axhline(floor, ls="--", lw=1.3, color=COLORS["floor"], label=f"floor {floor:.4e}", zorder=1)
        ax.set_yscale("log")
        ax.set_xlabel("training step")
        ax.set_ylabel("loss (mean squared error)")
        ax.grid(True, which="major", color=COLORS["grid"], lw=0.6)
        if label is not None or floor is not None or phases:
            ax.legend(frameon=False)
    return ax


def positions_over_target(
    predicted: object,
    target: object,
    title: str,
    ax: Axes | None = None,
    *,
    start: object | None = None,
) -> Axes:
    r"""Draw the decoded final positions over the target shape, with an error segment for each point.

    Parameters
    ----------
    predicted, target : array-like, shape :math:`(N, 3)` or :math:`(N, 2)`
        Point ``i`` of ``predicted`` should land on point ``i`` of ``target``; z is ignored.
    title : str
    ax : matplotlib Axes, optional
    start : array-like, shape :math:`(N, 3)`, optional
        The starting shape, drawn faintly for reference.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from symmetry_tasks.shapes import square
    >>> ax = positions_over_target(square() * 1.01, square(), "nearly there")
    >>> len(ax.lines), len(ax.patches)
    (5, 1)
    >>> plt.close(ax.figure)
    """
    predicted_xy, target_xy = _as_points(predicted, "predicted"), _as_points(target, "target")
    if predicted_xy.shape != target_xy.shape:
        raise ValueError(
            f"predicted and target must have the same shape, got {predicted_xy.shape} and {target_xy.shape}"
        )
    with mpl.rc_context(_RC):
        ax = _new_axes(ax, (4.2, 4.2))
        if start is not None:
            start_xy = _as_points(start, "start")
            if start_xy.shape != target_xy.shape:
                raise ValueError(f"start must have shape {target_xy.shape} like target, got {start_xy.shape}")
            outline = _outline(start_xy)
            ax.plot(outline[:, 0], outline[:, 1], ":", color=COLORS["start"], lw=1.2, label="start")
        ax.add_patch(
            mpl.patches.Polygon(
                _outline(target_xy)[:-1],
                closed=True,
                facecolor=COLORS["finish"],
                alpha=0.15,
                edgecolor=COLORS["finish"],
                lw=2,
                label="target",
            )
        )
        for (x0, y0), (x1, y1) in zip(target_xy, predicted_xy, strict=True):
            ax.plot([x0, x1], [y0, y1], "-", color=COLORS["text"], lw=0.8)
        ax.plot(
            predicted_xy[:, 0],
            predicted_xy[:, 1],
            "X",
            color=COLORS["predicted"],
            ms=10,
            mec="white",
            label="predicted",
        )
        ax.set_title(title)
        ax.set_aspect("equal")
        ax.margins(0.15)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, frameon=False)
    return ax


def _sphere_grid(res: int) -> torch.Tensor:
    """Unit directions on a closed (polar angle, azimuth) grid of shape ``(res, res + 1, 3)``, e3nn angles."""
    beta = torch.linspace(0, math.pi, res, dtype=torch.float64)
    alpha = torch.linspace(0, 2 * math.pi, res + 1, dtype=torch.float64)
    return o3.angles_to_xyz(alpha[None, :], beta[:, None])


def signal_surfaces(
    signals: object,
    centers: object | None = None,
    *,
    res: int = 40,
    scale: float = 1.0,
    relu: bool = False,
    cmid: float = 0.0,
    markers: Mapping[str, object] | None = None,
    title: str | None = None,
    decimals: int = 3,
) -> go.Figure:
    r"""Draw each spherical-harmonic signal as a 3-D surface centred at its point.

    Signal :math:`f` (a row of ``signals``, in e3nn's basis of ``SphericalTensor(lmax, 1, -1)``) becomes
    the surface :math:`\vec c + s\,\rho(\hat u)\,\hat u` with :math:`\rho = |f|` (or
    :math:`\max(f, 0)` with ``relu``), coloured by :math:`f` on a diverging scale centred at ``cmid`` (default
    0) and shared by all surfaces (red above, blue below). The surface is sampled on a ``res`` by ``res + 1``
    grid of angles; coordinates are rounded to ``decimals`` places to keep pages small. The three axes
    share one scale, so shapes are not distorted; the box around everything drawn is thinner along an
    axis on which the data are thin (e.g. z for a flat point set).

    Parameters
    ----------
    signals : array-like, shape :math:`(N, (l_\max + 1)^2)` or :math:`((l_\max + 1)^2,)`
    centers : array-like, shape :math:`(N, 3)`, optional
        Where to draw each surface; the origin if omitted.
    res : int
        Grid resolution, at least 8.
    scale : float
        Factor :math:`s` applied to the radius.
    relu : bool
        Draw only the positive part of each signal.
    cmid : float
        Value at the centre of the colour scale (white); e.g. the mean of a signal that is positive
        everywhere, to show where it is above (red) or below (blue) its mean.
    markers : mapping of name to array-like of shape :math:`(M, 3)`, optional
        Point sets drawn as labelled markers (e.g. start and target positions).
    title : str, optional
    decimals : int
        Rounding of the plotted numbers.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Surface`` per signal, then one ``Scatter3d`` per marker set.

    Examples
    --------
    >>> from symmetry_tasks.shapes import square
    >>> from symmetry_tasks.signals import displacement_signals
    >>> fig = signal_surfaces(displacement_signals(0.2 * square()), square(), markers={"square": square()})
    >>> [trace.type for trace in fig.data]
    ['surface', 'surface', 'surface', 'surface', 'scatter3d']
    """
    array = (
        _as_array(signals, "signals", 1)[None] if np.ndim(signals) == 1 else _as_array(signals, "signals", 2)
    )
    values = torch.as_tensor(array)
    lmax = _lmax_of_width(values.shape[1], "signals")
    if centers is None:
        points = np.zeros((values.shape[0], 3))
    else:
        points = _as_array(centers, "centers", 2)
        if points.shape != (values.shape[0], 3):
            raise ValueError(
                f"centers must have shape ({values.shape[0]}, 3), one per signal, got {points.shape}"
            )
    if isinstance(res, bool) or not isinstance(res, int) or res < 8:
        raise ValueError(f"res must be an int >= 8, got {res!r}")
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a finite positive number, got {scale!r}")
    directions = _sphere_grid(res)
    on_grid = signal_irreps(lmax).signal_xyz(values, directions).numpy()  # (N, res, res + 1)
    radius = np.maximum(on_grid, 0) if relu else np.abs(on_grid)
    if not (isinstance(cmid, (int, float)) and math.isfinite(cmid)):
        raise ValueError(f"cmid must be a finite number, got {cmid!r}")
    limit = float(np.abs(on_grid - cmid).max()) or 1.0
    figure = go.Figure()
    extent = [points]
    for index, (f, rho, center) in enumerate(zip(on_grid, radius, points, strict=True)):
        surface = center + scale * rho[..., None] * directions.numpy()
        extent.append(surface.reshape(-1, 3))
        figure.add_trace(
            go.Surface(
                x=surface[..., 0].round(decimals).tolist(),
                y=surface[..., 1].round(decimals).tolist(),
                z=surface[..., 2].round(decimals).tolist(),
                surfacecolor=f.round(decimals).tolist(),
                colorscale="RdBu_r",
                cmin=cmid - limit,
                cmax=cmid + limit,
                showscale=False,
                name=f"signal {index}",
                hoverinfo="skip",
            )
        )
    symbols = ("circle", "diamond", "square", "cross", "x")
    colors = (COLORS["start"], COLORS["finish"], COLORS["predicted"], COLORS["floor"], COLORS["text"])
    for index, (name, marker_points) in enumerate((markers or {}).items()):
        xyz = _as_array(marker_points, f"markers[{name!r}]", 2)
        if xyz.shape[1] != 3:
            raise ValueError(f"markers[{name!r}] must have shape (M, 3), got {xyz.shape}")
        xyz = xyz.round(decimals)
        extent.append(xyz)
        figure.add_trace(
            go.Scatter3d(
                x=xyz[:, 0].tolist(),
                y=xyz[:, 1].tolist(),
                z=xyz[:, 2].tolist(),
                mode="markers",
                name=name,
                marker={
                    "size": 5,
                    "symbol": symbols[index % len(symbols)],
                    "color": colors[index % len(colors)],
                },
            )
        )
    everything = np.concatenate(extent)
    low, high = everything.min(axis=0), everything.max(axis=0)
    half = 0.55 * max(float((high - low).max()), 1e-3)
    ratios = np.clip(1.1 * (high - low) / (2 * half), 0.35, 1.0).round(3)  # one scale; thin axes, thin box
    middle = ((low + high) / 2).round(decimals)
    axis = {"backgroundcolor": BACKGROUND, "gridcolor": COLORS["grid"], "zerolinecolor": COLORS["grid"]}
    figure.update_layout(
        template="plotly_white",
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        font={"color": COLORS["text"]},
        title={"text": title} if title else None,
        height=460,
        margin={"l": 0, "r": 0, "t": 40 if title else 10, "b": 10},
        showlegend=bool(markers),
        legend={"orientation": "h", "x": 0.0, "y": 1.0, "bgcolor": "rgba(255,255,255,0.7)"},
        scene={
            "aspectmode": "manual",
            "aspectratio": dict(zip("xyz", ratios.tolist(), strict=True)),
            **{
                f"{name}axis": {**axis, "title": {"text": name}, "range": [c - half * r, c + half * r]}
                for name, c, r in zip("xyz", middle.tolist(), ratios.tolist(), strict=True)
            },
            "camera": {"eye": {"x": 0.5, "y": -1.3, "z": 1.05}, "up": {"x": 0, "y": 0, "z": 1}},
        },
    )
    return figure


def _blocks(lmax: int) -> list[slice]:
    return [slice(ell * ell, (ell + 1) ** 2) for ell in range(lmax + 1)]


def input_heatmap(
    features: object,
    ax: Axes | None = None,
    *,
    projections: Mapping[str, object] | None = None,
    title: str | None = None,
    vmax: float | None = None,
) -> Axes:
    r"""Show per-point input features as a heat map, columns grouped by :math:`l`.

    Rows are points, columns the :math:`(l_\max + 1)^2` components in e3nn's order, labelled by
    :func:`component_labels` (``m`` only for ``l >= 3``) and separated by ``l``. Optional extra columns, after a gap, hold the
    projection :math:`x_a \cdot \hat v` of each row on named directions :math:`\hat v` (normalised
    here), e.g. the :math:`x^2 - y^2` direction, which in e3nn's basis spans two columns. The diverging
    colour scale is centred at 0 and, by default, spans the largest magnitude outside the scalar
    ``l = 0`` column, so a small symmetry-breaking part stands out next to it; the scalar values are
    printed in their cells.

    Parameters
    ----------
    features : array-like, shape :math:`(N, (l_\max + 1)^2)`
    ax : matplotlib Axes, optional
    projections : mapping of name to array-like of shape :math:`((l_\max + 1)^2,)`, optional
        Non-zero directions to project every row on.
    title : str, optional
    vmax : float, optional
        Colour-scale limit; values beyond it saturate.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> features = np.zeros((4, 9)); features[:, 0] = 1.0; features[:, 8] = -0.025
    >>> ax = input_heatmap(features, projections={"z²−x²": np.eye(9)[8]})
    >>> len(ax.images), [tick.get_text() for tick in ax.get_xticklabels()][-2:]
    (1, ['z²−x²', 'z²−x²'])
    >>> plt.close(ax.figure)
    """
    values = _as_array(features, "features", 2)
    lmax = _lmax_of_width(values.shape[1], "features")
    # The l = 3.. blocks are labelled on top, so their columns only need m.
    labels = [label.split(",")[1] if label.startswith("l=") else label for label in component_labels(lmax)]
    columns = [values]
    for name, direction in (projections or {}).items():
        vector = _as_array(direction, f"projections[{name!r}]", 1)
        if vector.shape != (values.shape[1],) or not np.abs(vector).max() > 0:
            wanted = f"a non-zero vector of length {values.shape[1]}"
            raise ValueError(f"projections[{name!r}] must be {wanted}, got {vector.tolist()}")
        columns.append(values @ (vector / np.linalg.norm(vector))[:, None])
        labels.append(str(name))
    gap = 1 if projections else 0
    shown = np.concatenate([values, np.full((len(values), gap), np.nan), *columns[1:]], axis=1)
    if vmax is None:
        rest = shown[:, 1:] if shown.shape[1] > 1 else shown
        vmax = float(np.nanmax(np.abs(rest))) or 1.0
    elif not (isinstance(vmax, (int, float)) and math.isfinite(vmax) and vmax > 0):
        raise ValueError(f"vmax must be a finite positive number, got {vmax!r}")
    ticks = [*range(values.shape[1]), *range(values.shape[1] + gap, shown.shape[1])]
    with mpl.rc_context(_RC):
        ax = _new_axes(ax, (max(4.0, 0.15 * shown.shape[1] + 1.6), 1.5 + 0.3 * values.shape[0]))
        colormap = mpl.colormaps["RdBu_r"].with_extremes(bad=BACKGROUND)
        image = ax.imshow(shown, cmap=colormap, vmin=-vmax, vmax=vmax, aspect="auto", interpolation="nearest")
        for row, value in enumerate(values[:, 0]):
            shade = "white" if abs(value) > 0.6 * vmax else COLORS["text"]
            ax.text(0, row, f"{value:.2g}", ha="center", va="center", fontsize=7, color=shade)
        for block in _blocks(lmax)[1:]:
            ax.axvline(block.start - 0.5, color=COLORS["text"], lw=1.2)
        ax.set_xticks(ticks, labels, rotation=90, fontsize=6.5)
        ax.set_yticks(range(values.shape[0]), [f"point {i}" for i in range(values.shape[0])], fontsize=7)
        top_ticks = [(block.start + block.stop - 1) / 2 for block in _blocks(lmax)]
        top_labels = [f"l={ell}" for ell in range(lmax + 1)]
        if projections:
            top_ticks.append((values.shape[1] + gap + shown.shape[1] - 1) / 2)
            top_labels.append("projections")
        top = ax.secondary_xaxis("top")
        top.set_xticks(top_ticks, top_labels, fontsize=7)
        top.tick_params(length=0)
        ax.figure.colorbar(image, ax=ax, shrink=0.9, pad=0.01, label="coefficient")
        if title:
            ax.set_title(title)
    return ax


def input_table(features: object, degree: int, decimals: int = 3) -> str:
    r"""The block of degree :math:`l` of per-point features as a plain-text table, one row per point.

    Parameters
    ----------
    features : array-like, shape :math:`(N, (l_\max + 1)^2)`
    degree : int
        Which block :math:`l`, with :math:`0 \le l \le l_\max`.
    decimals : int
        Rounding of the printed numbers.

    Examples
    --------
    >>> features = np.zeros((2, 9)); features[:, 0] = 1.0; features[:, 8] = -0.025
    >>> print(input_table(features, 2))
    point      xz      xy  y²−(x²+z²)/2      yz   z²−x²
        0   0.000   0.000         0.000   0.000  -0.025
        1   0.000   0.000         0.000   0.000  -0.025
    """
    values = _as_array(features, "features", 2)
    lmax = _lmax_of_width(values.shape[1], "features")
    degree = as_lmax(degree)
    if degree > lmax:
        raise ValueError(f"degree must be at most lmax = {lmax} of the features, got {degree}")
    block = _blocks(lmax)[degree]
    labels = component_labels(lmax)[block]
    widths = [max(decimals + 3, len(label)) + 2 for label in labels]
    lines = ["point" + "".join(label.rjust(width) for label, width in zip(labels, widths, strict=True))]
    for index, row in enumerate(values[:, block].round(decimals)):
        cells = "".join(
            f"{value + 0.0:{width}.{decimals}f}" for value, width in zip(row, widths, strict=True)
        )
        lines.append(f"{index:5d}" + cells)
    return "\n".join(lines)


def harmonic_spheres(l: int = 2, extra: Mapping[str, torch.Tensor] | None = None, res: int = 60) -> Figure:
    r"""e3nn's :math:`2l + 1` real spherical harmonics of degree ``l`` on spheres drawn with **y** up.

    Each sphere is coloured by the function (red positive, blue negative) and titled with its index in the
    block and the polynomial :func:`~symmetry_tasks.signals.sh_to_polynomial` recovers. ``extra`` maps
    titles to further coefficient vectors of the same block (e.g. :math:`x^2 - y^2`), drawn after them.

    Examples
    --------
    >>> len(harmonic_spheres(1).axes)
    3
    """
    l = as_lmax(l)
    theta, phi = np.meshgrid(np.linspace(0, np.pi, res), np.linspace(0, 2 * np.pi, 2 * res), indexing="ij")
    x, y, z = np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)
    points = torch.tensor(np.stack([x, y, z], axis=-1), dtype=torch.float64)
    values = o3.spherical_harmonics(l, points, normalize=True).numpy()
    eye = np.eye(2 * l + 1)
    panels = [(values[..., m], f"index {m}: {sh_to_polynomial(eye[m], l)}") for m in range(2 * l + 1)]
    for title, vector in (extra or {}).items():
        coefficients = np.asarray(torch.as_tensor(vector, dtype=torch.float64))
        if coefficients.shape != (2 * l + 1,):
            raise ValueError(
                f"extra[{title!r}] must have 2l + 1 = {2 * l + 1} entries, got {coefficients.shape}"
            )
        panels.append((values @ coefficients, title))
    columns = 3
    rows = -(-len(panels) // columns)
    with mpl.rc_context(_RC):
        figure = plt.figure(figsize=(9, 3.2 * rows), layout="constrained")
        for k, (value, title) in enumerate(panels):
            ax = figure.add_subplot(rows, columns, k + 1, projection="3d", computed_zorder=False)
            scale = np.abs(value).max()
            # e3nn's polar axis y drawn up: plot axes (z, x, y), a cyclic, right-handed relabelling
            colours = plt.cm.RdBu_r(0.5 + value / (2 * scale))
            ax.plot_surface(z, x, y, facecolors=colours, rstride=2, cstride=2, linewidth=0, shade=False)
            for name, (u, v, w) in {"x": (0, 1, 0), "y": (0, 0, 1), "z": (1, 0, 0)}.items():
                ax.quiver(1.02 * u, 1.02 * v, 1.02 * w, 0.35 * u, 0.35 * v, 0.35 * w, color=COLORS["text"])
                ax.text(1.5 * u, 1.5 * v, 1.5 * w, name, fontsize=11, weight="bold", ha="center")
            ax.set_title(title.replace("^2", "²"), fontsize=10)
            ax.set_box_aspect((1, 1, 1), zoom=1.05)
            ax.view_init(elev=20, azim=-50)
            ax.set_axis_off()
    return figure
