"""Sphinx configuration of the site, built by ``nox -s docs``.

The build is strict (``sphinx-build -W --keep-going -n``: every warning fails it, an example that
raises fails it) and offline: nothing is fetched at build time and no page asks any host other than
the one serving the site for anything. That is why

* math is typeset as MathML when the site is built (``_ext/mathml.py``): pages load no script for it;
* plotly figures are rendered as JSON; ``_static/plotly-figures.js`` draws them after the page has
  painted, with the one copy of plotly.js in ``_static/plotly/plotly.min.js`` (plotly.js's 3-D
  bundle, vendored: see the README there), loaded only on pages that hold a figure;
* sphinx-gallery's execution-times page loses its jQuery/DataTables CDN scripts (the table stays);
* intersphinx links the names of e3nn, torch, numpy, scipy, matplotlib, plotly and Python to their
  documentation, from inventories stored in ``_inventories/`` (written from the installed packages by
  ``_inventories/inventories.py``), never downloaded; a name no inventory lists stays plain text
  (``nitpick_ignore_regex``).

Every ``docs/_ext/*.py`` module is loaded as a Sphinx extension.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
import pkgutil
import re
import sys
from html import escape
from importlib.metadata import version as _version
from pathlib import Path

import plotly.io as pio
from docutils import nodes
from plotly.io.base_renderers import MimetypeRenderer
from sphinx.application import Sphinx
from sphinx.util.inspect import object_description

DOCS = Path(__file__).parent.resolve()
ROOT = DOCS.parent
EXT_DIR = DOCS / "_ext"
INVENTORIES = DOCS / "_inventories"

sys.path.insert(0, str(EXT_DIR))
sys.path.insert(0, str(INVENTORIES))
sys.path.insert(0, str(ROOT / "benchmarks"))  # the Performance page times the benchmark's harness

from inventories import BASE_URLS
from package_downloads import install_cell, wheel_name

# -- Project ------------------------------------------------------------------------------------------

project = "Simple Tasks and Symmetry"
author = "the symmetry-tasks authors"
copyright = "the symmetry-tasks authors; after Tess Smidt's e3nn tutorial"
release = _version("symmetry-tasks")
version = release

# -- Downloads ----------------------------------------------------------------------------------------

# The package's wheel, built by _ext/package_downloads.py into the gallery's folder at every build:
# on any page ``|wheel|`` links it and ``|wheel_file|`` names it (also in a ``parsed-literal`` block).
WHEEL = wheel_name(release)
rst_prolog = f"""
.. |wheel| replace:: :download:`{WHEEL} </auto_examples/{WHEEL}>`
.. |wheel_file| replace:: {WHEEL}
"""
# The address of the hosted site: the one place that names it (Read the Docs sets it for its builds).
# The notebooks link its API and theory pages, and install the wheel it serves when downloaded alone.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "https://symmetry-tasks.readthedocs.io/en/latest/")

# -- Extensions ---------------------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "sphinx_copybutton",
    *sorted(path.stem for path in EXT_DIR.glob("*.py") if not path.name.startswith("_")),
]

# The theory pages' figures: SVG (crisp at any size; the 3-D surfaces inside at 150 dpi), no source links
# (the code is in symmetry_tasks.plotting); docs/_ext/figures.py adds the dark twin of each.
plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("svg", 150)]
plot_rcparams = {"svg.fonttype": "path", "svg.hashsalt": "symmetry-tasks"}  # the same file every build

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
nitpicky = True

# -- Links into the field's docs ----------------------------------------------------------------------

# Each project's inventory is a file of this repository (see _inventories/inventories.py), so the build
# reads no network; the links point to each project's hosted documentation. sphinx-gallery links the
# names in the examples' code through the same inventories.
intersphinx_mapping = {key: (url, str(INVENTORIES / f"{key}.inv")) for key, url in BASE_URLS.items()}
intersphinx_cache_limit = -1  # never look for newer inventories
intersphinx_timeout = 1

# Types of other packages that no inventory lists stay plain text.
# ``Tensor``/``Axes``/``Figure`` are how annotations and numpydoc types name them after imports.
# Numpydoc type fields written as prose ("matplotlib Axes", "callable") cannot resolve either, nor can
# private classes named in annotations.
nitpick_ignore_regex = [
    (r"py:.*", r"(torch|e3nn|o3|numpy|np|scipy|sympy|matplotlib|mpl|plotly|go|collections\.abc)(\..*)?"),
    (r"py:.*", r"(Tensor|Irreps|Axes|Figure|ndarray|ArrayLike|NDArray|Sequence|Mapping|Callable)"),
    (r"py:class", r"(callable|sequence|mapping|iterable|optional|array[-_]like|.*\s.*)"),
    (r"py:.*", r"symmetry_tasks\.(\w+\.)*_\w+"),
    (r"py:.*", r"(ase|spglib)(\..*)?|Atoms|SpglibDataset"),  # crystals: ASE and spglib types
]

# -- Autodoc / autosummary / numpydoc ----------------------------------------------------------------

autosummary_generate = True
autosummary_imported_members = False
# A subpackage's page documents the names in its ``__all__``, where they are defined in its modules.
autosummary_ignore_module_all = False


def _undescribable_attributes() -> dict[str, list[str]]:
    """Module constants that autodoc cannot describe, by module: they stay out of the API pages.

    Sphinx crashes on values it cannot represent, such as e3nn ``Irreps`` (``len()`` of their items
    raises), so the module template skips them.
    """
    import symmetry_tasks

    skipped: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(symmetry_tasks.__path__, "symmetry_tasks."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or inspect.ismodule(value) or callable(value):
                continue
            try:
                object_description(value)
            except Exception:  # whatever the value's repr raises
                skipped.setdefault(info.name, []).append(name)
    return skipped


autosummary_context = {"undescribable_attributes": _undescribable_attributes()}
# Each documented name has its own section on its subpackage's page; no second TOC entry for the object.
toc_object_entries = False
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True  # show defaults as written (e3nn Irreps objects have no usable repr)
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = False

# -- Math ---------------------------------------------------------------------------------------------

# MathML, typeset at build time by ``_ext/mathml.py`` (a formula it cannot convert fails the build).
html_math_renderer = "mathml"

# -- Gallery ------------------------------------------------------------------------------------------


class _LocalPlotlyHtml(MimetypeRenderer):
    """A plotly figure as a labelled ``<figure>`` holding its JSON, drawn by ``plotly-figures.js``.

    The figure's alt text (``layout.meta["description"]``, see ``symmetry_tasks.plotting``) becomes its
    ``aria-label``; the graph's id is a hash of the figure, so that two builds write the same page.
    """

    def to_mimebundle(self, fig_dict: dict) -> dict[str, str]:
        spec = {"data": fig_dict.get("data", []), "layout": fig_dict.get("layout", {})}
        spec["config"] = {"displaylogo": False, "responsive": True}
        text = pio.to_json(spec, validate=False, pretty=False).replace("</", "<\\/")
        meta = spec["layout"].get("meta")
        label = meta.get("description") if isinstance(meta, dict) else None
        graph_id = "plotly-" + hashlib.sha256(text.encode()).hexdigest()[:16]
        html = (
            f'<figure class="st-plotly" aria-label="{escape(label or "An interactive 3-D figure.")}">'
            f'<div id="{graph_id}" class="plotly-graph-div"></div>'
            f'<script type="application/json">{text}</script></figure>'
        )
        return {"text/html": html}


# A plotly figure that ends a code block is shown through its ``_repr_html_``, which uses the default
# renderer. The examples run in this process one after the other, so setting it here covers them all.
pio.renderers["symmetry_tasks_gallery"] = _LocalPlotlyHtml()
pio.renderers.default = "symmetry_tasks_gallery"

sphinx_gallery_conf = {
    "examples_dirs": ["../gallery"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r".*\.py$",
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    # matplotlib figures as light and dark SVG; plotly figures counted for the thumbnail number; each
    # checked first (_ext/figure_checks.py: a figure that would not read on the page fails the build)
    "image_scrapers": ("figure_checks.checked_matplotlib_scraper", "figure_checks.checked_plotly_scraper"),
    "capture_repr": ("_repr_html_", "__repr__"),
    "doc_module": ("symmetry_tasks",),
    "backreferences_dir": "api/generated/backreferences",
    # Installs the wheel next to the notebook, or the one the site serves (see _ext/package_downloads.py).
    "first_notebook_cell": install_cell(WHEEL, html_baseurl),
    "remove_config_comments": True,
    "download_all_examples": True,
    "write_computation_times": True,
    "min_reported_time": 0,
    "show_memory": False,
    "show_api_usage": False,
}

# -- Copy buttons -------------------------------------------------------------------------------------

# A button on every code block but the gallery's printed outputs; it copies the code without the
# ``>>>``/``...`` prompts of doctests and the ``$`` of shell lines, and without the outputs between them
# (in a block with prompts only the prompted lines are copied).
copybutton_selector = "div:not(.sphx-glr-script-out) > div.highlight pre"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos, .gp, .go"

# -- HTML ---------------------------------------------------------------------------------------------

# Results ranked by relevance, each page once, math in the snippets as text: _ext/search_ranking.py.
html_search_scorer = str(EXT_DIR / "search-scorer.js")

html_theme = "pydata_sphinx_theme"
html_title = project
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_js_files = [("scroll-cues.js", {"defer": "defer"})]
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "navbar_align": "left",
    "navbar_start": ["navbar-logo"],
    "navbar_center": ["navbar-nav"],
    "navbar_end": ["theme-switcher"],
    "navbar_persistent": ["search-button"],
    "header_links_before_dropdown": 5,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_center": [],
    "footer_end": ["sphinx-version"],
    "show_prev_next": True,
    "navigation_with_keys": False,
}
# No primary sidebar where it would be empty: top-level pages without subpages.
html_sidebars = {page: [] for page in ("index", "search", "genindex", "py-modindex", "performance")}
# Without a stored choice the theme follows the reader's system setting (and logs no console error
# about an empty mode).
html_context = {"default_mode": "auto"}
# The preview of a link to the site shared elsewhere: the landing figure (_ext/landing_figure.py).
html_context["og_image"] = html_baseurl.rstrip("/") + "/_static/landing.png"
html_context["og_description"] = (
    "An E(3)-equivariant network cannot make its output less symmetric than its input: the tasks of "
    "Tess Smidt's e3nn tutorial, executed, with the theory and an atlas of the 32 point groups."
)

# -- Build hooks --------------------------------------------------------------------------------------


def _add_plotly_js(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On the pages that hold a plotly figure, and on no others, draw them once the page has painted."""
    if doctree is None:
        return
    if any("plotly-graph-div" in raw.astext() for raw in doctree.findall(nodes.raw)):
        app.add_js_file("plotly-figures.js", priority=400, loading_method="defer")


_OFF_SITE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _drop_cdn_scripts(app: Sphinx, doctree: nodes.document) -> None:
    """Keep the execution-times table but drop the scripts it would fetch from CDNs.

    sphinx-gallery writes ``<script src="https://...">``/``<link href="https://...">`` for jQuery,
    DataTables and Bootstrap into ``sg_execution_times.rst``, with no option to turn them off.
    """
    if not app.env.docname.endswith("sg_execution_times"):
        return
    for raw in list(doctree.findall(nodes.raw)):
        if _OFF_SITE.search(raw.astext()):
            raw.parent.remove(raw)


def setup(app: Sphinx) -> dict[str, bool]:
    app.connect("doctree-read", _drop_cdn_scripts)
    app.connect("html-page-context", _add_plotly_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
