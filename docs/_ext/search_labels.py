"""Let the site's search find irrep and group labels however they are typed: B1g, D4h, x^2-y^2.

Sphinx's search index splits text into words at every character that is not a letter or a digit. A
label written in TeX, ``B_{1g}``, becomes the words "b" and "1g"; one written with a subscript,
B\\ :sub:`1g`, is two text nodes, "B" and "1g"; and a query such as ``x^2-y^2`` is split into "x" and
"y" (digits alone are dropped). This extension joins a letter to its sub- or superscript on both
sides, the same way:

* the index: the English search language, extended, also indexes each word of the text with
  ``_``/``^`` and braces removed and Unicode sub/superscript digits made plain (``B_{1g}`` -> b1g,
  ``x^2 - y^2`` and x²−y² -> x2, y2), and every subscript or superscript node adds the word it
  forms with the letters before it (B + 1g -> B1g) as a keyword of its page;
* Hermann-Mauguin symbols: an overbar (a combining macron or overline, ``m3̄m``) is dropped and so is
  a minus between a letter or digit and a digit (``m-3m``, ``m−3m``), so that m3̄m, m-3m and m3m are
  all the one word m3m;
* the query: the same rules, in JavaScript, run before the query is split into words.
"""

from __future__ import annotations

import json
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish

# Unicode superscript and subscript digits, and their plain digits.
_SCRIPTS, _DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉", "01234567890123456789"
_SCRIPT_DIGITS = str.maketrans(_SCRIPTS, _DIGITS)
# A letter or digit, then _ or ^, then one letter/digit (not followed by another) or {letters/digits}.
# The pattern means the same in Python and in JavaScript.
_SCRIPT = re.compile(r"([A-Za-z0-9])\s*[_^]\s*(?:\{\s*([A-Za-z0-9]+)\s*\}|([A-Za-z0-9])(?![A-Za-z0-9]))")
# A Hermann-Mauguin overbar (combining macron or overline), and a minus written for one before a digit.
_OVERBAR = re.compile(r"[\u0304\u0305]")
_BAR_MINUS = re.compile(r"([A-Za-z0-9])[-\u2212](?=[0-9])")
# The same rules for the query: language_data.js defines splitQuery with this code.
_JS_SPLITTER = f"""
const PLAIN_DIGITS = {json.dumps(dict(zip(_SCRIPTS, _DIGITS, strict=True)), ensure_ascii=False)};
const SCRIPT = new RegExp({json.dumps(_SCRIPT.pattern)}, "g");
const OVERBAR = new RegExp({json.dumps(_OVERBAR.pattern)}, "g");
const BAR_MINUS = new RegExp({json.dumps(_BAR_MINUS.pattern)}, "g");
var splitQuery = (query) => {{
  let text = Array.from(query, (c) => PLAIN_DIGITS[c] || c).join("");
  text = text.replace(OVERBAR, "").replace(BAR_MINUS, "$1");
  for (let joined; (joined = text.replace(SCRIPT, (m, base, braced, one) => base + (braced || one))) !== text; )
    text = joined;
  return text.split(/[^\\p{{Letter}}\\p{{Number}}_\\p{{Emoji_Presentation}}]+/gu).filter((term) => term);
}};
"""


def plain_labels(text: str) -> str:
    """``text`` with sub/superscripts joined to what they follow and Hermann-Mauguin bars dropped.

    Examples
    --------
    >>> plain_labels("B_{1g}, x² − y², m3̄m, m-3m")
    'B1g, x2 − y2, m3m, m3m'
    """
    text = _BAR_MINUS.sub(r"\1", _OVERBAR.sub("", text.translate(_SCRIPT_DIGITS)))
    while (joined := _SCRIPT.sub(lambda m: m[1] + (m[2] or m[3]), text)) != text:
        text = joined
    return text


class SearchEnglishLabels(SearchEnglish):
    """English search that also indexes the plain spelling of labels (see :func:`plain_labels`)."""

    js_splitter_code = _JS_SPLITTER

    def split(self, input: str) -> list[str]:
        words = super().split(input)
        plain = plain_labels(input)
        if plain == input:
            return words
        known = set(words)
        return words + [word for word in super().split(plain) if word not in known]


def _script_keywords(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Index the word each subscript/superscript node forms with the letters before it (B + 1g)."""
    keywords = []
    for script in doctree.findall(lambda node: isinstance(node, (nodes.subscript, nodes.superscript))):
        before = script.previous_sibling()
        stem = re.search(r"[A-Za-z0-9]+$", before.astext()) if isinstance(before, nodes.Text) else None
        if stem:
            keywords.append(plain_labels(stem[0] + script.astext()))
    if keywords:
        doctree += nodes.meta(name="keywords", content=", ".join(sorted(set(keywords))))


def setup(app: Sphinx) -> dict[str, object]:
    app.add_search_language(SearchEnglishLabels)
    app.connect("doctree-resolved", _script_keywords)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
