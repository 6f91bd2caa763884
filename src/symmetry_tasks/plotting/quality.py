r"""Checks that a figure reads at the size the page shows it: text, spatial axes and 3-D scenes.

A matplotlib figure of :math:`W` inches is shown on a page as an image of :math:`96\,W` CSS pixels (SVG
at its natural size), shrunk to the width of the page's column when it is wider. :func:`shown_scale`
is that factor; :func:`figure_problems` draws the figure and reports, as sentences:

* text drawn smaller than :data:`MIN_POINTS` points once the figure is shrunk to its shown size;
* two texts that overlap (titles, axis labels, tick labels, legend entries, annotations);
* text that leaves the canvas, and so is cut off;
* a legend drawn over the data: a line or a marker of its axes passes under it;
* axes marked as spatial (:func:`mark_spatial`: a square, a sphere, a point set in space) whose units
  are not drawn at one scale on every axis, so that a square or a sphere would look stretched.

:func:`scene_problems` checks a plotly figure: every trace of a 3-D scene lies inside the ranges of
its axes (a surface beyond a range is cut flat).

The site's build runs both checks on every figure it shows and fails on a problem
(``docs/_ext/figure_checks.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from weakref import WeakSet

import numpy as np
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox

#: The width in CSS pixels of the page's column, where figures are shown, measured with Chromium on a
#: built task page at a 1280 px wide window (622 px; 718 px from 1600 px on, 356 px at 390 px).
COLUMN_PIXELS = 622
#: CSS pixels per inch; an SVG of :math:`W` inches is :math:`96\,W` pixels wide at its natural size.
CSS_DPI = 96
#: The smallest text, in points at the size shown, that a figure may draw.
MIN_POINTS = 8.0
#: How far (in pixels of the figure as drawn at 72 dpi, i.e. in points) two texts may touch, or text may
#: cross the canvas's edge, before it counts: anti-aliasing and font metrics, not a visible overlap.
_SLACK_POINTS = 0.5
#: Relative difference of two axes' scales below which they count as equal (a pixel in a few hundred).
_SCALE_TOLERANCE = 0.01

#: The plotly trace types drawn in a 3-D scene.
_SCENE_TRACES = frozenset({"scatter3d", "surface", "mesh3d", "cone", "streamtube", "isosurface", "volume"})

_SPATIAL: WeakSet[Axes] = WeakSet()


def mark_spatial(ax: Axes) -> Axes:
    """Mark ``ax`` as drawing shapes in space, which :func:`figure_problems` requires at one scale.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure, ax = plt.subplots()
    >>> is_spatial(mark_spatial(ax))
    True
    >>> plt.close(figure)
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    _SPATIAL.add(ax)
    return ax


def is_spatial(ax: Axes) -> bool:
    """Whether ``ax`` was marked by :func:`mark_spatial`."""
    return ax in _SPATIAL


def shown_scale(figure: Figure, column_pixels: float = COLUMN_PIXELS) -> float:
    """The factor by which the page shrinks ``figure``: 1 if it fits the column, less if wider.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure = plt.figure(figsize=(12.96, 3.0))
    >>> round(shown_scale(figure), 3)
    0.5
    >>> plt.close(figure)
    """
    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure, got {type(figure).__name__}")
    if isinstance(column_pixels, bool) or not (
        isinstance(column_pixels, (int, float)) and np.isfinite(column_pixels) and column_pixels > 0
    ):
        raise ValueError(f"column_pixels must be a finite positive number, got {column_pixels!r}")
    width = figure.get_figwidth() * CSS_DPI
    return float(min(1.0, column_pixels / width))


@contextmanager
def _recording_texts(drawn: dict[Text, Bbox]) -> Iterator[None]:
    """While inside, every text that draws itself with something to show is recorded with its extent.

    Matplotlib decides what it draws (ticks inside the view, annotations not clipped away) while drawing,
    so the texts are recorded there rather than guessed from the artist tree; the extent is taken at
    once, while a text in 3-D still stands where its projection put it.
    """
    original = Text.draw

    def draw(self: Text, renderer: RendererBase) -> None:
        original(self, renderer)
        if self.get_visible() and self.get_text().strip() and self.get_alpha() != 0:
            drawn[self] = self.get_window_extent(renderer)

    Text.draw = draw  # type: ignore[method-assign]
    try:
        yield
    finally:
        Text.draw = original  # type: ignore[method-assign]


def _name(text: Text) -> str:
    return repr(" ".join(text.get_text().split()))


def _scale_problem(ax: Axes) -> str | None:
    """A sentence if spatial ``ax`` draws its axes' units at different lengths on the canvas."""
    title = _axes_name(ax)
    if ax.name == "3d":
        limits = np.array([ax.get_xlim3d(), ax.get_ylim3d(), ax.get_zlim3d()], dtype=float)
        spans = np.abs(limits[:, 1] - limits[:, 0])
        box = np.asarray(ax.get_box_aspect(), dtype=float)
        per_unit = box / spans  # box length per data unit on x, y, z
    else:
        origin, along_x, along_y = ax.transData.transform([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
        per_unit = np.array([np.linalg.norm(along_x - origin), np.linalg.norm(along_y - origin)])
    if per_unit.max() - per_unit.min() <= _SCALE_TOLERANCE * per_unit.max():
        return None
    ratios = ", ".join(f"{value / per_unit.max():.2f}" for value in per_unit)
    return f"{title} draws a shape in space with unequal axis scales (relative scales {ratios})"


def figure_problems(
    figure: Figure, column_pixels: float = COLUMN_PIXELS, min_points: float = MIN_POINTS
) -> list[str]:
    """Everything that would not read on the page, as sentences; empty for a good figure.

    The figure is drawn (with its own layout engine) on an Agg canvas at 72 dpi, so that a pixel is a
    point; its own canvas and dpi are restored afterwards.

    Parameters
    ----------
    figure : matplotlib Figure
    column_pixels : float
        Width of the column that shows the figure, in CSS pixels (:data:`COLUMN_PIXELS`).
    min_points : float
        Smallest text size allowed at the shown size.

    Returns
    -------
    list of str
        One sentence per problem.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure, ax = plt.subplots(figsize=(4.0, 3.0), layout="constrained")
    >>> _ = ax.set_title("a title", fontsize=10)
    >>> figure_problems(figure)
    []
    >>> _ = ax.set_xlabel("x", fontsize=6)
    >>> figure_problems(figure)
    ["1 text is 6.0 pt at the shown size (at least 8 pt): 'x'"]
    >>> plt.close(figure)
    """
    scale = shown_scale(figure, column_pixels)
    drawn: dict[Text, Bbox] = {}
    canvas, dpi = figure.canvas, figure.dpi
    agg = FigureCanvasAgg(figure)
    figure.set_dpi(72)
    try:
        with _recording_texts(drawn):
            agg.draw()
        width, height = figure.bbox.width, figure.bbox.height
        scale_problems = [_scale_problem(ax) for ax in figure.axes if is_spatial(ax)]
        legend_problems = _legend_problems(figure, agg.get_renderer())
    finally:
        figure.set_canvas(canvas)
        figure.set_dpi(dpi)
    unique, boxes = list(drawn), list(drawn.values())
    problems = []
    small = [text for text in unique if text.get_fontsize() * scale < min_points - 1e-9]
    if small:
        sizes = sorted({round(text.get_fontsize() * scale, 1) for text in small})
        names = ", ".join(_name(text) for text in small[:4]) + (", ..." if len(small) > 4 else "")
        problems.append(
            f"{len(small)} text{'s are' if len(small) > 1 else ' is'} "
            f"{' to '.join(f'{size:.1f}' for size in sizes[:: max(1, len(sizes) - 1)])} pt at the shown size "
            f"(at least {min_points:g} pt): {names}"
        )
    for text, box in zip(unique, boxes, strict=True):
        if (
            box.x0 < -_SLACK_POINTS
            or box.y0 < -_SLACK_POINTS
            or box.x1 > width + _SLACK_POINTS
            or box.y1 > height + _SLACK_POINTS
        ):
            problems.append(f"text {_name(text)} leaves the canvas")
    for (a, box_a), (b, box_b) in itertools.combinations(zip(unique, boxes, strict=True), 2):
        across = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        up = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if across > _SLACK_POINTS and up > _SLACK_POINTS:
            problems.append(f"texts {_name(a)} and {_name(b)} overlap")
    problems += [problem for problem in scale_problems if problem]
    return problems + legend_problems


def _legend_problems(figure: Figure, renderer: RendererBase) -> list[str]:
    """A sentence for each legend that a line or a marker of the axes under it runs beneath.

    Only the part of a legend inside an axes counts, and only the data drawn there: a line's path and a
    scatter's points, in display coordinates (a legend below the axes or beside them never covers data).
    """
    legends = [(ax, ax.get_legend()) for ax in figure.axes if ax.get_legend() is not None]
    legends += [(ax, legend) for legend in figure.legends for ax in figure.axes]
    problems = []
    for ax, legend in legends:
        if ax.name == "3d" or not legend.get_visible():
            continue
        inside = Bbox.intersection(legend.get_window_extent(renderer), ax.bbox)
        if inside is None or inside.width <= _SLACK_POINTS or inside.height <= _SLACK_POINTS:
            continue
        inside = inside.expanded(
            (inside.width - _SLACK_POINTS) / inside.width, (inside.height - _SLACK_POINTS) / inside.height
        )
        covered = [
            line.get_label()
            for line in ax.lines
            if line.get_visible()
            and _path_meets(line.get_transform().transform_path(line.get_path()), inside, _joined(line))
        ]
        covered += [
            collection.get_label()
            for collection in ax.collections
            if collection.get_visible()
            and len(collection.get_offsets())
            and inside.count_contains(collection.get_offset_transform().transform(collection.get_offsets()))
        ]
        if covered:
            names = ", ".join(repr(name) for name in covered[:3]) + (", ..." if len(covered) > 3 else "")
            problems.append(f"the legend of {_axes_name(ax)} covers data drawn under it: {names}")
    return problems


def _joined(line: Line2D) -> bool:
    """Whether ``line`` draws the segments between its points (not only markers)."""
    return line.get_linestyle() not in ("None", "none", "", " ")


def _path_meets(path: Path, box: Bbox, joined: bool) -> bool:
    """Whether a drawn path has a vertex inside ``box``, or, if ``joined``, a segment crossing it."""
    return bool(box.count_contains(path.vertices) or (joined and path.intersects_bbox(box, filled=False)))


def _axes_name(ax: Axes) -> str:
    return repr(ax.get_title()) if ax.get_title() else "an untitled axes"


def scene_problems(figure: go.Figure) -> list[str]:
    """Traces of a plotly figure's 3-D scenes that leave an axis range, as sentences; empty if none.

    An axis without a range is autoscaled by plotly, and so always holds its traces.

    Examples
    --------
    >>> figure = go.Figure(go.Scatter3d(x=[0, 2], y=[0, 1], z=[0, 1]))
    >>> _ = figure.update_layout(scene={"xaxis": {"range": [0, 1]}})
    >>> scene_problems(figure)
    ['trace 0 reaches x = 2 in scene, beyond its range [0, 1]']
    """
    if not isinstance(figure, go.Figure):
        raise TypeError(f"figure must be a plotly Figure, got {type(figure).__name__}")
    problems = []
    for index, trace in enumerate(figure.data):
        if trace.type not in _SCENE_TRACES:
            continue
        scene_name = trace.scene or "scene"
        scene = figure.layout[scene_name]
        for axis in "xyz":
            values = getattr(trace, axis, None)
            limits = scene[f"{axis}axis"].range
            if values is None or limits is None:
                continue
            data = np.asarray(values, dtype=float)
            data = data[np.isfinite(data)]
            low, high = sorted(float(v) for v in limits)
            tolerance = 1e-9 * max(1.0, high - low)
            if data.size and data.max() > high + tolerance:
                problems.append(
                    f"trace {index} reaches {axis} = {data.max():.3g} in {scene_name}, beyond its range "
                    f"[{low:.3g}, {high:.3g}]"
                )
            elif data.size and data.min() < low - tolerance:
                problems.append(
                    f"trace {index} reaches {axis} = {data.min():.3g} in {scene_name}, beyond its range "
                    f"[{low:.3g}, {high:.3g}]"
                )
    return problems
