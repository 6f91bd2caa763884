"""Serve the few MathJax 3 components the site uses, from the site itself.

The MathJax files come from the ``sphinx-mathjax-offline`` package, which holds all of MathJax 3
(24 MB). Only the components of a TeX-to-CommonHTML page are copied into ``_static/mathjax``: the
loader (``startup.js``), ``core``, the TeX input with its standard packages, the CommonHTML output
with its TeX font data and web fonts, ``assistive-mml``, which gives screen readers every formula
as hidden MathML, and ``ui/lazy``, which draws a formula when it scrolls into view (the first paint
waits only for those on screen). ``mathjax-config.js`` (next to this module) loads them: Sphinx inlines it on the
pages that hold math, and MathJax itself is loaded there with ``defer``, so it never blocks the first
paint and pages without math load none of it. Those pages preload the components and the fonts every
formula uses, so that they arrive while the page is parsed rather than one after the other; the
preloads come last in the head, after the files the first paint waits for.

A TeX macro that MathJax's ``autoload`` takes from an extension (``\\boldsymbol``, ``\\cancel``, ...)
would request a file under ``input/tex/extensions/`` that is not served: the browser tests report it
as a failed request, and the extension then belongs in :data:`COMPONENTS`.
"""

from __future__ import annotations

import shutil
from importlib.metadata import distribution
from pathlib import Path

from sphinx.application import Sphinx

#: Files of MathJax 3, relative to its root, that a page with math loads (fonts only when used).
COMPONENTS = (
    "startup.js",
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "output/chtml/fonts/woff-v2/*.woff",
    "a11y/assistive-mml.js",
    "ui/lazy.js",
)
#: Where they are served from, relative to ``_static`` (``mathjax_path`` points at its loader).
TARGET = "mathjax"
#: What a page with math fetches as soon as its head is read, instead of one after the other once the
#: loader runs: the components the loader would ask for, and the three fonts every formula uses.
PRELOAD = (
    ("script", "core.js"),
    ("script", "input/tex.js"),
    ("script", "output/chtml.js"),
    ("script", "output/chtml/fonts/tex.js"),
    ("script", "a11y/assistive-mml.js"),
    ("script", "ui/lazy.js"),
    ("font", "output/chtml/fonts/woff-v2/MathJax_Zero.woff"),
    ("font", "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff"),
    ("font", "output/chtml/fonts/woff-v2/MathJax_Math-Italic.woff"),
)


def mathjax_root() -> Path:
    """The MathJax 3 tree installed by ``sphinx-mathjax-offline``."""
    return Path(distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static/mathjax"))


def copy_components(app: Sphinx) -> None:
    """Copy :data:`COMPONENTS` into the output's ``_static/mathjax`` (replacing what was there)."""
    if app.builder.format != "html":
        return
    source, target = mathjax_root(), Path(app.outdir) / "_static" / TARGET
    shutil.rmtree(target, ignore_errors=True)
    for pattern in COMPONENTS:
        files = sorted(source.glob(pattern))
        if not files:
            raise FileNotFoundError(f"MathJax component {pattern!r} is not in {source}")
        for file in files:
            destination = target / file.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, destination)


def preload(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On a page with math, ``<link rel="preload">`` the MathJax files of :data:`PRELOAD`."""
    if not context.get("has_maths_elements"):
        return
    links = []
    for kind, path in PRELOAD:
        href = context["pathto"](f"_static/{TARGET}/{path}", 1)
        extra = ' type="font/woff" crossorigin' if kind == "font" else ""
        links.append(f'<link rel="preload" href="{href}" as="{kind}"{extra} />')
    # Written at the end of the head (templates/layout.html), after the stylesheets and scripts the
    # first paint waits for: without HTTP/2 the browser fetches six files of a host at a time, those go first.
    context["mathjax_preloads"] = "\n".join(links)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", copy_components)
    app.connect("html-page-context", preload)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
