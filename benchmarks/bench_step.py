"""Benchmark: one training step of EquivariantNetwork against its e3nn twin and e3nn's reference network.

Prints the build time and the median and fastest step of each network (timed interleaved in this one
process, see :mod:`performance`) and the two speed-ups; with ``--busy`` it measures again while one
competing process keeps a core busy; with ``--examples`` it also times each gallery script, run as
``python gallery/<script>.py``.

Run: ``python benchmarks/bench_step.py [--rounds 15] [--steps 20] [--busy] [--threads N] [--examples]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import torch
from performance import Comparison, compare_step_times, memory_per_edge_and_point

from symmetry_tasks.training import TRAINING_THREADS

ROOT = Path(__file__).resolve().parents[1]


def example_times() -> list[tuple[str, float]]:
    """Wall time of each gallery script, run in a fresh interpreter (imports included)."""
    times = []
    environment = os.environ | {"MPLBACKEND": "Agg"}
    for script in sorted((ROOT / "gallery").glob("[0-9]*.py")):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(script)], check=True, cwd=ROOT, env=environment, capture_output=True
        )
        times.append((script.name, time.perf_counter() - start))
    return times


def report(comparison: Comparison) -> None:
    """Print one comparison as a table and its two speed-ups."""
    load = "one competing busy process" if comparison.busy else "no competing process started"
    print(f"\n{comparison.threads} intra-op thread(s), {load}")
    print(f"{'network':<20} {'build (s)':>10} {'step median (ms)':>17} {'step min (ms)':>14}")
    for timing in comparison.timings:
        median, fastest = 1e3 * timing.median_step, 1e3 * min(timing.steps)
        print(f"{timing.name:<20} {timing.build:>10.3f} {median:>17.2f} {fastest:>14.2f}")
    for other in (comparison.twin, comparison.reference):
        print(f"speed-up over {other.name} (median step): {comparison.speedup(other):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved timing rounds")
    parser.add_argument("--steps", type=int, default=20, help="training steps per round")
    parser.add_argument("--busy", action="store_true", help="measure again with one competing busy process")
    parser.add_argument("--threads", type=int, default=TRAINING_THREADS, help="intra-op threads")
    parser.add_argument("--examples", action="store_true", help="also time every gallery script")
    args = parser.parse_args()

    print(f"torch {torch.__version__}, {os.cpu_count()} cores; {args.rounds} rounds x {args.steps} steps")
    for busy in (False, True) if args.busy else (False,):
        report(compare_step_times(args.rounds, args.steps, threads=args.threads, busy=busy))
    memory = memory_per_edge_and_point()
    print(
        f"\nkept for the backward pass: {memory.per_edge / 1e3:.1f} kB per edge, {memory.per_point / 1e3:.1f} kB per point"
    )
    if args.examples:
        print(f"\n{'gallery example':<40} {'wall time (s)':>14}")
        for name, seconds in example_times():
            print(f"{name:<40} {seconds:>14.1f}")


if __name__ == "__main__":
    main()
