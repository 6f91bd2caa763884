"""Sessions: ``nox -s tests lint docs browser`` runs every check (what ``.ci/run`` calls).

Every session installs the tested versions from ``constraints.txt``; torch is the CPU build.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests", "docs", "browser"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))
PYTHON = "3.11"


def install(session: nox.Session, *groups: str) -> None:
    """Install the package and the named dependency groups, pinned by the constraints file."""
    requirements = [req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)]
    session.install(*CONSTRAINTS, "-e", ".", *requirements)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Run ruff on everything (no fixes)."""
    session.install(*CONSTRAINTS, *nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the unit and property tests and the package doctests (not the browser tests)."""
    install(session, "test")
    session.run("pytest", "src", "tests", "--ignore=tests/browser", *session.posargs)
