"""Strict-build check: no attribute's doc loses the start of its first line to a "Type" field.

Napoleon reads the first line of an attribute's or a property's doc (a ``#:`` comment or a docstring) as
``type: description`` when it holds a colon outside code and roles: ``#: Cutoff in Å: B-X bonds are
edges`` renders as the description "B-X bonds are edges" with the type "Cutoff in Å". The package
annotates its attributes, so such a line is always prose cut in two; this warns about it (an error
under ``-W``), naming the attribute and what Napoleon would make its type.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.ext.napoleon.docstring import NumpyDocstring
from sphinx.util import logging

logger = logging.getLogger(__name__)
#: What Napoleon parses as one attribute's doc (autodoc's ``what``).
ATTRIBUTES = {"attribute", "data", "property"}


def check_first_line(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Warn if Napoleon would split the first line of the attribute ``name``'s doc into a type and the rest."""
    if what not in ATTRIBUTES or not lines:
        return
    parsed = NumpyDocstring(list(lines), app.config, app, what, name, obj).lines()
    typed = [line.removeprefix(":type:").strip() for line in parsed if line.startswith(":type:")]
    if typed:
        logger.warning(
            "the doc of %s starts %r: Napoleon would show %r as its type; write that line without a colon",
            name,
            lines[0],
            typed[0],
        )


def setup(app: Sphinx) -> dict[str, bool]:
    # before Napoleon's own handler (priority 500) rewrites the lines
    app.connect("autodoc-process-docstring", check_first_line, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
