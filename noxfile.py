"""Sessions: ``nox -s lint tests docs browser`` runs every check (what ``.ci/run`` calls).

Every session installs the tested versions from ``constraints.txt``; torch is the CPU build.

``lint``, ``tests`` and ``docs`` run side by side (two at a time); ``browser`` runs alone once they
are done, since it reads the site ``docs`` builds, in the environment ``docs`` built it with (which
holds the browser tools too: one install of torch fewer). Each session's output is printed when it
ends, and nox closes with the time each one took. ``nox -s browser`` alone tests the site already built.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2026.10.20"  # parallel sessions (nox.options.parallel, allow_parallel)
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests", "docs", "browser"]
nox.options.parallel = 2

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))
PYTHON = "3.11"
# The docs build stores every trained task here (symmetry_tasks reads the variable), so that a task
# is trained once per build; the browser session's notebooks reuse what the build trained.
TASK_CACHE = ROOT / "docs" / "_build" / "task-cache"


def requirements(*groups: str) -> list[str]:
    return [req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)]


def install(session: nox.Session, *groups: str) -> None:
    """Install the package and the named dependency groups, pinned by the constraints file."""
    session.install(*CONSTRAINTS, "-e", ".", *requirements(*groups))


@nox.session(python=PYTHON, allow_parallel=True)
def lint(session: nox.Session) -> None:
    """Run ruff on everything (no fixes)."""
    session.install(*CONSTRAINTS, *requirements("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON, allow_parallel=True)
def tests(session: nox.Session) -> None:
    """Run the unit and property tests and the package doctests (not the browser tests)."""
    install(session, "test")
    session.run("pytest", "-n", "auto", "src", "tests", "--ignore=tests/browser", *session.posargs)


SITE = ROOT / "docs" / "_build" / "html"
# What a docs build generates outside its output folder; removed so that every example runs again.
GENERATED = (
    "docs/_build",
    "docs/auto_examples",
    "docs/api/generated",
    "docs/point_groups",
    "docs/sg_execution_times.rst",
)
SPHINX_ARGS = ("-b", "html", "-d", "docs/_build/doctrees", "docs", str(SITE))
# The docs session writes here the Python it built the site with; the browser session runs in it.
SITE_PYTHON = ROOT / "docs" / "_build" / "python"


@nox.session(python=PYTHON, allow_parallel=True)
def docs(session: nox.Session) -> None:
    """Build the site from scratch, every example executed, warnings as errors: docs/_build/html."""
    install(session, "docs", "browser")
    for name in GENERATED:
        path = ROOT / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-n",
        *SPHINX_ARGS,
        *session.posargs,
        env={"SYMMETRY_TASKS_CACHE": str(TASK_CACHE)},
    )
    SITE_PYTHON.write_text(str(Path(session.virtualenv.location, "bin", "python")) + "\n")
    session.log(f"The site is in {SITE}: open {SITE / 'index.html'}")


@nox.session(name="docs-live", python=PYTHON, allow_parallel=False)
def docs_live(session: nox.Session) -> None:
    """Serve the site on http://127.0.0.1:8000 and rebuild it on every edit (only edited examples re-run)."""
    install(session, "docs")
    session.install(*CONSTRAINTS, "sphinx-autobuild")
    session.run(
        "sphinx-autobuild",
        "-n",
        "--watch",
        "src",
        "--watch",
        "gallery",
        # Files the build itself writes into docs/: watching them would rebuild forever.
        "--re-ignore",
        r"docs/(auto_examples|api/generated|point_groups|_build)/|sg_execution_times\.rst$",
        *SPHINX_ARGS,
        *session.posargs,
        env={"SYMMETRY_TASKS_CACHE": str(TASK_CACHE)},
    )


@nox.session(venv_backend="none", allow_parallel=False)
def browser(session: nox.Session) -> None:
    """Drive the built site in headless Chromium (/usr/bin/chromium or $CHROMIUM); build it first.

    Runs in the environment of the docs session that built the site, with parallel workers; then
    the tests marked ``idle`` (timings) run alone. The downloads are tested in a fresh virtual
    environment that the tests make from the site's own wheel.
    """
    if not (SITE / "index.html").is_file() or not SITE_PYTHON.is_file():
        session.error(f"no site built by `nox -s docs` in {SITE}: run `nox -s docs` first")
    python = SITE_PYTHON.read_text().strip()
    # tests/conftest.py (the unit tests' matplotlib setup) stays out: --confcutdir.
    pytest = (python, "-m", "pytest", "--confcutdir=tests/browser", "tests/browser", *session.posargs)
    env = {"SYMMETRY_TASKS_CACHE": str(TASK_CACHE)}
    session.run(*pytest, "-n", "auto", "-m", "not idle", env=env, external=True)
    # Timings last, one page at a time, once nothing else runs.
    session.run(*pytest, "-m", "idle", env=env, external=True, success_codes=[0, 5])  # 5: none selected
