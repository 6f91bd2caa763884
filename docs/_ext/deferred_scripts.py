"""Keep Sphinx's own scripts from blocking the first paint.

Sphinx puts ``doctools.js``, ``sphinx_highlight.js`` (sphinx-gallery its ``sg-tags.js``, and
sphinx-copybutton ``clipboard.min.js`` and ``copybutton.js``) in every page's head as synchronous scripts: the browser stops parsing until each has arrived and run, and
from a server without HTTP/2 it fetches at most six files of one host at a time. None of them needs to run before
the page is parsed (each waits for the document to be ready), so they load with ``defer`` and keep
their order. ``documentation_options.js`` stays synchronous, as the inline scripts after it use it.
The search page keeps them all as they are: its ``searchtools.js`` needs them first.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

#: Scripts of Sphinx and sphinx-gallery that load with ``defer`` on every page but the search page.
DEFERRED = ("doctools.js", "sphinx_highlight.js", "sg-tags.js", "clipboard.min.js", "copybutton.js")


def defer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename == "search":
        return
    # In place: the list is the builder's, which other handlers' add_js_file calls extend.
    scripts = context.get("script_files", [])
    scripts[:] = [
        _JavaScript(script.filename, priority=script.priority, **{**script.attributes, "defer": "defer"})
        if isinstance(script, _JavaScript) and str(script.filename).endswith(DEFERRED)
        else script
        for script in scripts
    ]


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("html-page-context", defer, priority=900)  # after the handlers that add scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
