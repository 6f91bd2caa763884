"""Rank the site's search results by how much a page is about the query, not alphabetically.

Sphinx's search gives every page that contains a word the same score (5, or 15 for a word of a
title) and breaks ties by title, so a page that names B1g once in a table ranks with the page that is
about it. This extension

* counts, at read time, each indexed word of each page by where it stands: a title (3), prose,
  including inline math (1), or a table, code or displayed math (1/4); a section title that recurs on
  many pages ("Stereogram" heads all 32 atlas pages) counts as a table's word;
* writes, once the site is built, ``_static/search-ranking.js``: for each word on more than one page,
  the pages and their weighted counts, and a prior per page kind (tasks, theory and the site's index
  pages before the atlas's group pages, before the API reference). The search page alone loads it;
* scores results with ``search-scorer.js`` (``html_search_scorer``): BM25 over those counts plus the
  prior, an irrep label also counting its basis functions (B1g: x²−y², from the package's character
  tables) as much as the label itself; API objects first for queries that look like code (``a.b``,
  ``a_b``, ``CamelCase``), after the pages about a word otherwise; a page whose own title holds
  every word of the query gains a bonus (the D4h page for "D4h"); lists each page once (Sphinx lists a page again for each section whose title matches); and
  shows math in the snippets as text (x² − y², B1g) instead of TeX source.

The execution-times pages of sphinx-gallery are left out of the index (``:nosearch:``).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

from docutils import nodes
from search_labels import SearchEnglishLabels, plain_labels
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from symmetry_tasks.symmetry import NAMES, character_table, point_group

SCRIPT = "search-ranking.js"
#: Weight of a word by where it stands.
WEIGHTS = {"title": 3.0, "prose": 1.0, "data": 0.25}
#: A section title found on at least this many pages is a template's heading, weighed as data.
REPEATED_TITLE_PAGES = 5
#: Added to a page's score by its kind (the first pattern its name matches).
PRIORS = (
    (re.compile(r"^(index|auto_examples/.*|theory/.*|point_groups/index|performance)$"), 12.0),
    (re.compile(r"^point_groups/"), 4.0),
    (re.compile(r".*"), 0.0),
)
_DATA = (nodes.literal_block, nodes.math_block, nodes.doctest_block)
_LANGUAGE = SearchEnglishLabels({})


def _not_searched(docname: str) -> bool:
    return docname.rsplit("/", 1)[-1] == "sg_execution_times"


def _blocks(doctree: nodes.document) -> list[tuple[str, str]]:
    """(kind, text) of each outermost text element: ``title``, ``prose`` or ``data``."""
    blocks = []
    for node in doctree.findall(nodes.TextElement):
        if isinstance(node.parent, nodes.TextElement) or isinstance(node, nodes.comment):
            continue
        if any("no-search" in getattr(a, "get", lambda *_: [])("classes", []) for a in _ancestors(node)):
            continue
        if isinstance(node, nodes.title):
            kind = "title"
        elif isinstance(node, _DATA) or any(isinstance(a, nodes.table) for a in _ancestors(node)):
            kind = "data"
        else:
            kind = "prose"
        blocks.append((kind, node.astext()))
    return blocks


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def _words(text: str) -> list[str]:
    """The index's words of ``text``: split as the index splits, stemmed, filtered."""
    words = []
    for word in _LANGUAGE.split(plain_labels(text)):
        stemmed = _LANGUAGE.stem(word).lower()
        if _LANGUAGE.word_filter(stemmed):
            words.append(stemmed)
        elif _LANGUAGE.word_filter(word):
            words.append(word.lower())
    return words


def count_words(app: Sphinx, doctree: nodes.document) -> None:
    """Store the page's words, by kind, in the environment (``env.search_ranking``)."""
    env = app.env
    docname = env.docname
    if _not_searched(docname):
        env.metadata[docname]["nosearch"] = True
        return
    counts: dict[str, Counter] = {kind: Counter() for kind in WEIGHTS}
    titles = []
    for kind, text in _blocks(doctree):
        counts[kind].update(_words(text))
        counts[kind].update(_phrases(text))
        if kind == "title":
            titles.append(text.strip().lower())
    store = env.__dict__.setdefault("search_ranking", {})
    store[docname] = {"counts": {kind: dict(c) for kind, c in counts.items()}, "titles": titles}


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.__dict__.setdefault("search_ranking", {}).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    store = env.__dict__.setdefault("search_ranking", {})
    store.update(
        {name: value for name, value in other.__dict__.get("search_ranking", {}).items() if name in docnames}
    )


def _plain(text: str) -> str:
    """Text as function phrases are matched: labels joined, lower case, ASCII minus, no spaces around
    an operator or after a comma."""
    text = plain_labels(text).lower().replace("\u2212", "-")
    return re.sub(r"\s*([-+,])\s*", r"\1", text)


@functools.cache
def irrep_functions() -> dict[str, list[str]]:
    """Each irrep label (``b1g``) and its basis functions in the 32 groups' character tables, as
    phrases (``~x2-y2``, ``~xy``, ``~rz``): a search for a label also finds the pages about its
    functions, where x² − y² is counted as a whole, not as the common words x2 and y2."""
    functions: dict[str, set[str]] = {}
    for name in NAMES:
        table = character_table(point_group(name))
        for label in table.irreps:
            phrases = {
                "~" + _plain(part).strip().strip("()")
                for text in table.functions[label]
                for part in text.split(",")
                if len(_plain(part).strip().strip("()")) > 1
            }
            functions.setdefault(_words(label)[0], set()).update(phrases)
    return {label: sorted(phrases) for label, phrases in sorted(functions.items()) if phrases}


@functools.cache
def _phrase_pattern() -> re.Pattern:
    phrases = sorted(
        {phrase[1:] for found in irrep_functions().values() for phrase in found}, key=len, reverse=True
    )
    return re.compile(r"(?<![a-z0-9^])(" + "|".join(map(re.escape, phrases)) + r")(?![a-z0-9^])")


def _phrases(text: str) -> list[str]:
    """The basis-function phrases in ``text`` (x² − y² -> ``~x2-y2``)."""
    return ["~" + found for found in _phrase_pattern().findall(_plain(text))]


def ranking(store: dict[str, dict]) -> dict:
    """The data of ``search-ranking.js``: pages, priors, and per word its pages' weighted counts."""
    docs = sorted(store)
    title_pages = Counter(title for name in docs for title in set(store[name]["titles"]))
    repeated = {title for title, pages in title_pages.items() if pages >= REPEATED_TITLE_PAGES}
    terms: dict[str, list[list[float]]] = {}
    for index, name in enumerate(docs):
        counts = store[name]["counts"]
        # Words of a recurring heading count as data, not as a title.
        demoted = Counter(
            word for title in store[name]["titles"] if title in repeated for word in _words(title)
        )
        weighted: Counter = Counter()
        for kind, words in counts.items():
            for word, count in words.items():
                if kind == "title" and demoted[word]:
                    weighted[word] += WEIGHTS["data"] * min(count, demoted[word])
                    count -= min(count, demoted[word])
                weighted[word] += WEIGHTS[kind] * count
        for word, weight in weighted.items():
            if weight > 0:
                terms.setdefault(word, []).append([index, round(weight, 2)])
    lengths = [
        sum(
            WEIGHTS[kind] * count for kind, words in store[name]["counts"].items() for count in words.values()
        )
        for name in docs
    ]
    average = sum(lengths) / max(len(lengths), 1)
    return {
        "docs": docs,
        "priors": [next(prior for pattern, prior in PRIORS if pattern.match(name)) for name in docs],
        # Page length relative to the average (BM25's length normalisation), to two digits.
        "lengths": [round(length / average, 2) if average else 1.0 for length in lengths],
        "terms": {word: pages for word, pages in sorted(terms.items()) if len(pages) > 1},
        "synonyms": irrep_functions(),
        # The words of each page's own title, and the function phrases it names (Task 3: x² − y²).
        "title_words": [
            sorted(set(_words(store[name]["titles"][0]))) if store[name]["titles"] else [] for name in docs
        ],
        "title_phrases": {
            index: sorted(set(_phrases(store[name]["titles"][0])))
            for index, name in enumerate(docs)
            if store[name]["titles"] and _phrases(store[name]["titles"][0])
        },
    }


def write_ranking(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    data = ranking(app.env.__dict__.get("search_ranking", {}))
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    Path(app.outdir, "_static", SCRIPT).write_text(f"var SEARCH_RANKING = {text};\n", encoding="utf-8")


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document) -> None:
    if pagename == "search":
        app.add_js_file(SCRIPT, priority=300)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("doctree-read", count_words)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("html-page-context", add_script)
    app.connect("build-finished", write_ranking)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
