"""Benchmark: character tables, reductions, order parameters and detection of :mod:`symmetry_tasks.symmetry`.

Each measurement runs in a fresh interpreter, so that the first call pays for everything a process computes
once (the tables of a name, its subgroups), then the same call is timed again in that process (cached).
Only calls that older versions of the package also have are used, so that the same script times both.

Run: ``python benchmarks/bench_tables.py``, with the package to time first on ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import subprocess
import sys

CASES = {
    "table D4h": "character_table(point_group('D4h'))",
    "table Oh": "character_table(point_group('Oh'))",
    "all 32 tables": "[character_table(point_group(n)) for n in NAMES]",
    "table of a turned Oh": "character_table(point_group('Oh').transformed(random_orthogonal(1)))",
    "decompose Oh, l = 0..5": "[decompose(point_group('Oh'), f'{l}{\"eo\"[l % 2]}') for l in range(6)]",
    "order parameters Oh > D4h, l <= 5": "order_parameters(point_group('Oh'), point_group('D4h'), 5)",
    "symmetry_group(cube)": "symmetry_group(cube())",
}
PRELUDE = (
    "from symmetry_tasks.symmetry import NAMES, character_table, decompose, order_parameters, point_group, "
    "symmetry_group\nfrom symmetry_tasks.shapes import cube\nfrom symmetry_tasks.equivariance import random_orthogonal"
)
PROGRAM = """
import json, time
{prelude}
out = []
for _ in range(2):
    start = time.perf_counter()
    {call}
    out.append(time.perf_counter() - start)
print(json.dumps(out))
"""


def main() -> None:
    print(f"{'call':40s} {'first (s)':>10s} {'again (s)':>10s}")
    for name, call in CASES.items():
        result = subprocess.run(
            [sys.executable, "-c", PROGRAM.format(prelude=PRELUDE, call=call)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:  # older versions fail on some of these
            print(f"{name:40s} raises {result.stderr.strip().splitlines()[-1]}")
            continue
        first, again = json.loads(result.stdout.splitlines()[-1])
        print(f"{name:40s} {first:10.4f} {again:10.4f}")


if __name__ == "__main__":
    main()
