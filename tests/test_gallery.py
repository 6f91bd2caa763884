"""The gallery scripts as a reader sees them: code that fits the column, plain-text card tooltips.

The claims on each page are checked by the page itself (``assert`` next to each claim); the docs build
executes every page and fails if one raises. These tests check the form of the scripts.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest
import tomllib

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
SCRIPTS = sorted(GALLERY.glob("[0-9]*.py"))
COLUMN = tomllib.loads((GALLERY / "ruff.toml").read_text())["line-length"]
# Markup that the gallery's card tooltips would show raw: roles, math, literals, backslashes.
MARKUP = re.compile(r"`|:\w+:|\\|\*\*|\$")


def code_lines(source: str) -> list[tuple[int, str]]:
    """Lines shown as code: after the module docstring, outside the ``# %%`` text blocks."""
    docstring_end = ast.parse(source).body[0].end_lineno
    lines, in_text = [], False
    for number, line in enumerate(source.splitlines(), start=1):
        if number <= docstring_end:
            continue
        if line.startswith("# %%"):
            in_text = True
            continue
        if in_text and line.startswith("#"):
            continue
        in_text = False
        lines.append((number, line))
    return lines


def test_there_are_the_eleven_pages():
    assert len(SCRIPTS) == 11, [script.name for script in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_code_fits_the_column(script: Path):
    long = [f"{number}: {line}" for number, line in code_lines(script.read_text()) if len(line) > COLUMN]
    assert not long, f"{script.name} has code lines over {COLUMN} characters:\n" + "\n".join(long)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_the_card_tooltip_is_plain_text(script: Path):
    """sphinx-gallery shows the first paragraph after the title as the card's tooltip, markup and all."""
    docstring = ast.get_docstring(ast.parse(script.read_text()), clean=True)
    paragraphs = [p for p in re.split(r"\n\s*\n", docstring) if p.strip()]
    title, intro = paragraphs[0], paragraphs[1]
    assert re.fullmatch(r"[^\n]+\n=+", title.strip()), title
    assert not MARKUP.search(intro), f"{script.name}: the first paragraph has markup:\n{intro}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_every_observation_follows_a_check(script: Path):
    """Each "We observe" paragraph comes after a code block that asserts something."""
    source = script.read_text()
    blocks = re.split(r"^# %%\n", source, flags=re.MULTILINE)
    for previous, block in itertools.pairwise(blocks):
        if block.startswith("# We observe"):
            assert "assert " in previous, f"{script.name}: no check before:\n{block[:200]}"
