r"""How every figure looks and reads: the light and dark palettes, the matplotlib context and alt texts.

Every colour of every figure is a field of a :class:`Palette`, and :data:`THEMES` holds the two the site
uses, ``"light"`` and ``"dark"`` (their backgrounds and text colours are those of the page themes).

* Matplotlib figures are drawn with the light palette, inside :func:`figure_context` (a
  :func:`matplotlib.rc_context`, so the global ``rcParams`` are left alone). Saved as SVG, a figure
  becomes its dark twin by :func:`recolor_svg`, which swaps each light colour for the dark colour of the
  same field. Signed values (heat maps) are drawn with :func:`signed_colormap`, whose colour says the
  sign and whose opacity says the size, so zero shows the background of either theme.
* Plotly figures are built with the light palette and carry both in ``layout.meta["themes"]`` as
  ``Plotly.relayout`` updates (:func:`plotly_theme`), for the page to apply when the reader switches.
* :func:`describe` attaches an alt text to a figure, what it shows in words; every drawing function
  of :mod:`symmetry_tasks.plotting` describes what it drew, and :func:`description` reads it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from weakref import WeakKeyDictionary

import matplotlib as mpl
import matplotlib.pyplot as plt
import plotly.graph_objects as go
import plotly.io as pio
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.figure import Figure


@dataclass(frozen=True)
class Palette:
    """The colours of one theme, as ``#rrggbb``.

    The data colours (start, finish, predicted, floor) are the Okabe-Ito colours, distinguishable with
    any colour vision, in a lighter shade on the dark theme.
    """

    background: str  #: figure and axes background, the page's
    text: str  #: text, axes, ticks, arrows
    muted: str  #: secondary marks, such as error segments and outlines drawn for reference
    grid: str  #: grid lines and 3-D axis planes
    start: str  #: the starting shape
    finish: str  #: the target shape
    predicted: str  #: decoded predictions
    floor: str  #: the Curie floor and other bounds
    shades: tuple[str, str, str, str]  #: shaded training phases, in order
    cycle: tuple[str, str, str, str]  #: successive curves on one axes
    positive: str  #: signed values above zero (opaque at the scale's end)
    negative: str  #: signed values below zero


#: Each field of :class:`Palette` as (light, dark), the two themes side by side.
_COLOURS: dict[str, tuple[object, object]] = {
    "background": ("#ffffff", "#14181e"),
    "text": ("#222832", "#ced6dd"),
    "muted": ("#5c6778", "#9ca4af"),
    "grid": ("#d1d5da", "#364150"),
    "start": ("#0072b2", "#56b4e9"),
    "finish": ("#d55e00", "#e69f00"),
    "predicted": ("#009e73", "#2fc49a"),
    "floor": ("#cc79a7", "#e09cc4"),
    "shades": (("#e8eef7", "#f7ece3", "#e6f2ec", "#f3e8f0"), ("#1e2a3b", "#3a2a1e", "#1b3329", "#36243a")),
    "cycle": (("#0072b2", "#d55e00", "#009e73", "#cc79a7"), ("#56b4e9", "#e69f00", "#2fc49a", "#e09cc4")),
    "positive": ("#d6604d", "#d6604d"),
    "negative": ("#4393c3", "#4393c3"),
}
LIGHT = Palette(**{name: pair[0] for name, pair in _COLOURS.items()})
DARK = Palette(**{name: pair[1] for name, pair in _COLOURS.items()})
#: The palettes by theme name, as the page themes name them.
THEMES = {"light": LIGHT, "dark": DARK}


def _colour_pairs(target: Palette) -> dict[str, str]:
    """Each colour of the light palette, lower case, mapped to the colour of the same field in ``target``."""
    pairs: dict[str, str] = {}
    for field in fields(Palette):
        light, other = getattr(LIGHT, field.name), getattr(target, field.name)
        lights, others = ((light,), (other,)) if isinstance(light, str) else (light, other)
        for a, b in zip(lights, others, strict=True):
            if pairs.setdefault(a.lower(), b.lower()) != b.lower():
                raise ValueError(f"light colour {a} has two counterparts: {pairs[a.lower()]} and {b}")
    return pairs


_PAINT = re.compile(r"((?:fill|stroke|stop-color|flood-color)\s*[:=]\s*\"?\s*)(#[0-9a-fA-F]{6})\b")


def recolor_svg(svg: str, theme: str) -> str:
    """The SVG text of a figure drawn with the light palette, with every colour swapped for ``theme``'s.

    Only paint (``fill``, ``stroke``, ``stop-color``) is touched, never ids or embedded images; colours
    that are not in the light palette stay.

    Examples
    --------
    >>> recolor_svg('<path style="fill: #FFFFFF; stroke: #222832"/>', "dark")
    '<path style="fill: #14181e; stroke: #ced6dd"/>'
    """
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {sorted(THEMES)}, got {theme!r}")
    pairs = {light: other for light, other in _colour_pairs(THEMES[theme]).items() if light != other}
    return _PAINT.sub(lambda m: m.group(1) + pairs.get(m.group(2).lower(), m.group(2)), svg)


def rc_params(palette: Palette = LIGHT) -> dict[str, object]:
    """The matplotlib ``rcParams`` of a palette: colours, fonts, and deterministic SVG output."""
    return {
        "figure.facecolor": palette.background,
        "figure.edgecolor": palette.background,
        "axes.facecolor": palette.background,
        "savefig.facecolor": palette.background,
        "savefig.edgecolor": palette.background,
        "text.color": palette.text,
        "axes.labelcolor": palette.text,
        "axes.edgecolor": palette.text,
        "axes.titlecolor": palette.text,
        "axes.prop_cycle": mpl.cycler(color=list(palette.cycle)),
        "xtick.color": palette.text,
        "ytick.color": palette.text,
        "grid.color": palette.grid,
        "legend.labelcolor": palette.text,
        "legend.facecolor": palette.background,
        "legend.edgecolor": palette.grid,
        "font.size": 10.5,
        "savefig.dpi": 150,  # of the parts drawn as pixels (images, 3-D surfaces)
        "svg.fonttype": "path",  # no font needed to read the figure
        "svg.hashsalt": "symmetry-tasks",  # the same ids in every build
    }


@contextmanager
def figure_context() -> Iterator[None]:
    """Draw in the light palette; ``rcParams`` are restored on exit."""
    with mpl.rc_context(rc_params(LIGHT)):
        yield


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches in the light palette."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
        return ax
    with figure_context():
        return plt.subplots(figsize=figsize, layout="constrained")[1]


def subplots(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float]) -> tuple[Figure, object]:
    """:func:`matplotlib.pyplot.subplots` in the light palette, with a constrained layout.

    For a figure of several panels drawn by this package's functions (pass each panel as ``ax``), so
    that the figure's own frame and background follow the palette too.

    Examples
    --------
    >>> figure, axes = subplots(1, 2, figsize=(6.0, 3.0))
    >>> len(axes), figure.get_facecolor() == to_rgba(LIGHT.background)
    (2, True)
    >>> plt.close(figure)
    """
    with figure_context():
        return plt.subplots(nrows, ncols, figsize=figsize, layout="constrained")


def signed_colormap(palette: Palette = LIGHT) -> LinearSegmentedColormap:
    """A diverging colormap for signed values: the sign picks the colour, the size its opacity.

    Zero is fully transparent, so it shows the background of either theme; ``NaN`` ("bad") too.

    Examples
    --------
    >>> colormap = signed_colormap()
    >>> [round(float(colormap(value)[3]), 2) for value in (0.0, 0.5, 1.0)]  # opacity
    [1.0, 0.0, 1.0]
    """
    negative, positive = to_rgba(palette.negative), to_rgba(palette.positive)
    stops = [(0.0, negative), (0.5, (*negative[:3], 0.0)), (0.5, (*positive[:3], 0.0)), (1.0, positive)]
    colormap = LinearSegmentedColormap.from_list("signed", stops, N=512)
    return colormap.with_extremes(bad=(0.0, 0.0, 0.0, 0.0))


def plotly_theme(palette: Palette) -> dict[str, object]:
    """The ``Plotly.relayout`` update that gives a 3-D figure the colours of ``palette``."""
    update: dict[str, object] = {
        "paper_bgcolor": palette.background,
        "plot_bgcolor": palette.background,
        "font.color": palette.text,
        "legend.bgcolor": palette.background,
        "legend.font.color": palette.text,
    }
    for axis in ("xaxis", "yaxis", "zaxis"):
        update[f"scene.{axis}.backgroundcolor"] = palette.background
        update[f"scene.{axis}.gridcolor"] = palette.grid
        update[f"scene.{axis}.zerolinecolor"] = palette.grid
        update[f"scene.{axis}.color"] = palette.text
    return update


#: The parts of plotly's ``plotly_white`` layout a 3-D figure of this site uses; its per-trace defaults
#: (colour bars, 2-D axes, maps, ...) are left out, 7 kB less of every figure's page.
_PLOTLY_TEMPLATE_KEYS = (
    "colorway",
    "font",
    "hovermode",
    "hoverlabel",
    "paper_bgcolor",
    "plot_bgcolor",
    "scene",
)


def plotly_template() -> go.layout.Template:
    """The part of plotly's ``plotly_white`` template that a 3-D scene of this site draws with.

    Examples
    --------
    >>> sorted(plotly_template().layout.to_plotly_json())[:3]
    ['colorway', 'font', 'hoverlabel']
    >>> plotly_template().data.surface
    ()
    """
    white = pio.templates["plotly_white"].layout.to_plotly_json()
    return go.layout.Template(layout={key: white[key] for key in _PLOTLY_TEMPLATE_KEYS})


_DESCRIPTIONS: WeakKeyDictionary[Figure, list[str]] = WeakKeyDictionary()


def describe(figure: Figure, text: str, *, replace: bool = False) -> Figure:
    """Add ``text`` to the alt text of a matplotlib figure (or replace it); returns the figure.

    Examples
    --------
    >>> figure = plt.figure()
    >>> description(describe(describe(figure, "A loss curve."), "A dashed floor."))
    'A loss curve. A dashed floor.'
    >>> plt.close(figure)
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"an alt text must be a non-empty str, got {text!r}")
    texts = _DESCRIPTIONS.setdefault(figure, [])
    if replace:
        texts.clear()
    texts.append(text.strip())
    return figure


def description(figure: Figure) -> str:
    """The alt text of a figure: what :func:`describe` attached, in order; empty if nothing was."""
    return " ".join(_DESCRIPTIONS.get(figure, []))
