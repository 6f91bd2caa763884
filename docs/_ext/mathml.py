r"""Math typeset when the site is built: every formula becomes MathML, and pages load no script for it.

Sphinx's ``:math:`` role, ``.. math::`` directive and the math of the gallery's scripts reach the HTML
writer as ``math`` and ``math_block`` nodes; this extension registers the ``mathml`` renderer
(``html_math_renderer`` in ``conf.py``), which converts their TeX with ``latex2mathml`` (pure Python)
and writes the result into the page. Browsers draw MathML themselves (MathML Core), with the math
font stack of ``_static/math.css``; each formula keeps its TeX in an
``<annotation encoding="application/x-tex">``, for copying and for the search's snippets.

``latex2mathml`` writes a few things that MathML Core, as browsers implement it, does not draw:
``mathvariant`` other than ``normal`` (fraktur, bold, ...) becomes the Unicode mathematical letters,
``columnalign`` a CSS ``text-align``, an escaped delimiter (``\big\|``) its character, the letters
of ``\mathrm{attr}`` one upright ``<mi>``, the minus of ``(-1)`` a prefix operator, and a function name
(``\dim V``) spaced from its argument as in TeX. What cannot be drawn faithfully fails the strict build
with a warning that quotes the formula: a TeX error, a command ``latex2mathml`` does not know (it would
show as ``\foo`` on the page), ``&`` outside a matrix environment, a line break outside one, and
``\cancel``-like ``<menclose>``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from xml.etree.ElementTree import Element, tostring

from docutils import nodes
from latex2mathml.converter import convert_to_element
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

#: The stylesheet of the formulas (fonts, sizes, display math that scrolls inside its own box), in ``_static``.
CSS = "math.css"
#: Escaped delimiters that latex2mathml leaves as TeX in an ``<mo>`` (after ``\big`` and friends).
DELIMITERS = {r"\|": "\u2016", r"\{": "{", r"\}": "}", r"\lvert": "|", r"\rvert": "|", r"\langle": "\u27e8"}
DELIMITERS |= {
    r"\rangle": "\u27e9",
    r"\lVert": "\u2016",
    r"\rVert": "\u2016",
    r"\vert": "|",
    r"\Vert": "\u2016",
}
#: latex2mathml's ``mathvariant`` values, as the names of Unicode's mathematical alphanumeric symbols.
VARIANTS = {
    "bold": "BOLD",
    "italic": "ITALIC",
    "bold-italic": "BOLD ITALIC",
    "double-struck": "DOUBLE-STRUCK",
    "fraktur": "FRAKTUR",
    "bold-fraktur": "BOLD FRAKTUR",
    "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT",
    "sans-serif": "SANS-SERIF",
    "bold-sans-serif": "SANS-SERIF BOLD",
    "monospace": "MONOSPACE",
}
#: Letters that Unicode encodes in the Letterlike Symbols block instead of the mathematical ones.
LETTERLIKE = {
    ("FRAKTUR", "C"): "\u212d",
    ("FRAKTUR", "H"): "\u210c",
    ("FRAKTUR", "I"): "\u2111",
    ("FRAKTUR", "R"): "\u211c",
    ("FRAKTUR", "Z"): "\u2128",
    ("DOUBLE-STRUCK", "C"): "\u2102",
    ("DOUBLE-STRUCK", "H"): "\u210d",
    ("DOUBLE-STRUCK", "N"): "\u2115",
    ("DOUBLE-STRUCK", "P"): "\u2119",
    ("DOUBLE-STRUCK", "Q"): "\u211a",
    ("DOUBLE-STRUCK", "R"): "\u211d",
    ("DOUBLE-STRUCK", "Z"): "\u2124",
    ("SCRIPT", "B"): "\u212c",
    ("SCRIPT", "E"): "\u2130",
    ("SCRIPT", "F"): "\u2131",
    ("SCRIPT", "H"): "\u210b",
    ("SCRIPT", "I"): "\u2110",
    ("SCRIPT", "L"): "\u2112",
    ("SCRIPT", "M"): "\u2133",
    ("SCRIPT", "R"): "\u211b",
    ("SCRIPT", "e"): "\u212f",
    ("SCRIPT", "g"): "\u210a",
    ("SCRIPT", "o"): "\u2134",
    ("ITALIC", "h"): "\u210e",
}
#: Over-script characters of TeX's accents (``\hat``, ``\bar``, ``\vec``, ``\tilde``, ``\dot``, ``\overline``).
ACCENTS = {"^", "\u00af", "\u2192", "~", "\u02dc", "\u02d9", "\u2015", "\u203e", "\u02c6"}
#: TeX's function names (``\\dim``, ``\\sin``, ...), set upright with a thin space before their argument.
FUNCTIONS = {"arg", "cos", "cosh", "cot", "deg", "det", "dim", "exp", "gcd", "inf", "ker", "lim", "ln", "log"}
FUNCTIONS |= {"max", "min", "Pr", "sin", "sinh", "sup", "tan", "tanh", "tr"}
THIN = "0.1667em"
#: Prime, double, triple and quadruple prime.
PRIMES = {"\u2032", "\u2033", "\u2034", "\u2057"}
#: Signs that are unary after an operator or an opening delimiter, and the delimiters that close.
SIGNS = {"\u2212", "+", "\u00b1", "\u2213"}
CLOSING = {")", "]", "}", "|", "\u2016", "\u27e9"}
#: Environments whose rows and ``&`` latex2mathml turns into a table.
_ENVIRONMENT = re.compile(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.DOTALL)


class MathMLError(ValueError):
    """A formula that latex2mathml cannot convert, or converts into something browsers do not draw."""


def _styled(text: str, variant: str) -> str:
    """``text`` in the Unicode mathematical letters of ``variant`` (a ``mathvariant`` value)."""
    style = VARIANTS.get(variant)
    if style is None:
        raise MathMLError(f"mathvariant {variant!r} has no Unicode letters")
    letters = []
    for char in text:
        if not char.isascii() or not char.isalnum():
            letters.append(char)
            continue
        if (style, char) in LETTERLIKE:
            letters.append(LETTERLIKE[(style, char)])
            continue
        kind = "DIGIT " + unicodedata.name(char).split()[-1] if char.isdigit() else None
        if kind is None:
            kind = ("CAPITAL " if char.isupper() else "SMALL ") + char.upper()
        try:
            letters.append(unicodedata.lookup(f"MATHEMATICAL {style} {kind}"))
        except KeyError:
            raise MathMLError(f"no {variant} form of {char!r} in Unicode") from None
    return "".join(letters)


def _clean(element: Element) -> None:
    """Rewrite latex2mathml's tree, in place, into what MathML Core draws (see the module's docstring)."""
    for node in element.iter():
        if node.text:
            node.text = html.unescape(node.text)
        if node.tail:
            node.tail = html.unescape(node.tail)
    for node in list(element.iter()):
        _space_function_names(node)
    for node in list(element.iter()):
        text = node.text or ""
        if node.tag == "mo" and text in DELIMITERS:
            node.text = DELIMITERS[text]
        elif "\\" in text:
            raise MathMLError(f"unknown command {text!r}")
        if node.tag == "mi" and text == "&":
            raise MathMLError("'&' outside a matrix environment")
        if node.tag == "mspace" and "linebreak" in node.attrib:
            raise MathMLError(r"a line break '\\' outside a matrix environment")
        if node.tag == "menclose":
            raise MathMLError(
                f"<menclose notation={node.get('notation')!r}> (e.g. \\cancel), which browsers do not draw"
            )
        variant = node.attrib.get("mathvariant")
        if variant is not None and variant != "normal":
            node.text = _styled(text, variant)
            del node.attrib["mathvariant"]
        if "columnalign" in node.attrib:
            node.set("style", f"text-align: {node.attrib.pop('columnalign')}")
        if node.tag == "mover" and len(node) == 2 and node[1].tag == "mo" and node[1].text in ACCENTS:
            node.set("accent", "true")
        _mark_unary_signs(node)
        _join_primes(node)
        if node.tag == "mo" and node.text == "/":  # an ordinary symbol in TeX: no space around it
            node.set("lspace", "0")
            node.set("rspace", "0")
        # \mathrm{attr}: one upright identifier, not four (read as one word by screen readers too)
        if node.tag == "mrow" and len(node) > 1 and all(_upright_letter(child) for child in node):
            word = "".join(child.text for child in node)
            node.clear()
            node.tag = "mi"
            node.text = word


def _function_name(node: Element) -> Element | None:
    """The ``<mi>`` or ``<mo>`` of the function name (``\\dim``, ``\\max``) that ``node`` is, or bears scripts on."""
    if node.tag in {"msub", "msup", "msubsup", "munder", "mover", "munderover"} and len(node):
        node = node[0]
    if node.tag in {"mi", "mo"} and node.text in FUNCTIONS and "mathvariant" not in node.attrib:
        return node
    return None


def _space_function_names(node: Element) -> None:
    """A thin space after a function name followed by its argument, as TeX sets ``\\dim V``, ``\\cos\\theta``.

    None before an operator or a delimiter (``\\sin(x)``). latex2mathml writes some names as ``<mi>``,
    which MathML spaces as a letter, and others as ``<mo>``, which it spaces as an unknown operator
    (thick on both sides): both get TeX's spacing.
    """
    children = list(node)
    for index, child in enumerate(children):
        name = _function_name(child)
        if name is None:
            continue
        following = children[index + 1] if index + 1 < len(children) else None
        argument = following is not None and following.tag not in {"mo", "mspace"}
        if name.tag == "mo":
            name.set("lspace", "0")
            name.set("rspace", THIN if argument else "0")
        elif argument:
            node.insert(list(node).index(child) + 1, Element("mspace", width=THIN))


def _join_primes(node: Element) -> None:
    """``C_2''``: latex2mathml puts the second prime on a script of its own, above the first; one
    superscript holds both, as in TeX."""
    if node.tag != "msup" or len(node) != 2 or node[0].tag not in {"msup", "msubsup"}:
        return
    base, prime = node[0], node[1]
    if not (_primes(prime) and _primes(base[-1])):
        return
    base[-1].text = base[-1].text + prime.text
    node.tag, node.attrib = base.tag, dict(base.attrib)
    node[:] = list(base)


def _primes(node: Element) -> bool:
    return node.tag == "mi" and len(node) == 0 and bool(node.text) and set(node.text) <= PRIMES


def _mark_unary_signs(node: Element) -> None:
    """A sign after an opening delimiter, a relation or a comma is unary, as TeX sets it: ``(-1)^l``.

    MathML Core infers an operator's form from its place in its row only, and would space the minus
    of ``(-1)`` as a binary one.
    """
    previous = None
    for child in node:
        after_operator = previous is not None and previous.tag == "mo" and previous.text not in CLOSING
        if child.tag == "mo" and child.text in SIGNS and after_operator:
            child.set("form", "prefix")
        previous = child


def _upright_letter(node: Element) -> bool:
    return node.tag == "mi" and node.get("mathvariant") == "normal" and len(node) == 0 and bool(node.text)


def _display_source(latex: str) -> str:
    """The TeX of a display block as one formula: Sphinx's blank-line-separated equations on rows."""
    parts = [part.strip() for part in latex.split("\n\n") if part.strip()]
    source = r" \\ ".join(parts)
    if r"\\" in _ENVIRONMENT.sub("", source):
        source = r"\begin{matrix}" + source + r"\end{matrix}"
    return source


def to_mathml(latex: str, display: bool = False) -> str:
    r"""The MathML of the TeX formula ``latex``, with the TeX as its annotation.

    Raises
    ------
    MathMLError
        When latex2mathml cannot convert it or converts it into something browsers do not draw.

    Examples
    --------
    >>> to_mathml(r"\hat u")
    '<math><semantics><mrow><mover accent="true"><mi>u</mi><mo>^</mo></mover></mrow><annotation encoding="application/x-tex">\\hat u</annotation></semantics></math>'
    """
    source = _display_source(latex) if display else latex.strip()
    try:
        math = convert_to_element(source, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises bare exceptions of its own for TeX errors
        raise MathMLError(f"{type(error).__name__} {error}".strip()) from None
    _clean(math)
    row = math[0]
    markup = tostring(row, encoding="unicode", short_empty_elements=False)
    annotation = (
        f'<annotation encoding="application/x-tex">{html.escape(latex.strip(), quote=False)}</annotation>'
    )
    opening = '<math display="block">' if display else "<math>"
    return f"{opening}<semantics>{markup}{annotation}</semantics></math>"


def _convert(translator: HTML5Translator, node: nodes.Element, display: bool) -> str | None:
    """The node's MathML, or ``None`` after a warning at the node (which fails the strict build)."""
    try:
        return to_mathml(node.astext(), display=display)
    except MathMLError as error:
        logger.warning("cannot typeset %r as MathML: %s", node.astext(), error, location=node, type="mathml")
        return None


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    """Inline math: ``<span class="math">`` holding the formula's ``<math>``."""
    markup = _convert(self, node, display=False)
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(self.encode(node.astext()) if markup is None else markup)
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    """Display math: ``<div class="math">`` with the equation number (if any) and a block ``<math>``.

    The ``div`` scrolls sideways when the formula is wider than the column (``math.css``).
    """
    markup = _convert(self, node, display=True)
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(f"<pre>{self.encode(node.astext())}</pre>" if markup is None else markup)
    self.body.append("</div>\n")
    raise nodes.SkipNode


def add_stylesheet(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The math stylesheet, on the pages that hold math only."""
    if context.get("has_maths_elements"):
        app.builder.add_css_file(CSS, priority=600)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.connect("html-page-context", add_stylesheet)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
