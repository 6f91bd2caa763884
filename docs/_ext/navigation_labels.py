"""Name the sidebar's expand/collapse toggles, which the theme leaves without a name.

pydata-sphinx-theme puts every sidebar entry that has subpages in a ``<details>`` element whose
``<summary>`` holds only a chevron icon, so assistive technology announces a nameless control (axe
rule ``summary-name``). This wraps the theme's ``generate_toctree_html`` and gives each such summary
an ``aria-label`` naming the entry it opens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from bs4 import BeautifulSoup
from sphinx.application import Sphinx


def label_toggles(html: str | BeautifulSoup) -> str | BeautifulSoup:
    """Add ``aria-label="Pages in <entry>"`` to every ``<summary>`` of the sidebar that has no text.

    The theme's function returns the sidebar as HTML or as a soup; a soup is labelled in place.
    """
    soup = BeautifulSoup(html, "html.parser") if isinstance(html, str) else html
    for summary in soup.find_all("summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        entry = summary.find_parent("li")
        link = entry.find("a", recursive=False) if entry else None
        if link is not None:
            summary["aria-label"] = f"Pages in {link.get_text(' ', strip=True)}"
    return str(soup) if isinstance(html, str) else soup


def _wrap_toctree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    generate: Callable | None = context.get("generate_toctree_html")
    if generate is None:
        return

    @wraps(generate)
    def labelled(kind: str, *args: object, **kwargs: object) -> str | BeautifulSoup:
        return label_toggles(generate(kind, *args, **kwargs))

    context["generate_toctree_html"] = labelled


def setup(app: Sphinx) -> dict[str, object]:
    # After the theme's own html-page-context handler, which defines generate_toctree_html.
    app.connect("html-page-context", _wrap_toctree, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
