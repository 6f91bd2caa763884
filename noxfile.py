"""Sessions: ``nox -s lint tests docs && nox -s browser`` runs every check (what ``.ci/run`` calls).

Every session installs the tested versions from ``constraints.txt``; torch is the CPU build. uv
makes and fills the environments where it can do so safely (see ``uv_settings``), pip elsewhere.

``lint``, ``tests`` and ``docs`` run side by side (two at a time); each session's output is printed
when it ends, and nox closes with the time each one took. ``browser`` reads the site ``docs`` builds,
so it runs afterwards, in its own ``nox -s browser`` (which tests the site already built): alone, in the
environment ``docs`` built the site with (which holds the browser tools too: one install of torch
fewer), and with its output printed as it goes, so that a slow or stuck browser test shows where it is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))


def uv_binary() -> str | None:
    """uv's executable: the one ``pip install 'nox[uv]'`` puts beside nox, or one on the PATH."""
    try:
        from uv import find_uv_bin
    except ImportError:
        return shutil.which("uv")
    return find_uv_bin()


def pip_find_links() -> list[Path]:
    """The local folders of wheels that pip is configured to look in (``find-links``, any scope, each
    folder once: the environment and a config file often name the same one)."""
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=False
    ).stdout
    values = re.findall(r"^\S*find-links='(.*)'$", listed, flags=re.MULTILINE)
    folders = dict.fromkeys(Path(value) for line in values for value in line.split())
    return [folder for folder in folders if folder.is_dir()]


def uv_settings() -> dict[str, str]:
    """The environment that makes uv install what pip would here; empty where pip must install.

    uv fills an environment about ten times faster than pip (torch and the tests' tools: 7 s against
    56 s, measured on an idle 2-core machine), but it reads none of pip's configuration. The one
    setting that matters is where the CPU build of torch comes from: where pip's ``find-links``
    folders hold the pinned ``torch-<version>+cpu`` wheel, uv gets the same folders. Anywhere else
    (say, pip pointed at PyTorch's CPU index, as the README describes) the sessions keep pip, so that
    torch is never the multi-GB CUDA build.
    """
    uv = uv_binary()
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "constraints.txt").read_text(), flags=re.MULTILINE)
    if uv is None or pinned is None:
        return {}
    folders = [f for f in pip_find_links() if any(f.glob(f"torch-{pinned[1]}+cpu-*.whl"))]
    return {"UV": uv, "UV_FIND_LINKS": ",".join(map(str, folders))} if folders else {}


UV = uv_settings()

nox.needs_version = ">=2026.10.20"  # parallel sessions (nox.options.parallel, allow_parallel)
nox.options.default_venv_backend = "uv" if UV else "venv"
nox.options.sessions = ["lint", "tests", "docs", "browser"]
nox.options.parallel = 2
PYTHON = "3.11"
# The docs build stores every trained task here (symmetry_tasks reads the variable), so that a task
# is trained once per build; the browser session's notebooks reuse what the build trained.
TASK_CACHE = ROOT / "docs" / "_build" / "task-cache"


def requirements(*groups: str) -> list[str]:
    return [req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)]


def write_bytecode(session: nox.Session) -> None:
    """Let Python keep the bytecode of the modules it imports: unset ``PYTHONDONTWRITEBYTECODE``.

    uv, unlike pip, compiles no bytecode at install (compiling all of torch would cost 40
    core-seconds). Python then writes it at first import, unless the machine's environment forbids
    it: then every process compiles what it imports again (``import torch, e3nn``: 4.5 s, not 2.5 s).
    """
    session.env["PYTHONDONTWRITEBYTECODE"] = None


def own_matplotlib_cache(session: nox.Session, environment: Path | None = None) -> None:
    """Keep matplotlib's configuration and font cache inside the environment (``MPLCONFIGDIR``).

    The font cache lists the font files of the matplotlib that wrote it, and every matplotlib of the
    same version reads it from the home directory. A cache written elsewhere (another environment, or
    one caught mid-install) can lack the bundled STIX and Computer Modern fonts; figures then draw their
    math in the fallback font ("findfont: Font family ['STIXGeneral'] not found", 42 times in each docs
    build of the check runs). One cache per environment is always its own.
    """
    environment = environment or Path(session.virtualenv.location)
    session.env["MPLCONFIGDIR"] = str(environment / "matplotlib")


def install(session: nox.Session, *groups: str, package: bool = True) -> None:
    """Install the package (unless not ``package``) and the named dependency groups, pinned."""
    session.install(*CONSTRAINTS, *(("-e", ".") if package else ()), *requirements(*groups), env=UV)


@nox.session(python=PYTHON, allow_parallel=True)
def lint(session: nox.Session) -> None:
    """Run ruff on everything (no fixes)."""
    install(session, "lint", package=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON, allow_parallel=True)
def tests(session: nox.Session) -> None:
    """Run the unit and property tests and the package doctests (not the browser tests)."""
    install(session, "test")
    write_bytecode(session)
    own_matplotlib_cache(session)
    session.run("pytest", "-n", "auto", "src", "tests", "--ignore=tests/browser", *session.posargs)


@nox.session(python=PYTHON, venv_backend="uv" if UV else "venv")
def lowest(session: nox.Session) -> None:
    """Run the unit tests on the lowest versions ``pyproject.toml`` allows (not part of the default check).

    uv resolves every direct requirement to its lowest allowed version (``--resolution lowest-direct``),
    so the declared lower bounds are the tested ones. torch's lowest allowed release has no CPU build on
    PyPI: this session downloads the CUDA build (about 3 GB) and runs it on the CPU.
    """
    if not UV:
        session.error("the lowest versions are resolved by uv: install nox[uv]")
    test = requirements("test")
    session.run(UV["UV"], "pip", "install", "--resolution", "lowest-direct", "-e", ".", *test, external=True)
    write_bytecode(session)
    own_matplotlib_cache(session)
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
    write_bytecode(session)
    own_matplotlib_cache(session)
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
    session.install(*CONSTRAINTS, "sphinx-autobuild", env=UV)
    write_bytecode(session)
    own_matplotlib_cache(session)
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


# Time limits of the browser tests (pytest-timeout), so that a check run always ends, with what it found,
# within a CI job's 90 minutes. A test that hangs fails after BROWSER_TEST_LIMIT_S, with the stacks of its
# threads printed (a page takes at most about 70 s under load; the notebook tests, which may train, set
# their own limit); the parallel tests and then the timings stop starting new tests after their session's
# limit (they take 10 to 17 and 4 to 6 minutes).
BROWSER_TEST_LIMIT_S = 300
BROWSER_LIMIT_S = 1800
TIMINGS_LIMIT_S = 900


@nox.session(venv_backend="none", allow_parallel=False)
def browser(session: nox.Session) -> None:
    """Drive the built site in headless Chromium (/usr/bin/chromium or $CHROMIUM); build it first.

    Runs in the environment of the docs session that built the site, with parallel workers; then
    the tests marked ``idle`` (timings) run alone. The downloads are tested in a fresh virtual
    environment that the tests make from the site's own wheel (with uv, where the sessions use it).
    """
    if not (SITE / "index.html").is_file() or not SITE_PYTHON.is_file():
        session.error(f"no site built by `nox -s docs` in {SITE}: run `nox -s docs` first")
    python = SITE_PYTHON.read_text().strip()
    # tests/conftest.py (the unit tests' matplotlib setup) stays out: --confcutdir.
    pytest = (python, "-m", "pytest", "--confcutdir=tests/browser", "tests/browser", *session.posargs)
    write_bytecode(session)
    own_matplotlib_cache(session, Path(python).parent.parent)
    env = {"SYMMETRY_TASKS_CACHE": str(TASK_CACHE), **UV}

    def limited(session_limit_s: int) -> tuple[str, ...]:
        """pytest with the time limits, printing each test's name as it ends and the slowest at the end."""
        timeout = ("--timeout", str(BROWSER_TEST_LIMIT_S), "--session-timeout", str(session_limit_s))
        return (*pytest, *timeout, "-v", "--durations=10")

    session.run(*limited(BROWSER_LIMIT_S), "-n", "auto", "-m", "not idle", env=env, external=True)
    # Timings last, one page at a time, once nothing else runs (exit code 5: none selected).
    session.run(*limited(TIMINGS_LIMIT_S), "-m", "idle", env=env, external=True, success_codes=[0, 5])
