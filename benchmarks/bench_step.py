"""Benchmark: one training step of EquivariantNetwork against e3nn's reference network, side by side.

Prints the build time and the median and fastest step of each network (timed interleaved in this one
process, see :mod:`performance`), their ratio and, with ``--examples``, the wall time of
each gallery script run as ``python gallery/<script>.py``.

Run: ``python benchmarks/bench_step.py [--rounds 15] [--steps 20] [--examples]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import torch
from performance import compare_step_times

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved timing rounds")
    parser.add_argument("--steps", type=int, default=20, help="training steps per round")
    parser.add_argument("--examples", action="store_true", help="also time every gallery script")
    args = parser.parse_args()

    ours, reference = compare_step_times(args.rounds, args.steps)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads; {args.rounds} rounds x {args.steps} steps"
    )
    print(f"{'network':<20} {'build (s)':>10} {'step median (ms)':>17} {'step min (ms)':>14}")
    for timing in (ours, reference):
        print(
            f"{timing.name:<20} {timing.build:>10.3f} {1e3 * timing.median_step:>17.2f} {1e3 * min(timing.steps):>14.2f}"
        )
    print(f"speed-up (median step, reference / ours): {reference.median_step / ours.median_step:.1f}x")
    if args.examples:
        print(f"\n{'gallery example':<40} {'wall time (s)':>14}")
        for name, seconds in example_times():
            print(f"{name:<40} {seconds:>14.1f}")


if __name__ == "__main__":
    main()
