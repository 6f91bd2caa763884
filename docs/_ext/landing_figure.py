"""The site's picture: the square, the rectangle it cannot become alone, and the x² − y² input that
lets it, drawn by ``symmetry_tasks.plotting`` at build time.

* :func:`landing_panel` draws each half; the landing page shows the two with ``.. plot::`` directives
  (SVG, with the dark twin ``figures.py`` adds to every plot) in one ``st-landing`` container, side by
  side on a desktop and one above the other on a phone, so that the text keeps its size on both.
* :func:`landing_figure` draws both halves in one picture.
* ``builder-inited``: the same figure as ``_static/landing.png``, 1200 x 630 pixels, the site's
  preview image in links shared elsewhere (``og:image``, set in ``_templates/layout.html`` from
  ``conf.py``'s ``html_baseurl``).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sphinx.application import Sphinx

from symmetry_tasks.plotting import describe, signal_surfaces, static_surfaces, task_diagram
from symmetry_tasks.plotting.style import figure_context
from symmetry_tasks.shapes import rectangle, square
from symmetry_tasks.signals import LMAX, x2_minus_y2

PREVIEW = "landing.png"
#: The preview's size: 10 x 5.25 inches at 120 dpi, 1200 x 630 pixels (the size link previews use).
PREVIEW_INCHES, PREVIEW_DPI = (10.0, 5.25), 120
#: The size of each half on the landing page: two fit the column at 1280 px (622 px), one fits it at
#: 390 px (356 px), so that the page never shrinks the text.
PANEL_INCHES = (3.2, 3.0)
#: The radius of each lobe, as a fraction of the square's side: the four stay apart.
LOBE_SCALE = 0.55
PANELS = ("shapes", "input")


def _draw_shapes(ax: Axes) -> None:
    task_diagram(
        square(),
        rectangle(),
        "A square cannot become a rectangle...",
        ax=ax,
        start_label="square",
        finish_label="rectangle",
    )
    ax.tick_params(labelbottom=False, labelleft=False)  # a picture, not a plot to read values from


def _draw_input(ax: Axes) -> None:
    corners = square()
    feature = x2_minus_y2(LMAX).expand(len(corners), -1)
    surfaces = signal_surfaces(
        feature,
        corners,
        scale=LOBE_SCALE,
        markers={"square": corners, "rectangle": rectangle()},
    )
    static_surfaces(surfaces, ax=ax)
    ax.set_title("...unless each corner gets x² − y²")
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_ticklabels([])


_INPUT_TEXT = (
    "The x² − y² input drawn at each corner of the square, a surface pushed out (red) along x and pulled "
    "in (blue) along y, the input that lets an equivariant network stretch the square into the rectangle."
)


def landing_panel(which: str, size: tuple[float, float] = PANEL_INCHES) -> Figure:
    """One half of the picture: ``"shapes"``, the square and the rectangle, or ``"input"``, x² − y².

    ``size`` in inches: by default small enough that the page never shrinks it (text of 8 pt or more).
    """
    if which not in PANELS:
        raise ValueError(f"which must be one of {PANELS}, got {which!r}")
    with figure_context():
        figure = plt.figure(figsize=size, layout="constrained")
        if which == "shapes":
            _draw_shapes(figure.add_subplot())
        else:
            _draw_input(figure.add_subplot(projection="3d"))
    if which == "input":
        describe(figure, _INPUT_TEXT)
    return figure


def landing_figure(size: tuple[float, float] = PREVIEW_INCHES) -> Figure:
    """The square and the rectangle (left), and the x² − y² input at each corner of the square (right)."""
    with figure_context():
        figure = plt.figure(figsize=size, layout="constrained")
        plane = figure.add_subplot(1, 2, 1)
        space = figure.add_subplot(1, 2, 2, projection="3d")
    _draw_shapes(plane)
    _draw_input(space)
    describe(figure, "Right: " + _INPUT_TEXT[0].lower() + _INPUT_TEXT[1:])
    return figure


def write_preview(app: Sphinx) -> None:
    """Save the figure as the site's preview image, ``_static/landing.png``."""
    if app.builder.format != "html":
        return
    figure = landing_figure()
    target = Path(app.outdir) / "_static" / PREVIEW
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=PREVIEW_DPI, metadata={"Software": None})
    plt.close(figure)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", write_preview)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
