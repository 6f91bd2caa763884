"""Benchmark: what the point-group atlas adds to a docs build, from scratch.

Builds, in a temporary folder and a fresh interpreter each time, a Sphinx project that holds the atlas
and nothing else (its extension, the table directives, the figures' dark twins, the plot directive and
the MathML renderer, as the site configures them), and a second one that is the same but empty. The
difference of their wall times is what the atlas costs a fresh build: importing the package, writing the 33 pages,
computing their tables, drawing the 33 figures and writing the HTML. The two builds alternate.

Run: ``python benchmarks/bench_atlas.py --rounds 3``, with the package to time first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
CONF = """
import sys
sys.path.insert(0, {ext!r})
extensions = ["mathml", "matplotlib.sphinxext.plot_directive", "theory_tables", "figures", {atlas}]
html_math_renderer = "mathml"
plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("svg", 150)]
plot_rcparams = {{"svg.fonttype": "path", "svg.hashsalt": "symmetry-tasks"}}
exclude_patterns = ["_build"]
"""
INDEX = "Atlas\n=====\n\n.. toctree::\n\n{entry}\n"


def build(with_atlas: bool) -> float:
    """Wall time of one fresh build of the project, in seconds."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "docs"
        source.mkdir()
        atlas = '"atlas"' if with_atlas else ""
        (source / "conf.py").write_text(CONF.format(ext=str(DOCS / "_ext"), atlas=atlas))
        (source / "index.rst").write_text(INDEX.format(entry="   point_groups/index" if with_atlas else ""))
        command = [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            str(source),
            str(Path(folder) / "html"),
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(rounds):
        for with_atlas in (True, False):
            times[with_atlas].append(build(with_atlas))
    atlas, empty = statistics.median(times[True]), statistics.median(times[False])
    print(f"with the atlas: {atlas:.1f} s, without: {empty:.1f} s (medians of {rounds} fresh builds)")
    print(f"the atlas adds {atlas - empty:.1f} s to a fresh build")


if __name__ == "__main__":
    main()
