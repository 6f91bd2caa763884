"""Directives that compute the theory pages' tables at build time from :mod:`symmetry_tasks`.

``.. character-table:: D4h`` (or ``D4h D2h:2`` for a subgroup), ``.. correlation-table:: D4h D2h``, ``.. harmonics-by-irrep:: D4h``,
``.. subgroup-table:: D4h``, ``.. order-parameter-table:: D4h D2h`` (options ``:lmax:``, ``:no-parity:``, ``:natural-parity:``)
and ``.. sh-coefficients:: x^2 - y^2``. A group is a Schoenflies or Hermann–Mauguin name; a subgroup is a
name, or ``NAME:INDEX`` for the INDEX-th class of that name in :func:`symmetry_tasks.symmetry.subgroups`
(``D2h:2``, the rhombus's D2h in D4h).

Labels are typeset with real subscripts (A₁g as A<sub>1g</sub>), sigma as σ, primes as ′, minus signs as −.
:func:`table_node` is the one renderer of every table: a table sized to its content, in a scroll box
that keyboards can reach (``tabindex="0"``), announced as a region with a label; other extensions (the
point-group atlas) use it and the cell helpers too.
"""

from __future__ import annotations

import re
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from e3nn import o3
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from symmetry_tasks.polynomials import component_names, polynomial_to_sh
from symmetry_tasks.symmetry import (
    character_table,
    correlation,
    decompose,
    order_parameters,
    point_group,
    subgroups,
)
from symmetry_tasks.symmetry.characters import format_character
from symmetry_tasks.symmetry.subgroups import as_subgroup

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

Cell = list[nodes.Node]


class scroll_region(nodes.General, nodes.Element):  # docutils names its nodes in lower case
    """A box that scrolls sideways; in HTML a ``div`` with ``tabindex``, ``role`` and ``aria-label``."""


def _visit_scroll_region(self, node: scroll_region) -> None:
    attributes = {"tabindex": "0", "role": "region", "aria-label": node["label"]}
    self.body.append(self.starttag(node, "div", CLASS="theory-table-scroll", **attributes))


def _depart_scroll_region(self, node: scroll_region) -> None:
    self.body.append("</div>\n")


def _skip(self, node: nodes.Node) -> None:
    """Other builders render the table inside, with no box."""


def label_cell(text: str) -> Cell:
    """A Mulliken label such as ``A1g``, ``1E``, ``E''`` with its subscripts; a pair ``1E+2E`` as is.

    The 1 and 2 that number the two complex irreps of a pair are set as superscripts before the letter
    (¹E, ²E), as the tables print them: ``Ag + 1Eg + 2Eg`` would read as counts.
    """
    match = re.fullmatch(r"([12]?)([ABETG])(\d*)([gu]?)('{0,2})", text)
    if match is None:
        return [nodes.Text(text)]
    prefix, letter, number, parity, primes = match.groups()
    out: Cell = [nodes.superscript(text=prefix), nodes.Text(letter)] if prefix else [nodes.Text(letter)]
    if number or parity:
        out.append(nodes.subscript(text=number + parity))
    if primes:
        out.append(nodes.Text("′" * len(primes)))
    return out


def class_cell(text: str) -> Cell:
    """A class name such as ``2C4``, ``C4^3``, ``2C2'``, ``2sigma_v``, ``sigma(xy)``, ``C2(z)``."""
    match = re.fullmatch(r"(\d*)(C|S|sigma|E|i)(\d*)(?:_([hvd]))?(?:\^(\d+))?('{0,2})(\([\w']+\))?", text)
    if match is None:
        return [nodes.Text(text)]
    count, symbol, order, kind, power, primes, where = match.groups()
    out: Cell = [nodes.Text(count + ("σ" if symbol == "sigma" else symbol))]
    if order or kind:
        out.append(nodes.subscript(text=order + (kind or "")))
    if power:
        out.append(nodes.Text(power.translate(_SUPERSCRIPT)))
    if primes:
        out.append(nodes.Text("′" * len(primes)))
    if where:
        out.append(nodes.Text(where))
    return out


def group_cell(name: str) -> Cell:
    """A Schoenflies name such as ``D4h`` as D with the subscript 4h."""
    return [nodes.Text(name[0]), nodes.subscript(text=name[1:])] if len(name) > 1 else [nodes.Text(name)]


def overbar(symbol: str) -> str:
    """A Hermann–Mauguin symbol as crystallographers print it: ``m-3m`` -> m3̄m (a combining overline
    on the digit, U+0305), for HTML only; the package's names keep the ASCII minus."""
    return re.sub(r"-(\d)", "\\1\u0305", symbol)


def hm_cell(symbol: str) -> Cell:
    """A Hermann–Mauguin symbol with its overbars (:func:`overbar`)."""
    return [nodes.Text(overbar(symbol))]


def text_cell(value: str) -> Cell:
    """Plain text, with typographic minus signs and superscript powers."""
    for power, sup in (("^2", "²"), ("^3", "³"), ("^4", "⁴"), ("^5", "⁵"), ("^6", "⁶")):
        value = value.replace(power, sup)
    return [nodes.Text(value.replace("-", "−"))]


def number_cell(value: complex) -> Cell:
    """A character or a coefficient: ``1``, ``−1``, ``i``, ``−0.5+0.866i``."""
    return text_cell(format_character(complex(value), digits=4))


def table_node(header: list[Cell], rows: list[list[Cell]], label: str, classes: list[str]) -> scroll_region:
    """A table sized to its content, with a header row, in a scroll region named ``label`` for screen readers.

    Every header cell must hold text (the corner cell names the group or the column).
    """
    if any(not cell for cell in header):
        raise ValueError(f"table {label!r}: every header cell needs text")
    table = nodes.table(classes=["theory-table", "colwidths-auto", *classes])
    group = nodes.tgroup(cols=len(header))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in header]

    def row(cells: list[Cell]) -> nodes.row:
        line = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph += cell
            entry += paragraph
            line += entry
        return line

    head, body = nodes.thead(), nodes.tbody()
    head += row(header)
    body += [row(cells) for cells in rows]
    group += [head, body]
    region = scroll_region(label=label)
    region += table
    return region


class CharacterTableDirective(SphinxDirective):
    """``.. character-table:: D4h``: classes, characters, basis functions and reality of a point group.

    ``.. character-table:: D4h D2h:2``: the table of a subgroup, with functions in the group's frame.
    """

    required_arguments = 1
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        group = point_group(self.arguments[0])
        if len(self.arguments) > 1:
            group = as_subgroup(group, self.arguments[1])
        table = character_table(group)
        reality = table.reality
        # The functions next to the labels, where a phone shows them with the pinned label column and
        # a desktop never hides them under the fade of a table wider than the page.
        header = [group_cell(group.name), text_cell("functions"), *(class_cell(c) for c in table.classes)]
        header += [text_cell("reality")]
        rows = []
        for k, label in enumerate(table.irreps):
            cells = [label_cell(label), text_cell(", ".join(table.functions[label]))]
            cells += [*(number_cell(v) for v in table.characters[k]), text_cell(str(reality[label]))]
            rows.append(cells)
        caption = nodes.paragraph(classes=["theory-table-caption"])
        caption += group_cell(group.name)
        caption += nodes.Text(
            f" ({overbar(group.hermann_mauguin)}): order {group.order}, {len(table.classes)} classes of sizes "
            f"{', '.join(map(str, table.class_sizes))}. Reality: 1 for a real irrep, 0 for one of a complex pair."
        )
        label = f"Character table of {' in '.join(reversed(self.arguments))}"
        return [table_node(header, rows, label, ["character-table"]), caption]


class CorrelationTableDirective(SphinxDirective):
    """``.. correlation-table:: D4h D2h``: how each irrep of the group restricts to the subgroup."""

    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        big = point_group(self.arguments[0])
        small = as_subgroup(big, self.arguments[1])
        rows = []
        for label, parts in correlation(big, small).items():
            restriction: Cell = []
            for k, (sub, m) in enumerate(parts.items()):
                if k:
                    restriction.append(nodes.Text(" + "))
                restriction += ([nodes.Text(f"{m} ")] if m > 1 else []) + label_cell(sub)
            rows.append([label_cell(label), restriction])
        header = [group_cell(big.name), group_cell(small.name)]
        label = f"Correlation table from {big.name} to {self.arguments[1]}"
        return [table_node(header, rows, label, ["correlation-table"])]


class HarmonicsByIrrepDirective(SphinxDirective):
    """``.. harmonics-by-irrep:: D4h``: multiplicity of each irrep in the harmonics of degree l <= lmax."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {"lmax": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        group = point_group(self.arguments[0])
        labels = character_table(group).irreps
        header = [text_cell("l (e3nn irrep)"), *(label_cell(label) for label in labels)]
        rows = []
        for l in range(self.options.get("lmax", 5) + 1):
            ir = o3.Irrep(l, (-1) ** l)
            counts = decompose(group, ir)
            rows.append(
                [text_cell(f"{l} ({ir})"), *(text_cell(str(counts.get(label, "·"))) for label in labels)]
            )
        return [table_node(header, rows, f"Irreps of {group.name} in the harmonics", ["harmonics-table"])]


class SubgroupTableDirective(SphinxDirective):
    """``.. subgroup-table:: D4h``: the subgroups up to conjugacy (option ``:names:`` to keep some)."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {"names": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        group = point_group(self.arguments[0])
        wanted = self.options.get("names", "").split()
        rows = [
            [
                [*group_cell(c.name), nodes.Text(f":{c.index}")],
                text_cell(str(c.order)),
                text_cell(str(c.count)),
                text_cell("yes" if c.maximal else ""),
                text_cell(c.axes),
            ]
            for c in subgroups(group)
            if not wanted or c.name in wanted
        ]
        header = [text_cell("subgroup"), text_cell("order"), text_cell("conjugates"), text_cell("maximal")]
        header.append(text_cell("principal axis z, secondary x"))
        return [table_node(header, rows, f"Subgroups of {group.name}", ["subgroup-table"])]


class OrderParameterTableDirective(SphinxDirective):
    """``.. order-parameter-table:: D4h D2h``: every harmonic up to lmax that breaks G down to H.

    A sentence instead of the table if there is none.
    """

    required_arguments = 2
    option_spec: ClassVar[dict[str, object]] = {
        "lmax": directives.nonnegative_int,
        "no-parity": directives.flag,
        "natural-parity": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        big = point_group(self.arguments[0])
        small = as_subgroup(big, self.arguments[1])
        parity_free = "no-parity" in self.options
        lmax = self.options.get("lmax", 2)
        natural = "natural-parity" in self.options
        found = order_parameters(big, small, lmax, parity=not parity_free, natural_parity=natural)
        if not found:
            return [
                nodes.paragraph(
                    text=f"No harmonic of degree l ≤ {lmax} breaks {big.name} down to {small.name}."
                )
            ]
        rows = [
            [
                text_cell(str(p.irrep)),
                label_cell(p.label),
                text_cell(p.polynomial),
                text_cell(", ".join(format_character(complex(v), digits=4) for v in p.vector.tolist())),
            ]
            for p in found
        ]
        labelled = big.rotations() if parity_free else big  # the group whose irreps label the rows
        header = [
            text_cell("e3nn irrep"),
            [nodes.Text("irrep of "), *group_cell(labelled.name)],
            text_cell("polynomial"),
            text_cell("vector"),
        ]
        label = f"Order parameters from {labelled.name} to {self.arguments[1]}"
        return [table_node(header, rows, label, ["order-parameter-table"])]


class ShCoefficientsDirective(SphinxDirective):
    """``.. sh-coefficients:: x^2 - y^2``: a polynomial's coefficients on e3nn's l = 2 components."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        coefficients = polynomial_to_sh(self.arguments[0], lmax=2)[4:9]
        unit = coefficients / coefficients.norm()
        names = component_names(2)[4:9]
        rows = [
            [text_cell(str(m)), text_cell(name), number_cell(c)]
            for m, (name, c) in enumerate(zip(names, unit.tolist(), strict=True))
        ]
        header = [
            text_cell("index in the l = 2 block"),
            text_cell("e3nn component (up to a constant)"),
            text_cell("coefficient"),
        ]
        return [table_node(header, rows, f"e3nn coefficients of {self.arguments[0]}", ["sh-table"])]


def setup(app: Sphinx) -> dict[str, object]:
    skip = (_skip, _skip)
    app.add_node(
        scroll_region,
        html=(_visit_scroll_region, _depart_scroll_region),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_directive("character-table", CharacterTableDirective)
    app.add_directive("correlation-table", CorrelationTableDirective)
    app.add_directive("harmonics-by-irrep", HarmonicsByIrrepDirective)
    app.add_directive("subgroup-table", SubgroupTableDirective)
    app.add_directive("order-parameter-table", OrderParameterTableDirective)
    app.add_directive("sh-coefficients", ShCoefficientsDirective)
    app.add_css_file("theory.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
