"""Every line a gallery page prints fits the column it is shown in, or the build fails.

The code of a gallery script is kept to the column's width by ruff (``gallery/ruff.toml``, checked by
``tests/test_gallery.py``); what the code prints is only known once it has run. sphinx-gallery shows
the output as a literal block of class ``sphx-glr-script-out``. A line of it longer than the column
(the same ``line-length``: about 70 monospace characters fit at 1280 px) would scroll sideways, so it
is a Sphinx warning, and the strict build (``-W``) fails on the page that printed it.
"""

from __future__ import annotations

from pathlib import Path

import tomllib
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
RUFF = Path(__file__).resolve().parents[2] / "gallery" / "ruff.toml"
COLUMN: int = tomllib.loads(RUFF.read_text())["line-length"]


def _is_output(node: nodes.Element) -> bool:
    """sphinx-gallery's ``rst-class`` marks the output block, or the block quote around it."""
    while isinstance(node, nodes.Element):
        if "sphx-glr-script-out" in node["classes"]:
            return True
        node = node.parent
    return False


def long_output_lines(doctree: nodes.document) -> list[tuple[nodes.literal_block, str]]:
    """The printed lines, with their blocks, wider than :data:`COLUMN` characters."""
    return [
        (block, line)
        for block in doctree.findall(nodes.literal_block)
        if _is_output(block)
        for line in block.astext().splitlines()
        if len(line) > COLUMN
    ]


def _check(app: Sphinx, doctree: nodes.document) -> None:
    for block, line in long_output_lines(doctree):
        logger.warning(
            "printed line of %d characters, over the column's %d: %r",
            len(line),
            COLUMN,
            line,
            location=block,
            type="gallery",
            subtype="output_width",
        )


def setup(app: Sphinx) -> dict[str, bool]:
    app.connect("doctree-read", _check)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
