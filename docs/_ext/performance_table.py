"""``.. step-time-comparison::`` and ``.. network-memory::``: measured while the page is built."""

from __future__ import annotations

import os
from typing import ClassVar

import torch
from docutils import nodes
from docutils.parsers.rst import directives
from performance import compare_step_times, memory_per_edge_and_point
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table(classes=["performance-table"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in header]

    def row(cells: list[str]) -> nodes.row:
        line = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=cell)
            line += entry
        return line

    head = nodes.thead()
    head += row(header)
    body = nodes.tbody()
    body += [row(cells) for cells in rows]
    group += [head, body]
    return table


class StepTimeComparison(SphinxDirective):
    """Run :func:`performance.compare_step_times` and show build and step times and both speed-ups."""

    option_spec: ClassVar[dict[str, object]] = {
        "rounds": directives.positive_int,
        "steps": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        rounds, steps = self.options.get("rounds", 3), self.options.get("steps", 5)
        comparison = compare_step_times(rounds, steps)
        header = [
            "Network",
            "Build (s)",
            "Median step (ms)",
            "Fastest step (ms)",
            "EquivariantNetwork is faster by",
        ]
        rows = [
            [
                t.name,
                f"{t.build:.2f}",
                f"{1e3 * t.median_step:.1f}",
                f"{1e3 * min(t.steps):.1f}",
                "" if t is comparison.fused else f"{comparison.speedup(t):.0f}x",
            ]
            for t in comparison.timings
        ]
        summary = nodes.paragraph(
            text=(
                f"Measured while building this page: {rounds} interleaved rounds of {steps} training steps, "
                f"torch {torch.__version__}, {comparison.threads} intra-op thread, {os.cpu_count()} cores. "
                f"One training step of EquivariantNetwork is {comparison.speedup(comparison.twin):.0f} times "
                f"faster than its e3nn twin, which computes the same function, and "
                f"{comparison.speedup(comparison.reference):.0f} times faster than gate_points_2101."
            )
        )
        return [_table(header, rows), summary]


class NetworkMemory(SphinxDirective):
    """Run :func:`performance.memory_per_edge_and_point` and show the two figures."""

    def run(self) -> list[nodes.Node]:
        memory = memory_per_edge_and_point()
        header = ["Kept for the backward pass", "Bytes"]
        rows = [["per edge", f"{memory.per_edge:,.0f}"], ["per point", f"{memory.per_point:,.0f}"]]
        return [_table(header, rows)]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("step-time-comparison", StepTimeComparison)
    app.add_directive("network-memory", NetworkMemory)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
