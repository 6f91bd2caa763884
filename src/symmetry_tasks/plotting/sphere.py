r"""Signals on the sphere in 3-D: interactive plotly surfaces, their still rendering, e3nn's harmonics.

A signal :math:`f` (a row of coefficients in e3nn's basis of ``SphericalTensor(lmax, 1, -1)``) is drawn as
the surface :math:`\vec c + s\,\rho(\hat u)\,\hat u` around its point :math:`\vec c`, with
:math:`\rho = |f|`, coloured by :math:`f` on a diverging scale (red above the scale's middle, blue below).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
import torch
from e3nn import o3
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._checks import as_lmax, lmax_of_width
from ..polynomials import sh_to_polynomial
from ..signals import signal_irreps
from ._arrays import as_array, as_positive
from .quality import mark_spatial
from .style import LIGHT, THEMES, Palette, describe, figure_context, plotly_template, plotly_theme

#: The diverging colour scale of signals on the sphere, in matplotlib's and plotly's names.
SIGNAL_COLORMAP = "RdBu_r"
#: The directions of the cameras of :func:`signal_surfaces`, from the front, above and to the right (x to
#: the right, y away, z up), in perspective; or straight down z, x to the right and y up, without
#: perspective (a map of the plane), tilted a little so that the x axis shows at the front. The distance
#: is set by the size of the scene.
CAMERAS = {
    "oblique": {"eye": {"x": 0.3, "y": -0.75, "z": 0.62}, "up": {"x": 0, "y": 0, "z": 1}},
    "above": {
        "eye": {"x": 0.0, "y": -0.12, "z": 1.0},
        "up": {"x": 0, "y": 1, "z": 0},
        "projection": {"type": "orthographic"},
    },
}
#: Without perspective plotly zooms by the size of the scene's box; the box of the view from above is
#: this much larger than the one of the oblique view, so that a wide scene fills the figure's width
#: (Task 5), but no taller than this, so that a tall one keeps its x axis above the legend (Task 2).
_MAP_ZOOM, _MAP_HEIGHT = 2.0, 1.4
#: The camera's distance from the scene's centre over the radius of the sphere around the scene's box.
_CAMERA_DISTANCE = 1.35
#: The toolbar keeps one button, "reset camera", stacked at the right edge under the title (a toolbar
#: across the top covers the title on a phone): rotating (drag or swipe) and zooming (scroll or pinch)
#: need no button.
_MODEBAR = {
    "orientation": "v",
    "remove": [
        "zoom3d",
        "pan3d",
        "orbitRotation",
        "tableRotation",
        "resetCameraLastSave3d",
        "hoverClosest3d",
        "toImage",
    ],
}
_TITLE_CHARACTERS = 42  # a longer title is broken after a comma or colon, to fit a phone
_LEGEND_HEIGHT = 0.08
_REACH = 1.45  # half the width of the box around a unit sphere and its axis arrows  # the share of the figure's height below the 3-D scene, for the legend


def _sphere_grid(res: int) -> torch.Tensor:
    """Unit directions on a closed (polar angle, azimuth) grid of shape ``(res // 2 + 1, res + 1, 3)``.

    The steps are one size in both angles, ``2 pi / res``: ``res`` around the equator,
    ``res // 2`` from pole to pole (e3nn's angles).
    """
    beta = torch.linspace(0, math.pi, res // 2 + 1, dtype=torch.float64)
    alpha = torch.linspace(0, 2 * math.pi, res + 1, dtype=torch.float64)
    return o3.angles_to_xyz(alpha[None, :], beta[:, None])


def _broken(title: str) -> str:
    """``title`` with a line break (``<br>``) after its last comma or colon that leaves a short enough line."""
    if len(title) <= _TITLE_CHARACTERS:
        return title
    cuts = [i + 1 for i, char in enumerate(title[:_TITLE_CHARACTERS]) if char in ",:"]
    if not cuts:
        return title
    return title[: cuts[-1]] + "<br>" + title[cuts[-1] :].lstrip()


def _marker_colours(palette: Palette, count: int) -> list[str]:
    """The colours of ``count`` marker sets, in order: start, finish, predicted, floor, start, ..."""
    cycle = (palette.start, palette.finish, palette.predicted, palette.floor)
    return [cycle[index % len(cycle)] for index in range(count)]


def _surface_description(count: int, markers: Mapping[str, object], title: str | None, relu: bool) -> str:
    radius = "value" if relu else "size"
    text = (
        f"{title + ': ' if title else ''}a 3-D view of {count} signal{'s' if count > 1 else ''} on the sphere, "
        f"each drawn as a surface around its point: the distance from the point to the surface in a "
        f"direction is the signal's {radius} there, the colour its sign (red above the middle of the scale, "
        "blue below)."
    )
    if markers:
        text += " Markers: " + ", ".join(markers) + "."
    return text


def signal_surfaces(
    signals: object,
    centers: object | None = None,
    *,
    res: int = 36,
    scale: float = 1.0,
    relu: bool = False,
    cmid: float = 0.0,
    markers: Mapping[str, object] | None = None,
    title: str | None = None,
    decimals: int = 3,
    description: str | None = None,
    view: str = "oblique",
) -> go.Figure:
    r"""Draw each spherical-harmonic signal as an interactive 3-D surface centred at its point.

    The surface of :math:`f` has radius :math:`s\,|f|` (or :math:`s \max(f, 0)` with ``relu``) and is
    coloured by :math:`f` on a diverging scale centred at ``cmid`` and shared by all surfaces. It is
    sampled on a grid of angles with one step, :math:`2\pi / \mathrm{res}`, in both (``res // 2 + 1``
    polar angles by ``res + 1`` azimuths: 10 degrees by default, finer than the eye tells apart on a
    smooth lobe); coordinates are rounded to ``decimals`` places to keep pages small. The three axes
    share one scale, so shapes are true; the box around everything drawn is thinner along an axis on
    which the data are thin (e.g. z for a flat point set).

    The figure is in the light palette. ``layout.meta["themes"]`` holds, for each theme of
    ``symmetry_tasks.plotting.THEMES``, its ``Plotly.relayout`` update (``"layout"``) and the colours of
    the marker sets in order (``"markers"``); ``layout.meta["description"]`` holds the alt text.

    Parameters
    ----------
    signals : array-like, shape :math:`(N, (l_\max + 1)^2)` or :math:`((l_\max + 1)^2,)`
    centers : array-like, shape :math:`(N, 3)`, optional
        Where to draw each surface; the origin if omitted.
    res : int
        Grid steps around the equator (half as many from pole to pole), at least 8.
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
    description : str, optional
        The alt text; by default one that says what the figure draws.
    view : str
        The camera: ``"oblique"``, or ``"above"`` (looking down z).

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
        as_array(signals, "signals", 1)[None] if np.ndim(signals) == 1 else as_array(signals, "signals", 2)
    )
    values = torch.as_tensor(array)
    lmax = lmax_of_width(values.shape[1], "signals")
    if centers is None:
        points = np.zeros((values.shape[0], 3))
    else:
        points = as_array(centers, "centers", 2)
        if points.shape != (values.shape[0], 3):
            raise ValueError(
                f"centers must have shape ({values.shape[0]}, 3), one per signal, got {points.shape}"
            )
    if isinstance(res, bool) or not isinstance(res, int) or res < 8:
        raise ValueError(f"res must be an int >= 8, got {res!r}")
    scale = as_positive(scale, "scale")
    if isinstance(cmid, bool) or not (isinstance(cmid, (int, float)) and math.isfinite(cmid)):
        raise ValueError(f"cmid must be a finite number, got {cmid!r}")
    if view not in CAMERAS:
        raise ValueError(f"view must be one of {sorted(CAMERAS)}, got {view!r}")
    markers = dict(markers or {})
    directions = _sphere_grid(res)
    on_grid = signal_irreps(lmax).signal_xyz(values, directions).numpy()  # (N, res // 2 + 1, res + 1)
    radius = np.maximum(on_grid, 0) if relu else np.abs(on_grid)
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
                colorscale=SIGNAL_COLORMAP,
                cmin=cmid - limit,
                cmax=cmid + limit,
                showscale=False,
                name=f"signal {index}",
                hoverinfo="skip",
            )
        )
    symbols = ("circle", "diamond", "square", "cross")
    colours = _marker_colours(LIGHT, len(markers))
    for index, (name, marker_points) in enumerate(markers.items()):
        xyz = as_array(marker_points, f"markers[{name!r}]", 2)
        if xyz.shape[1] != 3:
            raise ValueError(f"markers[{name!r}] must have shape (M, 3), got {xyz.shape}")
        xyz = xyz.round(decimals)
        extent.append(xyz)
        marker = {"size": 5, "symbol": symbols[index % len(symbols)], "color": colours[index]}
        figure.add_trace(
            go.Scatter3d(
                x=xyz[:, 0].tolist(),
                y=xyz[:, 1].tolist(),
                z=xyz[:, 2].tolist(),
                mode="markers",
                name=name,
                marker=marker,
                hovertemplate=f"{name}<br>x %{{x}}, y %{{y}}, z %{{z}}<extra></extra>",
            )
        )
    everything = np.concatenate(extent)
    low, high = everything.min(axis=0), everything.max(axis=0)
    half = 0.55 * max(float((high - low).max()), 1e-3)
    ratios = np.clip(1.1 * (high - low) / (2 * half), 0.35, 1.0).round(3)  # one scale; thin axes, thin box
    middle = ((low + high) / 2).round(decimals)
    title = _broken(title) if title else None
    top = (30 + 18 * title.count("<br>")) if title else 0
    zoom = min(_MAP_ZOOM, _MAP_HEIGHT / float(ratios[1])) if view == "above" else 1.0
    box_radius = float(np.linalg.norm(ratios))
    eye = np.array([CAMERAS[view]["eye"][axis] for axis in "xyz"])
    eye = _CAMERA_DISTANCE * box_radius * eye / np.linalg.norm(eye)
    camera = {
        **CAMERAS[view],
        "eye": dict(zip("xyz", eye.round(3).tolist(), strict=True)),
        # looking a little below the centre: the near, lower part of the box, which perspective makes
        # larger, stays in the frame, and there is less blank space above
        "center": {"x": 0, "y": 0, "z": -0.3 * float(ratios[2]) if view == "oblique" else 0},
    }
    figure.update_layout(
        template=plotly_template(),
        title={"text": title, "x": 0.02, "xanchor": "left", "font": {"size": 14}} if title else None,
        autosize=True,
        margin={"l": 0, "r": 0, "t": top, "b": 0},
        showlegend=bool(markers),
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.0, "yanchor": "bottom"},
        modebar=_MODEBAR,
        scene={
            "domain": {"x": [0, 1], "y": [_LEGEND_HEIGHT if markers else 0, 1]},
            "aspectmode": "manual",
            "aspectratio": dict(zip("xyz", (ratios * zoom).round(3).tolist(), strict=True)),
            **{
                f"{name}axis": {
                    "title": {"text": name},
                    "range": [c - half * r, c + half * r],
                    "visible": not (view == "above" and name == "z"),  # seen end on, z is a point
                }
                for name, c, r in zip("xyz", middle.tolist(), ratios.tolist(), strict=True)
            },
            "camera": camera,
        },
        meta={
            "description": description or _surface_description(len(values), markers, title, relu),
            "themes": {
                name: {"layout": plotly_theme(palette), "markers": _marker_colours(palette, len(markers))}
                for name, palette in THEMES.items()
            },
        },
    )
    figure.update_layout(plotly_theme(LIGHT))
    return figure


def static_surfaces(figure: go.Figure, ax: Axes | None = None) -> Axes:
    """A still matplotlib rendering of a :func:`signal_surfaces` figure, from its camera, without axes.

    For thumbnails and print: surfaces and marker sets keep their colours, framed tight around what is
    drawn, with one scale on all axes so that shapes stay true.

    Examples
    --------
    >>> from symmetry_tasks.shapes import square
    >>> from symmetry_tasks.signals import displacement_signals
    >>> fig = signal_surfaces(displacement_signals(0.2 * square()), square(), res=8, markers={"square": square()})
    >>> ax = static_surfaces(fig)
    >>> len(ax.collections)
    5
    >>> plt.close(ax.figure)
    """
    if not isinstance(figure, go.Figure):
        raise TypeError(f"figure must be a plotly Figure from signal_surfaces, got {type(figure).__name__}")
    if ax is not None and getattr(ax, "name", None) != "3d":
        raise TypeError(f"ax must be a matplotlib 3-D Axes or None, got {type(ax).__name__}")
    scene = figure.layout.scene
    if ax is None:
        with figure_context():
            canvas = plt.figure(figsize=(4.0, 3.2), layout="constrained")
            ax = canvas.add_subplot(projection="3d", computed_zorder=False)
    colormap = plt.get_cmap(SIGNAL_COLORMAP)
    drawn = []
    for trace in figure.data:
        if trace.type == "surface":
            x, y, z, f = (np.asarray(v, dtype=float) for v in (trace.x, trace.y, trace.z, trace.surfacecolor))
            colours = colormap((f - trace.cmin) / (trace.cmax - trace.cmin))
            ax.plot_surface(
                x, y, z, facecolors=colours, linewidth=0, shade=True, antialiased=False, rasterized=True
            )
        elif trace.type == "scatter3d":
            x, y, z = (np.asarray(v, dtype=float) for v in (trace.x, trace.y, trace.z))
            ax.scatter(x, y, z, color=trace.marker.color, s=14, depthshade=False)
        else:
            continue
        drawn.append(np.stack([x.ravel(), y.ravel(), z.ravel()], axis=1))
    everything = np.concatenate(drawn)
    low, high = everything.min(axis=0), everything.max(axis=0)
    span = np.maximum(high - low, 0.05 * float((high - low).max()))  # a flat set keeps some depth
    for name, centre, width in zip("xyz", (low + high) / 2, span, strict=True):
        getattr(ax, f"set_{name}lim")(centre - width / 2, centre + width / 2)
    ax.set_box_aspect(span, zoom=1.05)  # one scale on all axes: true shapes, framed tight
    eye = scene.camera.eye
    elevation, azimuth = math.atan2(eye.z, math.hypot(eye.x, eye.y)), math.atan2(eye.y, eye.x)
    ax.view_init(elev=math.degrees(elevation), azim=math.degrees(azimuth))
    ax.set_axis_off()
    describe(
        ax.figure, str(figure.layout.meta["description"]) if figure.layout.meta else "Signals on the sphere."
    )
    return ax


def harmonic_spheres(l: int = 2, extra: Mapping[str, torch.Tensor] | None = None, res: int = 90) -> Figure:
    r"""e3nn's :math:`2l + 1` real spherical harmonics of degree ``l`` on spheres drawn with **y** up.

    Each sphere is coloured by the function (red positive, blue negative) and titled with its index in the
    block and the polynomial :func:`~symmetry_tasks.polynomials.sh_to_polynomial` recovers. ``extra`` maps
    titles to further coefficient vectors of the same block (e.g. :math:`x^2 - y^2`), drawn after them.
    Two spheres a row, so that the titles stay readable on a narrow screen.

    Examples
    --------
    >>> len(harmonic_spheres(1).axes)
    3
    >>> plt.close("all")
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
    columns = 2
    rows = -(-len(panels) // columns)
    colormap = plt.get_cmap(SIGNAL_COLORMAP)
    with figure_context():
        figure = plt.figure(figsize=(5.2, 2.6 * rows), layout="constrained")
        for k, (value, title) in enumerate(panels):
            ax = figure.add_subplot(rows, columns, k + 1, projection="3d", computed_zorder=False)
            colours = colormap(0.5 + value / (2 * np.abs(value).max()))
            # e3nn's polar axis y drawn up: plot axes (z, x, y), a cyclic, right-handed relabelling
            ax.plot_surface(
                z,
                x,
                y,
                facecolors=colours,
                rstride=1,
                cstride=1,
                linewidth=0,
                shade=False,
                antialiased=False,
                rasterized=True,  # no seams between the facets
            )
            for name, (u, v, w) in {"x": (0, 1, 0), "y": (0, 0, 1), "z": (1, 0, 0)}.items():
                ax.quiver(
                    1.02 * u, 1.02 * v, 1.02 * w, 0.45 * u, 0.45 * v, 0.45 * w, color=LIGHT.text, lw=1.6
                )
                ax.text(
                    *(1.68 * np.array([u, v, w])), name, fontsize=12, weight="bold", ha="center", va="center"
                )
            ax.set_title(title.replace("^2", "²").replace("-", "−"), fontsize=11)
            for set_limits in (ax.set_xlim3d, ax.set_ylim3d, ax.set_zlim3d):
                set_limits(-_REACH, _REACH)  # one scale on all axes: a round sphere
            ax.set_box_aspect((1, 1, 1), zoom=1.25)
            # from between +z and +x, a little above: z to the lower left, x to the lower right, y up,
            # and no axis behind the sphere
            ax.view_init(elev=18, azim=45)
            ax.set_axis_off()
            mark_spatial(ax)
    names = "; ".join(title.replace("^2", " squared") for _, title in panels)
    describe(
        figure,
        f"{len(panels)} unit spheres with the y axis pointing up, each coloured by one function of degree {l} "
        f"(red positive, blue negative): {names}.",
    )
    return figure
