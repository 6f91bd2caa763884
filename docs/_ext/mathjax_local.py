"""Serve the few MathJax 3 components the site uses, from the site itself.

The MathJax files come from the ``sphinx-mathjax-offline`` package, which holds all of MathJax 3
(24 MB). Only the components of a TeX-to-CommonHTML page are copied into ``_static/mathjax``: the
loader (``startup.js``), ``core``, the TeX input with its standard packages, the CommonHTML output
with its TeX font data and web fonts, and ``assistive-mml``, which gives screen readers the formula
as hidden MathML. ``mathjax-config.js`` (next to this module) loads them: Sphinx inlines it on the
pages that hold math, and MathJax itself is loaded there with ``defer``, so it never blocks the first
paint and pages without math load none of it.

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
)
#: Where they are served from, relative to ``_static`` (``mathjax_path`` points at its loader).
TARGET = "mathjax"


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


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", copy_components)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
