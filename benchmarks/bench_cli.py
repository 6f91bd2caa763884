"""Benchmark: the wall time of the command line, each command in a fresh interpreter, and what it imports.

``python -m symmetry_tasks table Oh`` should answer at once: naming, tabulating and enumerating groups and
finding order parameters run on numpy (e3nn's Wigner matrices from ``symmetry_tasks.wigner``), and no
command imports torch, e3nn or sympy. Each command runs ``--repeats`` times as
a new process (interpreter start, imports and the computation, all counted); the table gives the median
wall time, the fastest, and the heavy modules one more run of the same command loaded.

Several source trees can be timed side by side, their runs interleaved so that they share the machine's
load, e.g. the main checkout against this one:

    python benchmarks/bench_cli.py --tree /work/main/src --tree src

Each ``--tree`` goes first on ``PYTHONPATH`` (default: this checkout's ``src``). An uninstalled tree
imports as it is (only ``__version__`` reads the package's metadata, on first use); a tree older than
that needs a ``symmetry_tasks-*.dist-info`` on ``PYTHONPATH`` too.
The load average is printed before and after: compare times only within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (
    ("table", "Oh"),
    ("subgroups", "D4h"),
    ("breaking", "Oh", "O"),
    ("breaking", "D4h", "D4"),
)
HEAVY = ("torch", "e3nn", "sympy", "scipy", "matplotlib", "mpmath")
PROBE = """
import contextlib, io, json, sys
from symmetry_tasks.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    main({argv!r})
print(json.dumps([m for m in {heavy!r} if m in sys.modules]))
"""


def _environment(tree: str) -> dict[str, str]:
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (tree, os.environ.get("PYTHONPATH", "")) if p)
    return env


def _wall_time(tree: str, argv: tuple[str, ...]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "symmetry_tasks", *argv],
        env=_environment(tree),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _imported(tree: str, argv: tuple[str, ...]) -> list[str]:
    probe = PROBE.format(argv=list(argv), heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", probe], env=_environment(tree), check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="append", help="a source tree to time (repeatable)")
    parser.add_argument("--repeats", type=int, default=5, help="fresh processes per command and tree")
    args = parser.parse_args()
    trees = args.tree or [str(Path(__file__).resolve().parents[1] / "src")]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average before: {_load()}")
    times: dict[tuple[str, tuple[str, ...]], list[float]] = {}
    for _ in range(args.repeats):
        for argv in COMMANDS:
            for tree in trees:  # interleaved: every tree sees the same load
                times.setdefault((tree, argv), []).append(_wall_time(tree, argv))
    rows = [["command", "tree", "median (s)", "fastest (s)", "heavy modules imported"]]
    for argv in COMMANDS:
        for tree in trees:
            samples = times[(tree, argv)]
            heavy = ", ".join(_imported(tree, argv)) or "-"
            rows.append(
                [" ".join(argv), tree, f"{statistics.median(samples):.2f}", f"{min(samples):.2f}", heavy]
            )
        if len(trees) > 1:
            first, last = (statistics.median(times[(t, argv)]) for t in (trees[0], trees[-1]))
            rows.append(["", f"ratio {trees[0]} / {trees[-1]}", f"{first / last:.1f}x", "", ""])
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"{args.repeats} runs per command and tree; load average after: {_load()}")


if __name__ == "__main__":
    main()
