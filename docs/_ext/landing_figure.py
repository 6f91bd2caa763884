"""The site's picture: the square, the rectangle it cannot become alone, and the x² − y² input that
lets it, drawn by ``symmetry_tasks.plotting`` at build time.

* :func:`landing_figure` draws it; the landing page shows it with a ``.. plot::`` directive (SVG, with
  the dark twin ``figures.py`` adds to every plot).
* ``builder-inited``: the same figure as ``_static/landing.png``, 1200 x 630 pixels, the site's
  preview image in links shared elsewhere (``og:image``, set in ``_templates/layout.html`` from
  ``conf.py``'s ``html_baseurl``).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from sphinx.application import Sphinx

from symmetry_tasks.plotting import describe, signal_surfaces, static_surfaces, task_diagram
from symmetry_tasks.plotting.style import figure_context
from symmetry_tasks.shapes import rectangle, square
from symmetry_tasks.signals import LMAX, x2_minus_y2

PREVIEW = "landing.png"
#: The preview's size: 10 x 5.25 inches at 120 dpi, 1200 x 630 pixels (the size link previews use).
PREVIEW_INCHES, PREVIEW_DPI = (10.0, 5.25), 120
#: The size on the landing page: the column's width (6.4 inches, 622 px), so that nothing is shrunk.
PAGE_INCHES = (6.4, 3.4)
#: The radius of each lobe, as a fraction of the square's side: the four stay apart.
LOBE_SCALE = 0.55


def landing_figure(size: tuple[float, float] = PAGE_INCHES) -> Figure:
    """The square and the rectangle (left), and the x² − y² input at each corner of the square (right).

    ``size`` in inches: the page's column by default, where the text keeps its size (8 pt or more).
    """
    with figure_context():
        figure = plt.figure(figsize=size, layout="constrained")
        plane = figure.add_subplot(1, 2, 1)
        space = figure.add_subplot(1, 2, 2, projection="3d")
    corners = square()
    task_diagram(
        corners,
        rectangle(),
        "A square cannot become a rectangle...",
        ax=plane,
        start_label="square",
        finish_label="rectangle",
    )
    feature = x2_minus_y2(LMAX).expand(len(corners), -1)
    surfaces = signal_surfaces(
        feature,
        corners,
        scale=LOBE_SCALE,
        markers={"square": corners, "rectangle": rectangle()},
    )
    static_surfaces(surfaces, ax=space)
    space.set_title("...unless each corner gets x² − y²")
    # A picture, not a plot to read values from: no tick labels.
    plane.tick_params(labelbottom=False, labelleft=False)
    for axis in (space.xaxis, space.yaxis, space.zaxis):
        axis.set_ticklabels([])
    describe(
        figure,
        "Right: the x² − y² input drawn at each corner of the square, a surface pushed out (red) along "
        "x and pulled in (blue) along y, the input that lets an equivariant network stretch the square "
        "into the rectangle.",
    )
    return figure


def write_preview(app: Sphinx) -> None:
    """Save the figure as the site's preview image, ``_static/landing.png``."""
    if app.builder.format != "html":
        return
    figure = landing_figure(PREVIEW_INCHES)
    target = Path(app.outdir) / "_static" / PREVIEW
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=PREVIEW_DPI, metadata={"Software": None})
    plt.close(figure)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", write_preview)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
