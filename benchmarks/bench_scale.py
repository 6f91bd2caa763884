"""Benchmark: a training step of EquivariantNetwork, its e3nn twin and e3nn's gate_points_2101, by size.

Random clouds of N points with about 12 neighbours each within ``max_radius = 3`` (uniform in a cube),
irreps ``c x (0e + 1o + 2e + ...)`` up to ``lmax`` in, hidden and out, edge harmonics up to ``lmax``, two
gated layers. For each configuration the three networks are built, warmed up by one step, then timed
interleaved round by round in this one process, each for a turn of consecutive steps (at least one) of
:data:`TURN_SECONDS` (CPU time of one training step, fused Adam and MSE, the geometry built in every call,
one intra-op thread); the median over all timed steps is kept. The peak memory of one step is
the peak of the tensor memory it allocates, from torch's profiler (:func:`peak_memory`).

The configuration ``perovskite`` is the perovskite page's training instead: its network
(:func:`symmetry_tasks.tasks.perovskite_network`: the paper's size, harmonics and hidden irreps up to
lmax 6, 6 channels, 3 gated layers; the species and the learned block in, ``1o`` out) on the periodic
cubic cell it trains on (:data:`PEROVSKITE_CELL`, the 40-atom :math:`2 \times 2 \times 2` supercell,
its edges across the cell's faces included), float64. gate_points_2101 is not timed there: it finds its
edges itself with ``radius_graph`` on the positions alone, so it cannot take periodic edges (its columns
are NaN).

By default it runs the sweeps of :data:`SWEEPS` (N at lmax 5 in float64 and float32, lmax at 64 points,
channels at 64 points) and the perovskite; ``--full`` runs the whole grid N x lmax x channels x dtype. It
prints a table and writes it as CSV (``--csv``, by default ``bench_scale-<date>.csv`` beside this script).

Run: ``nice -n 10 python benchmarks/bench_scale.py [--rounds 3] [--full] [--csv PATH] [--configs ...]``
"""

from __future__ import annotations

import argparse
import csv
import datetime
import itertools
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from ase import Atoms
from e3nn import o3
from e3nn.nn.models.gate_points_2101 import Network

from symmetry_tasks import tasks
from symmetry_tasks.crystals import perovskite
from symmetry_tasks.nn import EquivariantNetwork, default_dtype, intra_op_threads
from symmetry_tasks.training import adam

MAX_RADIUS = 3.0
NEIGHBOURS = 12
CONTENDERS = ("fused", "twin", "gate_points_2101")
#: (N, lmax, channels, dtype) of the default run: one axis varied at a time.
SWEEPS = (
    [(n, 5, 1, torch.float64) for n in (4, 16, 64, 256, 1024)]
    + [(n, 5, 1, torch.float32) for n in (4, 16, 64, 256, 1024)]
    + [(64, lmax, 1, torch.float64) for lmax in (2, 3)]
    + [(64, 3, channels, torch.float64) for channels in (4, 16)]
)
#: The periodic configuration (``--configs perovskite``): Glazer symbol and supercell of the cell the
#: perovskite page trains on (the cube).
PEROVSKITE_CELL = {"tilts": "a0a0a0", "supercell": 2}
#: CPU seconds of each contender's turn in a round (:func:`step_times`): steps shorter than this run several
#: times in a row, as in a training loop, with their code and data in the processor's caches. Timed one
#: call after the other contender's instead, each call would first reload what the other evicted (three runs
#: at 4 points, on one processor: e3nn-jax's step took 6 to 25% longer, the fused one given its edges -3 to
#: 15%).
TURN_SECONDS = 0.1
#: What the ``system`` column says of the random clouds.
CLOUD = "random cloud"


def irreps(lmax: int, channels: int) -> o3.Irreps:
    """``channels`` copies of each of ``0e + 1o + 2e + ...`` up to ``lmax``."""
    return o3.Irreps([(channels, (l, (-1) ** l)) for l in range(lmax + 1)])


def cloud(n: int, dtype: torch.dtype) -> torch.Tensor:
    """``n`` points uniform in a cube, about :data:`NEIGHBOURS` of them within :data:`MAX_RADIUS` of each."""
    density = NEIGHBOURS / (4 / 3 * math.pi * MAX_RADIUS**3)
    generator = torch.Generator().manual_seed(n)
    return ((n / density) ** (1 / 3) * torch.rand(n, 3, dtype=torch.float64, generator=generator)).to(dtype)


class Reference(torch.nn.Module):
    """e3nn's ``gate_points_2101.Network`` with the same irreps, called as ``f(features, positions)``."""

    def __init__(self, lmax: int, channels: int, dtype: torch.dtype) -> None:
        super().__init__()
        with default_dtype(dtype):
            self.network = Network(
                irreps_in=irreps(lmax, channels),
                irreps_hidden=irreps(lmax, channels),
                irreps_out=irreps(lmax, channels),
                irreps_node_attr="0e",
                irreps_edge_attr=o3.Irreps.spherical_harmonics(lmax),
                layers=2,
                max_radius=MAX_RADIUS,
                number_of_basis=3,
                radial_layers=1,
                radial_neurons=100,
                num_neighbors=3.0,
                num_nodes=4.0,
                reduce_output=False,
            )

    def forward(self, features: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        return self.network({"pos": positions, "x": features})


def training_step(
    model: torch.nn.Module, features: torch.Tensor, positions: torch.Tensor
) -> Callable[[], None]:
    """One Adam step on the mean square of the output (the target is zero), with the optimizer the package
    trains with (:func:`symmetry_tasks.training.adam`: torch's fused Adam)."""
    optimizer = adam(model.parameters(), 1e-3)

    def step() -> None:
        loss = model(features, positions).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def peak_memory(step: Callable[[], None]) -> float:
    """Peak bytes of tensors that one ``step`` allocates beyond those alive before it.

    Torch's profiler records every allocation and release of tensor memory, attributed to the operation
    that made it; the running sum of these, in time order, peaks at the value returned.
    """
    with torch.profiler.profile(
        activities=[torch.profiler.ProfilerActivity.CPU], profile_memory=True
    ) as profile:
        step()
    total = peak = 0
    for event in sorted(profile.events(), key=lambda event: event.time_range.start):
        total += event.self_cpu_memory_usage
        peak = max(peak, total)
    return float(peak)


@dataclass
class Row:
    """One configuration: step times (ms, median) and peak memory (MB) of each contender."""

    n: int
    lmax: int
    channels: int
    dtype: str
    edges: int
    fused_ms: float
    twin_ms: float
    reference_ms: float
    fused_mb: float
    twin_mb: float
    reference_mb: float
    system: str = CLOUD  #: the random cloud, or the periodic crystal

    @property
    def speedups(self) -> tuple[float, float]:
        """Twin and reference step time over the fused one."""
        return self.twin_ms / self.fused_ms, self.reference_ms / self.fused_ms


def build(
    lmax: int, channels: int, dtype: torch.dtype, layers: int = 2, reference: bool = True
) -> dict[str, torch.nn.Module]:
    """The contenders, seeded: the fused network with ``layers`` gated layers, its twin, and (if
    ``reference``, only with 2 layers) gate_points_2101."""
    torch.manual_seed(0)
    fused = EquivariantNetwork(
        irreps(lmax, channels),
        irreps(lmax, channels),
        irreps(lmax, channels),
        lmax=lmax,
        layers=layers,
        dtype=dtype,
    )
    models = {"fused": fused, "twin": fused.to_e3nn()}
    if reference:
        models["gate_points_2101"] = Reference(lmax, channels, dtype)
    return models


def _warmed_up(
    models: dict[str, torch.nn.Module], positions: torch.Tensor | Atoms, dtype: torch.dtype
) -> tuple[dict[str, Callable[[], None]], int]:
    """A training step of each model on ``positions`` (or a periodic ``Atoms``) with seeded random
    features, run once; and the number of edges."""
    fused = models["fused"]
    n = len(positions)
    features = torch.randn(n, fused.irreps_in.dim, dtype=dtype, generator=torch.Generator().manual_seed(1))
    steps = {name: training_step(model, features, positions) for name, model in models.items()}
    for step in steps.values():  # warm-up: first-call overheads, optimizer state
        step()
    return steps, fused.geometry(positions).n_edges


def contenders(
    n: int, models: dict[str, torch.nn.Module], dtype: torch.dtype
) -> tuple[dict[str, Callable[[], None]], int]:
    """A training step of each model on a cloud of ``n`` points, warmed up; and the number of edges."""
    return _warmed_up(models, cloud(n, dtype), dtype)


def step_times(
    steps: dict[str, Callable[[], None]], rounds: int, turn: float = TURN_SECONDS
) -> dict[str, float]:
    """Median CPU time (ms) of each step, over ``rounds`` interleaved rounds in which each step takes a turn
    of consecutive calls lasting ``turn`` seconds of CPU time (one call at least), every call timed."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            start_turn = time.process_time()
            while True:
                start = time.process_time()
                step()
                end = time.process_time()
                times[name].append(end - start)
                if end - start_turn >= turn:
                    break
    return {name: 1e3 * statistics.median(values) for name, values in times.items()}


def _row(
    steps: dict[str, Callable[[], None]],
    n: int,
    lmax: int,
    channels: int,
    dtype: torch.dtype,
    edges: int,
    rounds: int,
    system: str = CLOUD,
) -> Row:
    """Time the warmed-up ``steps`` interleaved and measure their peak memory; NaN for a missing contender."""
    median = step_times(steps, rounds)
    memory = {name: peak_memory(step) / 1e6 for name, step in steps.items()}
    return Row(
        n, lmax, channels, str(dtype).removeprefix("torch."), edges,
        median["fused"], median["twin"], median.get("gate_points_2101", math.nan),
        memory["fused"], memory["twin"], memory.get("gate_points_2101", math.nan), system,
    )  # fmt: skip


def measure(n: int, lmax: int, channels: int, dtype: torch.dtype, rounds: int) -> Row:
    """Time and measure the memory of the three contenders on one configuration."""
    steps, edges = contenders(n, build(lmax, channels, dtype), dtype)
    return _row(steps, n, lmax, channels, dtype, edges, rounds)


def measure_perovskite(rounds: int, dtype: torch.dtype = torch.float64) -> Row:
    """Time and measure the memory of the perovskite page's network and its twin on its periodic cell."""
    tilts, size = PEROVSKITE_CELL["tilts"], PEROVSKITE_CELL["supercell"]
    atoms = perovskite(tilts, supercell=size)
    fused = tasks.perovskite_network().to(dtype)
    steps, edges = _warmed_up({"fused": fused, "twin": fused.to_e3nn()}, atoms, dtype)
    channels = tasks.PEROVSKITE_CHANNELS
    system = f"perovskite {tilts} {size}x{size}x{size}, periodic, {len(fused.gates)} layers"
    return _row(steps, len(atoms), fused.lmax, channels, dtype, edges, rounds, system)


HEADER = f"{'N':>5} {'lmax':>4} {'ch':>3} {'dtype':>7} {'edges':>6} {'fused ms':>9} {'twin ms':>9} {'e3nn ms':>9} {'twin/f':>7} {'e3nn/f':>7} {'fused MB':>9} {'twin MB':>8} {'e3nn MB':>8}"


def format_row(row: Row) -> str:
    twin, reference = row.speedups
    return (
        f"{row.n:>5} {row.lmax:>4} {row.channels:>3} {row.dtype:>7} {row.edges:>6} {row.fused_ms:>9.2f} "
        f"{row.twin_ms:>9.2f} {row.reference_ms:>9.2f} {twin:>7.2f} {reference:>7.2f} {row.fused_mb:>9.1f} "
        f"{row.twin_mb:>8.1f} {row.reference_mb:>8.1f}" + ("" if row.system == CLOUD else f"  {row.system}")
    )


def load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes, as the CSV notes print them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def write(path: Path, notes: list[str], rows: Sequence[Any]) -> None:
    """Write ``rows`` (dataclass instances of one class) as CSV, after the ``notes`` as ``#`` lines."""
    with path.open("w", newline="") as stream:
        stream.writelines(f"# {note}\n" for note in notes)
        writer = csv.DictWriter(stream, fieldnames=list(asdict(rows[0])))
        writer.writeheader()
        writer.writerows(asdict(row) for row in rows)


def configuration(text: str) -> tuple[int, int, int, torch.dtype] | str:
    """``"N,LMAX,CHANNELS,DTYPE"`` as ``(N, lmax, channels, dtype)``; ``"perovskite"`` as itself.

    Examples
    --------
    >>> configuration("64,3,16,float32")
    (64, 3, 16, torch.float32)
    >>> configuration("perovskite")
    'perovskite'
    """
    if text == "perovskite":
        return text
    if text.count(",") != 3:
        raise ValueError(f"a configuration is N,LMAX,CHANNELS,DTYPE or perovskite, got {text!r}")
    n, lmax, channels, dtype = text.split(",")
    if dtype not in ("float32", "float64"):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r} in {text!r}")
    return int(n), int(lmax), int(channels), getattr(torch, dtype)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved turns of each contender")
    parser.add_argument("--full", action="store_true", help="the whole grid N x lmax x channels x dtype")
    parser.add_argument("--csv", type=Path, default=None, help="where to write the table")
    parser.add_argument(
        "--configs",
        nargs="+",
        metavar="N,LMAX,CHANNELS,DTYPE",
        help="only these configurations, e.g. 1024,5,1,float64, or perovskite (the periodic crystal)",
    )
    args = parser.parse_args()
    configurations = [*SWEEPS, "perovskite"]
    if args.configs:
        configurations = [configuration(text) for text in args.configs]
    elif args.full:
        configurations = list(
            itertools.product((4, 16, 64, 256, 1024), (2, 3, 5), (1, 4, 16), (torch.float32, torch.float64))
        )
        configurations.append("perovskite")
    date = datetime.datetime.now(datetime.timezone.utc)
    notes = [
        f"date {date:%Y-%m-%d %H:%M} UTC; torch {torch.__version__}; {os.cpu_count()} cores; one intra-op thread",
        f"load average at start {load_average()}; {args.rounds} rounds",
        "command: nice -n 10 python benchmarks/bench_scale.py " + " ".join(sys.argv[1:]),
    ]
    print("\n".join(notes))
    print(HEADER)
    path = args.csv or Path(__file__).with_name(f"bench_scale-{date:%Y-%m-%d}.csv")
    rows = []
    with intra_op_threads(1):
        for config in configurations:
            rows.append(
                measure_perovskite(args.rounds) if config == "perovskite" else measure(*config, args.rounds)
            )
            print(format_row(rows[-1]), flush=True)
            write(
                path, [*notes, f"load average now {load_average()}"], rows
            )  # after each row: a partial run is kept
    print(f"written to {path}")


if __name__ == "__main__":
    main()
