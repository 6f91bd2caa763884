"""The on-disk cache of task results: off by default, identical results, atomic files, keyed by the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

import symmetry_tasks
from symmetry_tasks import tasks
from symmetry_tasks.nn import DEFAULT_IRREPS
from symmetry_tasks.shapes import rectangle, square

pytestmark = pytest.mark.slow

VARIABLE = "SYMMETRY_TASKS_CACHE"
STEPS = 4  # a few steps: the cache does not care how long a run is


def stored(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pt"))


def assert_same_result(first: tasks.TaskResult, second: tasks.TaskResult) -> None:
    assert first.losses == second.losses
    for name in ("inputs", "positions", "target_positions", "targets", "outputs", "predicted"):
        assert torch.equal(getattr(first, name), getattr(second, name)), name
    with torch.no_grad():
        assert torch.equal(
            first.model(first.inputs, first.positions), second.model(first.inputs, first.positions)
        )


def test_off_without_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv(VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    tasks.task1(steps=STEPS)
    assert list(tmp_path.iterdir()) == []


def test_cached_results_are_identical_to_computed_ones(monkeypatch, tmp_path):
    monkeypatch.delenv(VARIABLE, raising=False)
    computed = {1: tasks.task1(steps=STEPS), 4: tasks.task4(stuck_steps=STEPS, alternating_steps=STEPS)}
    monkeypatch.setenv(VARIABLE, str(tmp_path / "cache"))
    for _ in range(2):  # the first call stores, the second reads
        assert_same_result(tasks.task1(steps=STEPS), computed[1])
        assert_same_result(tasks.task4(stuck_steps=STEPS, alternating_steps=STEPS), computed[4])
    assert len(stored(tmp_path / "cache")) == 2


def test_a_second_call_reads_instead_of_training(monkeypatch, tmp_path):
    monkeypatch.setenv(VARIABLE, str(tmp_path))
    tasks.task2(steps=STEPS)
    (path,) = stored(tmp_path)
    before = path.stat().st_mtime_ns
    seen = []
    tasks.task2(steps=STEPS)
    assert path.stat().st_mtime_ns == before
    tasks.task2(steps=STEPS, callback=lambda step, loss: seen.append(step))
    assert seen == list(range(STEPS)), "a call with a callback trains, so that the callback sees every step"
    assert stored(tmp_path) == [path]


def test_other_arguments_are_other_entries(monkeypatch, tmp_path):
    monkeypatch.setenv(VARIABLE, str(tmp_path))
    one, other = tasks.task1(steps=STEPS), tasks.task1(steps=STEPS + 1)
    assert len(other.losses) == len(one.losses) + 1
    features = tasks.scalar_inputs(4, DEFAULT_IRREPS)
    shifted = tasks.deform(square(), rectangle(), features + 1e-3, steps=STEPS)
    plain = tasks.deform(square(), rectangle(), features, steps=STEPS)
    assert shifted.losses != plain.losses
    assert len(stored(tmp_path)) == 4


# Prints where the package was imported from, then Task 1's losses; adds a line to the file $TRAININGS
# each time it trains.
TASK1 = textwrap.dedent(f"""
    import os, symmetry_tasks, symmetry_tasks.tasks as t
    fit = t.fit
    def counted(*args, **kwargs):
        with open(os.environ["TRAININGS"], "a") as log:
            log.write("trained\\n")
        return fit(*args, **kwargs)
    t.fit = counted
    print(symmetry_tasks.__file__)
    print(t.task1(steps={STEPS}).losses)
""")


def start_task1(package_root: Path, cache: Path) -> subprocess.Popen:
    """Run Task 1 in a new Python process that imports the package from ``package_root``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(package_root),
        VARIABLE: str(cache),
        "OMP_NUM_THREADS": "1",
        "TRAININGS": str(cache.parent / "trainings.log"),
    }
    return subprocess.Popen(
        [sys.executable, "-c", TASK1], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run_task1(package_root: Path, cache: Path) -> tuple[str, str]:
    """Task 1's printed output and what the process wrote to stderr (warnings among it)."""
    process = start_task1(package_root, cache)
    output, errors = process.communicate()
    assert process.returncode == 0, errors
    return output, errors


def test_processes_share_entries_until_the_package_changes(tmp_path):
    """Processes started together train once (the second waits for the first's result) and leave one
    entry and its lock, no temporary; an edit misses."""
    copy = tmp_path / "src"
    shutil.copytree(
        Path(symmetry_tasks.__file__).parent,
        copy / "symmetry_tasks",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    cache = tmp_path / "cache"
    processes = [start_task1(copy, cache) for _ in range(2)]
    outputs = [process.communicate()[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    assert outputs[0].splitlines()[0].startswith(str(copy))  # the copy ran, not the installed package
    assert outputs[0] == outputs[1]
    (entry,) = stored(cache)
    assert sorted(path.name for path in cache.iterdir()) == [entry.with_suffix(".lock").name, entry.name]
    trainings = tmp_path / "trainings.log"
    assert trainings.read_text().splitlines() == ["trained"]
    # A third process reads the entry, and prints what training printed, with no warning on stderr
    # (the stored network's sparse tables load without torch's "beta" notice).
    assert run_task1(copy, cache) == (outputs[0], "")
    assert stored(cache) == [entry]
    assert trainings.read_text().splitlines() == ["trained"]
    with (copy / "symmetry_tasks" / "shapes.py").open("a") as source:
        source.write("\n# an edit that changes nothing but the source\n")
    assert run_task1(copy, cache)[0] == outputs[0]
    assert len(stored(cache)) == 2
    assert trainings.read_text().splitlines() == ["trained"] * 2
