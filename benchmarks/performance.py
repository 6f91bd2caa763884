"""Training-step timings of :class:`~symmetry_tasks.nn.EquivariantNetwork`, its e3nn twin and e3nn's reference.

Three networks with the tutorial's irreps (``0e+1o+2e+3o+4e+5o`` in, hidden and out), edge harmonics up to
``l = 5``, two gated layers, ``max_radius = 3`` and float64:

* ``EquivariantNetwork``: the fused network;
* ``e3nn twin``: ``model.to_e3nn()``, the same function and weights built from e3nn's modules;
* ``gate_points_2101``: ``e3nn.nn.models.gate_points_2101.Network``, e3nn's reference network.

Each trains on Task 1 (4 points) with the Adam of :func:`~symmetry_tasks.training.fit` and MSE, calling ``network(features, positions)``: every call
builds the geometry again. They are timed in one process, interleaved round by round, so that a busy
machine slows all alike; compare the ratios, not the absolute times. All run with the intra-op thread
count that :func:`symmetry_tasks.training.fit` uses.
"""

from __future__ import annotations

import contextlib
import csv
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import torch
from bench_scale import CLOUD, Reference, build, contenders, step_times
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from symmetry_tasks.nn import DEFAULT_IRREPS, EquivariantNetwork, intra_op_threads
from symmetry_tasks.plotting.style import LIGHT, describe, figure_context, subplots
from symmetry_tasks.shapes import rectangle, regular_polygon, square
from symmetry_tasks.signals import LMAX, displacement_signals
from symmetry_tasks.training import TRAINING_THREADS, adam

FUSED, TWIN, REFERENCE = "EquivariantNetwork", "e3nn twin", "gate_points_2101"


def reference_network() -> torch.nn.Module:
    """e3nn's ``gate_points_2101.Network`` with the tutorial's settings, called as ``f(features, positions)``:
    ``bench_scale``'s reference at lmax 5, one channel per irrep, float64."""
    return Reference(LMAX, 1, torch.float64)


@dataclass(frozen=True)
class Timing:
    """Build time and per-step times (seconds) of one network."""

    name: str
    build: float
    steps: list[float]

    @property
    def median_step(self) -> float:
        """Median seconds per training step."""
        return statistics.median(self.steps)


@dataclass(frozen=True)
class Comparison:
    """The timings of the three networks, measured side by side."""

    fused: Timing
    twin: Timing
    reference: Timing
    threads: int  #: intra-op threads during the steps
    busy: bool  #: whether a competing busy process ran meanwhile

    @property
    def timings(self) -> tuple[Timing, Timing, Timing]:
        """Fused, twin, reference."""
        return self.fused, self.twin, self.reference

    def speedup(self, other: Timing) -> float:
        """How many times faster the fused network's median step is than ``other``'s."""
        return other.median_step / self.fused.median_step


def _step_timer(model: torch.nn.Module, steps: int) -> Callable[[], float]:
    positions = rectangle()
    features = torch.zeros(4, DEFAULT_IRREPS.dim, dtype=torch.float64)
    features[:, 0] = 1.0
    targets = displacement_signals(square() - rectangle())
    optimizer = adam(model.parameters(), 1e-2)

    def run() -> float:
        start = time.perf_counter()
        for _ in range(steps):
            loss = torch.nn.functional.mse_loss(model(features, positions), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return (time.perf_counter() - start) / steps

    return run


@contextlib.contextmanager
def busy_process() -> Iterator[int]:
    """Run one competing process that keeps a core busy for the duration of the block; yields its pid."""
    process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def compare_step_times(
    rounds: int = 10, steps: int = 10, seed: int = 0, threads: int = TRAINING_THREADS, busy: bool = False
) -> Comparison:
    """Time building each network, then ``rounds`` interleaved rounds of ``steps`` training steps each.

    ``threads`` is torch's intra-op thread count during the steps; ``busy`` runs one competing busy
    process meanwhile.
    """
    if rounds < 1 or steps < 1:
        raise ValueError(f"rounds and steps must be >= 1, got rounds={rounds}, steps={steps}")
    builds, timers = {}, {}
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        start = time.perf_counter()
        fused = EquivariantNetwork()
        builds[FUSED] = time.perf_counter() - start
        for name, build in ((TWIN, fused.to_e3nn), (REFERENCE, reference_network)):
            start = time.perf_counter()
            model = build()
            builds[name] = time.perf_counter() - start
            timers[name] = _step_timer(model, steps)
        timers = {FUSED: _step_timer(fused, steps)} | timers
    samples: dict[str, list[float]] = {name: [] for name in timers}
    with intra_op_threads(threads), busy_process() if busy else contextlib.nullcontext():
        for timer in timers.values():  # warm-up: allocator and first-call overheads
            timer()
        for _ in range(rounds):
            for name, timer in timers.items():
                samples[name].append(timer())
    fused_timing, twin, reference = (Timing(name, builds[name], samples[name]) for name in timers)
    return Comparison(fused_timing, twin, reference, threads, busy)


@dataclass(frozen=True)
class Memory:
    """Bytes a training step of the fused network keeps for its backward pass."""

    per_edge: float
    per_point: float


def _retained_bytes(model: EquivariantNetwork, positions: torch.Tensor) -> tuple[int, int, int]:
    """Bytes of the geometry and of what the network's autograd node keeps, with the point and edge counts."""
    features = torch.ones(len(positions), model.irreps_in.dim, dtype=torch.float64)
    geometry = model.geometry(positions)
    output = model(features.requires_grad_(), geometry)
    node = output.grad_fn.next_functions[0][0]  # the output is a transposed view of the chain's
    tensors = [geometry.src, geometry.dst, geometry.attr, geometry.basis, node.edges.attr_t]
    tensors += [t for cache in node.caches for t in cache if isinstance(t, torch.Tensor)]
    unique = {t.data_ptr(): t.numel() * t.element_size() for t in tensors}
    return sum(unique.values()), len(positions), geometry.n_edges


def memory_per_edge_and_point(points: int = 40) -> Memory:
    """Solve ``bytes = per_edge * E + per_point * N`` from two rings of ``points`` points 1 apart.

    With ``max_radius`` 1.5 each point has 2 neighbours, with 2.5 it has 4, so the two rings separate
    what grows with the edges from what grows with the points.
    """
    ring = regular_polygon(points, radius=1 / (2 * math.sin(math.pi / points)))
    measured = []
    for max_radius in (1.5, 2.5):
        with torch.random.fork_rng():
            torch.manual_seed(0)
            measured.append(_retained_bytes(EquivariantNetwork(max_radius=max_radius), ring))
    (b1, n1, e1), (b2, n2, e2) = measured
    per_edge = (b2 - b1 * n2 / n1) / (e2 - e1 * n2 / n1)
    return Memory(per_edge=per_edge, per_point=(b1 - per_edge * e1) / n1)


#: The committed run of ``benchmarks/bench_scale.py`` that the Performance page shows.
SCALE_TABLE = Path(__file__).with_name("bench_scale-2026-12-06.csv")


@dataclass(frozen=True)
class ScaleTable:
    """A run of ``bench_scale.py`` read back: its notes (date, load, command) and its rows."""

    notes: list[str]
    rows: list[dict[str, str]]


def read_scale_table(path: Path = SCALE_TABLE) -> ScaleTable:
    """The notes (the ``#`` lines) and rows of a CSV written by ``bench_scale.py``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    notes = [line.removeprefix("# ") for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    return ScaleTable(notes, rows)


def scaling_subset(
    sizes: tuple[int, ...] = (4, 16, 64), lmax: int = 5, rounds: int = 2
) -> dict[str, list[float]]:
    """Median training-step time (ms) of each contender of ``bench_scale.py`` at each of ``sizes`` points
    (``lmax``, one channel, float64), timed interleaved in this process with one intra-op thread
    (``bench_scale.step_times``: turns of consecutive steps)."""
    times: dict[str, list[float]] = {}
    models = build(lmax, 1, torch.float64)  # once: e3nn's modules take seconds to build
    with intra_op_threads(1):
        for n in sizes:
            steps, _ = contenders(n, models, torch.float64)
            for name, milliseconds in step_times(steps, rounds).items():
                times.setdefault(name, []).append(milliseconds)
    return times


def scaling_figure(
    sizes: tuple[int, ...], measured: dict[str, list[float]], table: ScaleTable, lmax: int = 5
) -> Figure:
    """Log-log plot of step time against N: the committed run (lines) and this build's (markers)."""
    figure, ax = subplots(figsize=(6.0, 3.6))
    for colour, (name, milliseconds) in zip(LIGHT.cycle, measured.items(), strict=False):
        key = {"fused": "fused_ms", "twin": "twin_ms"}.get(name, "reference_ms")
        rows = sorted(
            (
                r
                for r in table.rows
                if (r["lmax"], r["channels"], r["dtype"], r.get("system", CLOUD))
                == (str(lmax), "1", "float64", CLOUD)
            ),
            key=lambda r: int(r["n"]),
        )
        ax.plot(
            [int(r["n"]) for r in rows],
            [float(r[key]) for r in rows],
            color=colour,
            label=f"{name} (committed run)",
        )
        ax.plot(sizes, milliseconds, "o", color=colour, label=f"{name} (this build)")
    ax.set(xscale="log", yscale="log", xlabel="points N", ylabel="training step (ms CPU)")
    ticks = sorted({int(r["n"]) for r in table.rows if r.get("system", CLOUD) == CLOUD} | set(sizes))
    ax.set_xticks(ticks, labels=[str(n) for n in ticks], minor=False)
    ax.xaxis.set_minor_locator(NullLocator())
    # every decade labelled, from the one below the fastest step, so that the smallest times can be read
    low, high = ax.get_ylim()
    decades = [10.0**k for k in range(math.floor(math.log10(low)), math.floor(math.log10(high)) + 1)]
    ax.set_yticks(decades, labels=[f"{decade:g}" for decade in decades])
    ax.set_ylim(decades[0], high)
    ax.grid(True, which="major")
    with figure_context():  # the legend takes its colours from the palette when it is made
        ax.legend(fontsize=8)
    return describe(
        figure,
        f"Log-log plot of the CPU time of one training step against the number of points, lmax {lmax}, one "
        "channel, float64, for the fused network, its e3nn twin and gate_points_2101: lines from the "
        "committed benchmark run, markers measured while this page was built.",
    )
