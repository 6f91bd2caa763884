"""The paper and the tutorial the site comes from, cited in one place for every page that cites them.

* ``.. paper-citation::`` writes the citation: the DOI of Smidt, Geiger and Miller (2021), a BibTeX
  block, and the link to Tess Smidt's original notebook. The landing page uses it.
* ``source-read``: every task page of the gallery gets a "References" section with the directive,
  just before its running time and downloads (nothing to write in the gallery's scripts).
* :func:`markdown` is the same citation in Markdown: ``package_downloads`` ends every notebook with it,
  so that a downloaded notebook cites the paper too, with no reStructuredText in it.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

DOI = "10.1103/PhysRevResearch.3.L012002"
DOI_URL = f"https://doi.org/{DOI}"
# The title in two lines, short enough for a code column of the site (BibTeX lets a field break).
_TITLE_LINES = ("Finding symmetry breaking order parameters", "with Euclidean neural networks")
TITLE = " ".join(_TITLE_LINES)
AUTHORS = "Tess E. Smidt, Mario Geiger and Benjamin Kurt Miller"
JOURNAL = "Phys. Rev. Research"
VOLUME, PAGES, YEAR = "3", "L012002", "2021"
# Tess Smidt's notebook "Simple Tasks and Symmetry" (e3nn 0.1, 2020), and its rendering as a web page.
TUTORIAL_URL = "https://blondegeek.github.io/e3nn_tutorial/simple_tasks_and_symmetry.html"
TUTORIAL_NOTEBOOK_URL = (
    "https://github.com/blondegeek/e3nn_tutorial/blob/master/simple_tasks_and_symmetry.ipynb"
)

BIBTEX = f"""@article{{smidt2021finding,
  title   = {{{_TITLE_LINES[0]}
             {_TITLE_LINES[1]}}},
  author  = {{Smidt, Tess E. and Geiger, Mario
             and Miller, Benjamin Kurt}},
  journal = {{{JOURNAL}}},
  volume  = {{{VOLUME}}},
  pages   = {{{PAGES}}},
  year    = {{{YEAR}}},
  doi     = {{{DOI}}},
}}"""

#: The gallery's pages that are not task pages.
_NOT_TASKS = ("index", "sg_execution_times")


def _rst() -> list[str]:
    lines = [
        f"The tasks come from Tess Smidt's tutorial `Simple Tasks and Symmetry <{TUTORIAL_URL}>`__",
        f"(written for e3nn 0.1 in 2020; `the notebook <{TUTORIAL_NOTEBOOK_URL}>`__), and the idea of",
        f"breaking a symmetry with a learned input from the paper: {AUTHORS}, *{TITLE}*,",
        f"{JOURNAL} **{VOLUME}**, {PAGES} ({YEAR}), `doi:{DOI} <{DOI_URL}>`__. To cite it:",
        "",
        ".. code-block:: bibtex",
        "",
        *(f"   {line}" for line in BIBTEX.splitlines()),
    ]
    return lines


def markdown() -> str:
    """The citation as a notebook's Markdown cell."""
    return (
        "## References\n\n"
        f"The tasks come from Tess Smidt's tutorial [Simple Tasks and Symmetry]({TUTORIAL_URL}) "
        f"(written for e3nn 0.1 in 2020; [the notebook]({TUTORIAL_NOTEBOOK_URL})), and the idea of "
        f"breaking a symmetry with a learned input from the paper: {AUTHORS}, *{TITLE}*, "
        f"{JOURNAL} **{VOLUME}**, {PAGES} ({YEAR}), [doi:{DOI}]({DOI_URL}). To cite it:\n\n"
        f"```bibtex\n{BIBTEX}\n```\n"
    )


class PaperCitation(SphinxDirective):
    """``.. paper-citation::``: the paper's DOI and BibTeX, and the original tutorial's link."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["st-citation"])
        self.state.nested_parse(StringList(_rst(), source="paper-citation"), self.content_offset, container)
        return [container]


def _is_task_page(app: Sphinx, docname: str) -> bool:
    gallery = app.config.sphinx_gallery_conf["gallery_dirs"][0]
    folder, _, name = docname.rpartition("/")
    return folder == gallery and name not in _NOT_TASKS


def add_to_task_pages(app: Sphinx, docname: str, source: list[str]) -> None:
    """Give each task page a References section before its running time and its downloads."""
    if not _is_task_page(app, docname):
        return
    text = source[0]
    section = "References\n----------\n\n.. paper-citation::\n\n"
    for marker in (".. rst-class:: sphx-glr-timing", f".. _sphx_glr_download_{docname.replace('/', '_')}"):
        if marker in text:
            source[0] = text.replace(marker, section + marker, 1)
            return
    source[0] = text + "\n\n" + section


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("paper-citation", PaperCitation)
    app.connect("source-read", add_to_task_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
