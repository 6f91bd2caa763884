"""Directives that compute the theory pages' tables at build time from :mod:`symmetry_tasks`.

``.. character-table:: D4h``, ``.. correlation-table:: D4h D2h``, ``.. harmonics-by-irrep:: D4h``,
``.. order-parameter-table:: D4h D2h`` (options ``:lmax:``, ``:rotate-subgroup:`` in degrees about z,
``:no-parity:``) and ``.. sh-coefficients:: x^2 - y^2``. Labels are typeset with real subscripts
(A₁g as A<sub>1g</sub>), sigma as σ, primes as ′, minus signs as −.
"""

from __future__ import annotations

import math
import re
from typing import ClassVar

import torch
from docutils import nodes
from docutils.parsers.rst import directives
from e3nn import o3
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from symmetry_tasks.signals import component_names, polynomial_to_sh
from symmetry_tasks.symmetry.breaking import order_parameters
from symmetry_tasks.symmetry.characters import correlation, decompose
from symmetry_tasks.symmetry.point_groups import PointGroup, point_group

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _label(text: str) -> list[nodes.Node]:
    """A Mulliken label such as ``A1g``, ``1E``, ``E''`` with its subscripts."""
    match = re.fullmatch(r"([12]?)([ABETG])(\d*)([gu]?)('{0,2})", text)
    if match is None:
        return [nodes.Text(text)]
    prefix, letter, number, parity, primes = match.groups()
    out: list[nodes.Node] = [nodes.Text(f"{prefix}{letter}")]
    if number or parity:
        out.append(nodes.subscript(text=number + parity))
    if primes:
        out.append(nodes.Text("′" * len(primes)))
    return out


def _class(text: str) -> list[nodes.Node]:
    """A class name such as ``2C4``, ``C4^3``, ``2C2'``, ``2sigma_v``, ``sigma(xy)``, ``C2(z)``."""
    match = re.fullmatch(r"(\d*)(C|S|sigma|E|i)(\d*)(?:_([hvd]))?(?:\^(\d+))?('{0,2})(\([\w']+\))?", text)
    if match is None:
        return [nodes.Text(text)]
    count, symbol, order, kind, power, primes, where = match.groups()
    out: list[nodes.Node] = [nodes.Text(count + ("σ" if symbol == "sigma" else symbol))]
    if order or kind:
        out.append(nodes.subscript(text=order + (kind or "")))
    if power:
        out.append(nodes.Text(power.translate(_SUPERSCRIPT)))
    if primes:
        out.append(nodes.Text("′" * len(primes)))
    if where:
        out.append(nodes.Text(where.replace("'", "′")))
    return out


def _number(value: complex) -> str:
    real, imag = round(value.real, 6) + 0.0, round(value.imag, 6) + 0.0
    if imag == 0:
        text = f"{real:g}" if real != int(real) else f"{int(real)}"
    elif real == 0:
        text = {1.0: "i", -1.0: "-i"}.get(imag, f"{imag:g}i")
    else:
        text = f"{real:g}{imag:+g}i"
    return text.replace("-", "−")


def _functions(items: list[str]) -> str:
    return ", ".join(items).replace("^2", "²").replace("-", "−")


def _group_name(name: str) -> list[nodes.Node]:
    """A Schoenflies name such as ``D4h`` as D with the subscript 4h."""
    return [nodes.Text(name[0]), nodes.subscript(text=name[1:])] if len(name) > 1 else [nodes.Text(name)]


def _table(
    header: list[list[nodes.Node]], rows: list[list[list[nodes.Node]]], classes: list[str]
) -> nodes.container:
    """A table sized to its content, in a box that scrolls sideways when the page is too narrow."""
    table = nodes.table(classes=["theory-table", "colwidths-auto", *classes])
    group = nodes.tgroup(cols=len(header))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in header]

    def row(cells: list[list[nodes.Node]]) -> nodes.row:
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
    return nodes.container("", table, classes=["theory-table-scroll"])


def _text(value: str) -> list[nodes.Node]:
    return [nodes.Text(value)]


def _subgroup(name: str, degrees: float) -> PointGroup:
    group = point_group(name)
    if degrees:
        angle = math.radians(degrees)
        frame = torch.tensor(
            [[math.cos(angle), -math.sin(angle), 0], [math.sin(angle), math.cos(angle), 0], [0, 0, 1]],
            dtype=torch.float64,
        )
        group = group.transformed(frame)
    return group


class CharacterTableDirective(SphinxDirective):
    """``.. character-table:: D4h``: classes, characters and basis functions of a point group."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        table = point_group(self.arguments[0]).character_table()
        header = [_text("")]
        header += [_class(c) for c in table.classes]
        header.append(_text("functions"))
        rows = []
        for k, label in enumerate(table.irreps):
            cells = [_label(label)]
            cells += [_text(_number(complex(v))) for v in table.characters[k]]
            cells.append(_text(_functions(table.functions[label])))
            rows.append(cells)
        caption = nodes.paragraph(classes=["theory-table-caption"])
        caption += _group_name(self.arguments[0])
        caption += nodes.Text(
            f": order {table.group.order}, {len(table.classes)} classes of sizes "
            f"{', '.join(map(str, table.class_sizes))}."
        )
        return [_table(header, rows, ["character-table"]), caption]


class CorrelationTableDirective(SphinxDirective):
    """``.. correlation-table:: D4h D2h``: how each irrep of the group restricts to the subgroup."""

    required_arguments = 2
    option_spec: ClassVar[dict[str, object]] = {"rotate-subgroup": float}

    def run(self) -> list[nodes.Node]:
        big = point_group(self.arguments[0])
        small = _subgroup(self.arguments[1], self.options.get("rotate-subgroup", 0.0))
        rows = []
        for label, parts in correlation(big, small).items():
            restriction: list[nodes.Node] = []
            for k, (sub, m) in enumerate(parts.items()):
                if k:
                    restriction.append(nodes.Text(" + "))
                restriction += ([nodes.Text(f"{m} ")] if m > 1 else []) + _label(sub)
            rows.append([_label(label), restriction])
        header = [_group_name(self.arguments[0]), _group_name(self.arguments[1])]
        return [_table(header, rows, ["correlation-table"])]


class HarmonicsByIrrepDirective(SphinxDirective):
    """``.. harmonics-by-irrep:: D4h``: multiplicity of each irrep in the harmonics of degree l <= lmax."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {"lmax": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        group = point_group(self.arguments[0])
        labels = group.character_table().irreps
        header = [_text("l (e3nn irrep)"), *(_label(label) for label in labels)]
        rows = []
        for l in range(self.options.get("lmax", 5) + 1):
            ir = o3.Irrep(l, (-1) ** l)
            counts = decompose(group, ir)
            rows.append([_text(f"{l} ({ir})"), *(_text(str(counts.get(label, "·"))) for label in labels)])
        return [_table(header, rows, ["harmonics-table"])]


class OrderParameterTableDirective(SphinxDirective):
    """``.. order-parameter-table:: D4h D2h``: every harmonic up to lmax that breaks G down to H."""

    required_arguments = 2
    option_spec: ClassVar[dict[str, object]] = {
        "lmax": directives.nonnegative_int,
        "rotate-subgroup": float,
        "no-parity": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        big = point_group(self.arguments[0])
        small = _subgroup(self.arguments[1], self.options.get("rotate-subgroup", 0.0))
        parity_free = "no-parity" in self.options
        found = order_parameters(big, small, self.options.get("lmax", 2), parity=not parity_free)
        rows = [
            [
                _text(str(p.irrep)),
                _label(p.label) if "+" not in p.label else _text(p.label),
                _text(
                    p.polynomial.replace("^2", "²").replace("^3", "³").replace("^4", "⁴").replace("-", "−")
                ),
                _text(", ".join(_number(complex(v)) for v in p.vector.round(decimals=4).tolist())),
            ]
            for p in found
        ]
        header = [
            _text("e3nn irrep"),
            [nodes.Text("irrep of "), *_group_name(big.rotations().name if parity_free else big.name)],
            _text("polynomial"),
            _text("vector"),
        ]
        return [_table(header, rows, ["order-parameter-table"])]


class ShCoefficientsDirective(SphinxDirective):
    """``.. sh-coefficients:: x^2 - y^2``: a polynomial's coefficients on e3nn's l = 2 components."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        coefficients = polynomial_to_sh(self.arguments[0], lmax=2)[4:9]
        unit = coefficients / coefficients.norm()
        names = component_names(2)[4:9]
        rows = [
            [_text(str(m)), _text(name.replace("^2", "²").replace("-", "−")), _text(_number(complex(c)))]
            for m, (name, c) in enumerate(zip(names, unit.round(decimals=6).tolist(), strict=True))
        ]
        header = [
            _text("index in the l = 2 block"),
            _text("e3nn component (up to a constant)"),
            _text("coefficient"),
        ]
        return [_table(header, rows, ["sh-table"])]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("character-table", CharacterTableDirective)
    app.add_directive("correlation-table", CorrelationTableDirective)
    app.add_directive("harmonics-by-irrep", HarmonicsByIrrepDirective)
    app.add_directive("order-parameter-table", OrderParameterTableDirective)
    app.add_directive("sh-coefficients", ShCoefficientsDirective)
    app.add_css_file("theory.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
