"""``.. step-time-comparison::``, ``.. network-memory::`` and ``.. scaling::``: measured while the page is built;
``.. jax-comparison::``: the committed run of ``benchmarks/bench_jax.py``."""

from __future__ import annotations

import html
import io
import math
import os
from typing import ClassVar

import torch
from bench_scale import CLOUD, TURN_SECONDS
from docutils import nodes
from docutils.parsers.rst import directives
from performance import (
    SCALE_TABLE,
    ScaleTable,
    compare_step_times,
    memory_per_edge_and_point,
    read_scale_table,
    scaling_figure,
    scaling_subset,
)
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from symmetry_tasks.plotting import description, recolor_svg


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


def _number(value: str | float, digits: int) -> str:
    """``value`` with ``digits`` decimals; "n/a" for NaN (gate_points_2101 on a periodic crystal)."""
    number = float(value)
    return "n/a" if math.isnan(number) else f"{number:.{digits}f}"


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


class Scaling(SphinxDirective):
    """The committed table of ``benchmarks/bench_scale.py``, and a log-log plot of step time against N with
    a subset measured now (:func:`performance.scaling_subset`) beside the committed run."""

    option_spec: ClassVar[dict[str, object]] = {"rounds": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        import matplotlib.pyplot as plt

        table = read_scale_table()
        sizes = (4, 16, 64)
        measured = scaling_subset(sizes, rounds=self.options.get("rounds", 2))
        figure = scaling_figure(sizes, measured, table)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        plt.close(figure)
        light = buffer.getvalue()
        label = html.escape(description(figure), quote=True)
        images = "".join(
            f'<div class="only-{theme} inline-plot" role="img" aria-label="{label}">{svg}</div>'
            for theme, svg in (("light", light), ("dark", recolor_svg(light, "dark")))
        )
        now = ", ".join(
            f"{name} {value:.1f} ms"
            for name, value in zip(measured, (v[-1] for v in measured.values()), strict=True)
        )
        header = [
            "system",
            "N",
            "lmax",
            "channels",
            "dtype",
            "edges",
            "fused (ms)",
            "twin (ms)",
            "gate_points_2101 (ms)",
        ]
        header += ["twin / fused", "gate_points / fused", "fused (MB)", "twin (MB)", "gate_points (MB)"]
        keys = ["n", "lmax", "channels", "dtype", "edges", "fused_ms", "twin_ms", "reference_ms"]
        rows = [
            [r.get("system", CLOUD)]  # runs before the periodic configuration have no system column
            + [r[k] if k in ("n", "lmax", "channels", "dtype", "edges") else _number(r[k], 1) for k in keys]
            + [
                _number(float(r["twin_ms"]) / float(r["fused_ms"]), 2),
                _number(float(r["reference_ms"]) / float(r["fused_ms"]), 2),
            ]
            + [_number(r[k], 0) for k in ("fused_mb", "twin_mb", "reference_mb")]
            for r in table.rows
        ]
        summary = nodes.paragraph(
            text=(
                f"Measured while building this page, at {sizes[-1]} points (lmax 5, one channel, float64, "
                f"median over {self.options.get('rounds', 2)} interleaved turns of {TURN_SECONDS} s of steps, "
                f"or one step, each): {now}."
            )
        )
        notes = _notes("The committed run, dated, with the load of the machine:", table.notes)
        return [nodes.raw("", images, format="html"), summary, _table(header, rows), *notes]


#: The committed run of ``benchmarks/bench_jax.py`` (e3nn-jax, jitted, against the fused network).
JAX_TABLE = SCALE_TABLE.with_name("bench_jax-2026-12-06.csv")


def _milliseconds(value: str | float) -> str:
    """A step time in ms to three significant digits: 0.95, 14.3, 607."""
    return f"{float(value):.3g}"


def _jax_row(r: dict[str, str]) -> list[str]:
    """The cells of one row of ``bench_jax.py``'s CSV: sizes, times and ratios (the fused step given the jax
    step's edges, then finding its own), the search alone, compile time."""
    return [
        r["n"],
        r["dtype"],
        r["edges"],
        _milliseconds(r["jax_ms"]),
        _milliseconds(r["fused_edges_ms"]),
        _number(float(r["jax_ms"]) / float(r["fused_edges_ms"]), 2),
        _milliseconds(r["fused_ms"]),
        _number(float(r["jax_ms"]) / float(r["fused_ms"]), 2),
        _milliseconds(r["neighbours_ms"]),
        _number(r["compile_s"], 0),
    ]


def _largest(table: ScaleTable, column: str, dtype: str) -> str:
    """The largest value of ``column`` over the rows of ``dtype``, as 1e-15."""
    return f"{max(float(r[column]) for r in table.rows if r['dtype'] == dtype):.0e}"


class JaxComparison(SphinxDirective):
    """The committed table of ``benchmarks/bench_jax.py``: the jitted e3nn-jax training step against the
    fused one, with the compile time and the checks that both compute the same function."""

    def run(self) -> list[nodes.Node]:
        table = read_scale_table(JAX_TABLE)
        self.env.note_dependency(str(JAX_TABLE))
        header = ["N", "dtype", "edges", "e3nn-jax (ms)", "fused, edges given (ms)", "e3nn-jax / fused"]
        header += [
            "fused, own search (ms)",
            "e3nn-jax / fused, own search",
            "search alone (ms)",
            "compile (s)",
        ]
        rows = [_jax_row(r) for r in table.rows]
        compile_s = [float(r["compile_s"]) for r in table.rows]
        cpu_s = [float(r["compile_cpu_s"]) for r in table.rows]
        weights = sorted({r["params"] for r in table.rows})
        differences = "; ".join(
            f"in {dtype}, {_largest(table, 'output_rel_diff', dtype)} for the outputs and "
            f"{_largest(table, 'grad_rel_diff', dtype)} for the gradients of every weight"
            for dtype in sorted({r["dtype"] for r in table.rows}, reverse=True)
        )
        summary = nodes.paragraph(
            text=(
                f"e3nn-jax was compiled: its whole training step is one jax.jit function, compiled once for "
                f"each size and dtype before the timing, which took {min(compile_s):.0f} to "
                f"{max(compile_s):.0f} s of wall time ({min(cpu_s):.0f} to {max(cpu_s):.0f} s of CPU time); the "
                f"fused network has no compile step. Both networks have {' or '.join(weights)} weights. With the "
                "torch weights copied into the jax parameters, the largest difference relative to the largest "
                f"value, over the sizes, is {differences}."
            )
        )
        notes = _notes("The committed run, dated, with the versions and the load:", table.notes)
        return [_table(header, rows), summary, *notes]


def _notes(heading: str, notes: list[str]) -> list[nodes.Node]:
    """A committed run's header lines under ``heading``, as a list of literals: the command's and
    XLA_FLAGS' "--" must not turn into dashes."""
    items = nodes.bullet_list(classes=["run-notes"])  # (custom.css: long literals may break anywhere)
    for note in notes:
        item = nodes.list_item()
        item += nodes.paragraph("", "", nodes.literal(text=note))
        items += item
    return [nodes.paragraph(text=heading), items]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("step-time-comparison", StepTimeComparison)
    app.add_directive("network-memory", NetworkMemory)
    app.add_directive("scaling", Scaling)
    app.add_directive("jax-comparison", JaxComparison)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
