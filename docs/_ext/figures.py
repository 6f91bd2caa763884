"""Figures that follow the page's theme: light and dark SVG twins, thumbnails, interactive 3-D figures.

* :func:`matplotlib_svg_scraper`, a sphinx-gallery image scraper: every matplotlib figure of an example
  is saved as SVG twice, as drawn (light palette) and recoloured for the dark theme
  (:func:`symmetry_tasks.plotting.recolor_svg`); the page shows the one of the reader's theme
  (pydata-sphinx-theme's ``only-light``/``only-dark`` classes, switched live), with the figure's own
  description as alt text. The figure chosen as thumbnail is also saved as PNG for the gallery cards.
* :func:`plotly_thumbnail_scraper`: a plotly figure that ends a code block counts as a figure of the
  page, so that ``sphinx_gallery_thumbnail_number`` can pick it; when picked, its still rendering
  (:func:`symmetry_tasks.plotting.static_surfaces`) becomes the thumbnail. The page shows the interactive
  figure itself (``conf.py`` renders it, ``_static/plotly-figures.js`` draws it).
* Figures of the ``.. plot::`` directive (SVG, ``plot_formats`` in ``conf.py``) get the same dark twin,
  added next to each one when the document is read.

Figures are counted in page order, matplotlib and plotly alike. The thumbnail number must be positive.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import plotly.graph_objects as go
from docutils import nodes
from sphinx.application import Sphinx

from symmetry_tasks.plotting import description, recolor_svg, static_surfaces
from symmetry_tasks.plotting.style import rc_params

_DARK_SUFFIX = ".dark.svg"
_PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">'
    "<title>An interactive figure, shown on the page by plotly.js</title></svg>\n"
)
_DATE = re.compile(r"\s*<dc:date>.*?</dc:date>", re.DOTALL)


def _thumbnail_number(block_vars: dict[str, Any]) -> int:
    return int((block_vars.get("file_conf") or {}).get("thumbnail_number", 1))


def _rst_path(path: Path, gallery_conf: dict[str, Any]) -> str:
    return "/" + path.relative_to(Path(gallery_conf["src_dir"])).as_posix()


def _image_rst(path: Path, alt: str, classes: str, gallery_conf: dict[str, Any]) -> str:
    alt = " ".join(alt.split())
    return (
        f"\n.. image:: {_rst_path(path, gallery_conf)}\n   :alt: {alt}\n   :class: {classes}\n"
        "   :loading: lazy\n"
    )


def _write_twins(svg: Path) -> Path:
    """Drop the SVG's date (so that builds repeat) and write its dark twin next to it."""
    light = _DATE.sub("", svg.read_text(encoding="utf-8"))
    svg.write_text(light, encoding="utf-8")
    dark = svg.with_name(svg.name.removesuffix(".svg") + _DARK_SUFFIX)
    dark.write_text(recolor_svg(light, "dark"), encoding="utf-8")
    return dark


def matplotlib_svg_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """Save each open matplotlib figure as a light and a dark SVG and return the rST that shows them."""
    thumbnail = _thumbnail_number(block_vars)
    iterator = block_vars["image_path_iterator"]
    rst = []
    for number, image_path in zip(plt.get_fignums(), iterator, strict=False):
        figure = plt.figure(number)
        path = Path(image_path)
        svg = path.with_suffix(".svg")
        with plt.rc_context(rc_params()):
            figure.savefig(svg, format="svg", metadata={"Date": None})
            if len(iterator) == thumbnail:
                figure.savefig(path.with_suffix(".png"), format="png")
        dark = _write_twins(svg)
        titles = ", ".join(ax.get_title() for ax in figure.axes if ax.get_title())
        alt = description(figure) or titles or "A figure drawn by the code above."
        rst.append(_image_rst(svg, alt, "sphx-glr-single-img only-light", gallery_conf))
        rst.append(_image_rst(dark, alt, "sphx-glr-single-img only-dark", gallery_conf))
    plt.close("all")
    return "".join(rst)


def _ends_with_expression(code: str) -> bool:
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[-1], ast.Expr)


def plotly_thumbnail_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """Count a plotly figure that ends the block as a figure; render it as the thumbnail if it is one."""
    shown = block_vars["example_globals"].get("___")
    if not (isinstance(shown, go.Figure) and _ends_with_expression(block.content)):
        return ""
    path = Path(next(block_vars["image_path_iterator"]))
    if len(block_vars["image_path_iterator"]) == _thumbnail_number(block_vars):
        ax = static_surfaces(shown)
        with plt.rc_context(rc_params()):
            ax.figure.savefig(path.with_suffix(".png"), format="png", dpi=100)
        plt.close(ax.figure)
    else:  # sphinx-gallery wants a file for every figure counted; this one is never shown
        path.with_suffix(".svg").write_text(_PLACEHOLDER, encoding="utf-8")
    return ""  # the page shows the interactive figure, rendered from the block's output


def _dark_plot_directive_figures(app: Sphinx, doctree: nodes.document) -> None:
    """Give every SVG of the ``.. plot::`` directive a dark twin, shown in the dark theme only."""
    for image in list(doctree.findall(nodes.image)):
        uri = image["uri"]
        if "plot_directive" not in uri or not uri.endswith(".svg") or uri.endswith(_DARK_SUFFIX):
            continue
        _, absolute = app.env.relfn2path(uri, app.env.docname)
        _write_twins(Path(absolute))
        twin = image.deepcopy()
        twin["uri"] = uri.removesuffix(".svg") + _DARK_SUFFIX
        twin["classes"] = [*image["classes"], "only-dark"]
        image["classes"].append("only-light")
        for node in (image, twin):
            node["loading"] = "lazy"
        image.parent.insert(image.parent.index(image) + 1, twin)


def setup(app: Sphinx) -> dict[str, bool]:
    # before Sphinx's image collector (priority 500), so that it collects the twins too
    app.connect("doctree-read", _dark_plot_directive_figures, priority=400)
    app.add_css_file("figures.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
