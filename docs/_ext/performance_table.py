"""``.. step-time-comparison::``: time both networks at build time and render the result as a table."""

from __future__ import annotations

from typing import ClassVar

import torch
from docutils import nodes
from docutils.parsers.rst import directives
from performance import compare_step_times
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
    """Run :func:`performance.compare_step_times` and show build and step times."""

    option_spec: ClassVar[dict[str, object]] = {
        "rounds": directives.positive_int,
        "steps": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        rounds, steps = self.options.get("rounds", 5), self.options.get("steps", 10)
        ours, reference = compare_step_times(rounds, steps)
        header = ["Network", "Build (s)", "Median step (ms)", "Fastest step (ms)"]
        rows = [
            [t.name, f"{t.build:.2f}", f"{1e3 * t.median_step:.1f}", f"{1e3 * min(t.steps):.1f}"]
            for t in (ours, reference)
        ]
        ratio = reference.median_step / ours.median_step
        summary = nodes.paragraph(
            text=(
                f"Measured while building this page: {rounds} interleaved rounds of {steps} training steps, "
                f"torch {torch.__version__} on {torch.get_num_threads()} threads. "
                f"One training step of EquivariantNetwork is {ratio:.0f} times faster than e3nn's reference."
            )
        )
        return [_table(header, rows), summary]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("step-time-comparison", StepTimeComparison)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
