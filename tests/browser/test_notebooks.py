"""The site's downloads run in a fresh virtual environment that has only the site's wheel installed.

The environment is made once per run: a new venv, into which pip installs the wheel the site serves,
with the dependencies its metadata names (pinned by ``constraints.txt``, so torch is the CPU build
the project tests). Where the nox sessions install with uv, uv fills it instead (the ``UV`` variable
names its binary), in seconds rather than a minute; pip still checks the result, when each
notebook's install line finds every requirement met. Then every downloadable notebook runs top to
bottom in it, from an empty folder that holds the notebook and the wheel (as the gallery's zip files
do), and so does one downloadable script. One notebook also runs alone, in an empty folder, in a
fresh environment that has the package's requirements but not the package: its first cell installs
the wheel from the site, served here over HTTP on 127.0.0.1 in place of the hosted site's address. A fresh interpreter stands in for a fresh kernel: the code
cells run in order, and the notebook's ``%pip install`` line runs pip in that interpreter, which is
what IPython's ``%pip`` does. Any other IPython magic would stop a plain run and fails the test.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shlex
import shutil
import subprocess
import venv
import zipfile
from pathlib import Path

import pytest

# Each notebook runs in at most 900 s (``run``); the first test also makes the environment. Where the
# task cache misses, a notebook trains its tasks: longer than the browser session's limit for a test.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "constraints.txt"
PIP_MAGIC = re.compile(r"^%pip (install .*)$")
# The notebooks' first cell ends by installing the wheel (next to it, or else the site's).
INSTALL = re.compile(
    r'^subprocess\.run\(\[sys\.executable, "-m", "pip", "install", wheel\], check=True\)$', re.M
)


def download(site: Path, name: str) -> Path:
    """A file the site offers for download (Sphinx puts each under ``_downloads/<hash>/``)."""
    found = sorted((site / "_downloads").glob(f"*/{name}"))
    assert len(found) == 1, f"expected one {name} in _downloads, found {found}"
    return found[0]


def wheel_of(site: Path) -> Path:
    found = sorted((site / "_downloads").glob("*/symmetry_tasks-*-py3-none-any.whl"))
    assert len(found) == 1, f"expected one wheel in _downloads, found {found}"
    return found[0]


def reader_env() -> dict[str, str]:
    """The environment the reader's processes run in.

    pip and uv take the project's pins (``PIP_CONSTRAINT``, ``UV_CONSTRAINT``: torch 2.13.0, the CPU
    build wherever they find it, e.g. ``PIP_FIND_LINKS``, ``UV_FIND_LINKS``), and pip skips compiling
    bytecode at install time; Python writes the bytecode of what it imports instead, which is all a
    run needs. Matplotlib draws off screen.
    """
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "PYTHONHOME"}}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    pins = {"PIP_CONSTRAINT": str(CONSTRAINTS), "UV_CONSTRAINT": str(CONSTRAINTS)}
    return {**env, **pins, "PIP_NO_COMPILE": "1", "MPLBACKEND": "Agg"}


def install_command(python: Path, wheel: Path) -> list[str]:
    """Install ``wheel`` and its requirements into ``python``'s environment (uv if ``$UV`` names it,
    else pip)."""
    if uv := os.environ.get("UV"):
        return [uv, "pip", "install", "--quiet", "--python", str(python), str(wheel)]
    return [str(python), "-m", "pip", "install", "--quiet", str(wheel)]


@pytest.fixture(scope="session")
def reader_python(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a fresh venv with the site's wheel installed; made once, shared by xdist workers."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, common to all workers
    home = shared / "reader-venv"
    python = home / "bin" / "python"
    with open(shared / "reader-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "installed").is_file():
            shutil.rmtree(home, ignore_errors=True)
            venv.EnvBuilder(with_pip=True).create(home)
            install = subprocess.run(
                install_command(python, wheel_of(site)),
                env=reader_env(),
                capture_output=True,
                text=True,
            )
            assert install.returncode == 0, f"installing the site's wheel failed:\n{install.stderr[-4000:]}"
            (home / "installed").touch()
    return python


def as_script(notebook: dict) -> str:
    """The notebook's code cells as one script; ``%pip install ...`` runs pip in this interpreter."""
    lines = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            if match := PIP_MAGIC.match(line):
                args = ["-m", "pip", *shlex.split(match[1])]
                line = f"import subprocess, sys; subprocess.run([sys.executable, *{args!r}], check=True)"
            assert not line.startswith("%"), f"an IPython magic would stop a plain run: {line}"
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


def run(python: Path, script: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), script.name],
        cwd=script.parent,
        env=reader_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_notebook_runs_top_to_bottom(
    site: Path, gallery_path: str, reader_python: Path, tmp_path: Path
) -> None:
    name = Path(gallery_path).with_suffix(".ipynb").name
    notebook = json.loads(download(site, name).read_text(encoding="utf-8"))
    first = "".join(notebook["cells"][0]["source"])
    assert INSTALL.search(first), f"the first cell does not install the package:\n{first}"
    shutil.copy(wheel_of(site), tmp_path)  # next to the notebook, as in the gallery's zip files
    script = tmp_path / "notebook.py"
    script.write_text(as_script(notebook), encoding="utf-8")
    result = run(reader_python, script)
    assert result.returncode == 0, f"{name} failed:\n{result.stderr[-4000:]}"


def test_first_script_runs_in_a_fresh_environment(
    site: Path, gallery_paths: list[str], reader_python: Path, tmp_path: Path
) -> None:
    """The first task's downloadable script runs as it is, with only the wheel installed."""
    name = Path(gallery_paths[0]).with_suffix(".py").name
    script = tmp_path / name
    shutil.copy(download(site, name), script)
    result = run(reader_python, script)
    assert result.returncode == 0, f"{name} failed:\n{result.stderr[-4000:]}"


def site_address(site: Path) -> str:
    """The hosted site's address (``html_baseurl``), from the landing page's canonical link."""
    canonical = re.search(
        r'<link rel="canonical" href="([^"]+)index\.html"', (site / "index.html").read_text()
    )
    assert canonical, "the landing page has no canonical link: is html_baseurl set in conf.py?"
    return canonical[1]


def requirements_of(wheel: Path) -> list[str]:
    """The requirements the wheel's metadata names (``Requires-Dist``)."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]


def test_notebook_alone_installs_the_wheel_from_the_site(
    site: Path, base_url: str, gallery_paths: list[str], tmp_path: Path
) -> None:
    """A notebook downloaded alone (no wheel beside it) installs the package from the site."""
    home = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(home)
    python = home / "bin" / "python"
    wheel = wheel_of(site)
    assert (site / "wheel" / wheel.name).read_bytes() == wheel.read_bytes(), "the site serves another wheel"
    requirements = requirements_of(wheel)
    assert requirements, "the wheel names no requirements"
    # The requirements alone (the install command ends with the wheel).
    install = subprocess.run(
        [*install_command(python, wheel)[:-1], *requirements],
        env=reader_env(),
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, f"installing the requirements failed:\n{install.stderr[-4000:]}"
    name = Path(gallery_paths[0]).with_suffix(".ipynb").name
    code = as_script(json.loads(download(site, name).read_text(encoding="utf-8")))
    hosted = site_address(site)
    assert f'"{hosted}wheel/{wheel.name}"' in code, f"the notebook does not fall back on {hosted}"
    folder = tmp_path / "alone"
    folder.mkdir()
    script = folder / "notebook.py"
    script.write_text(code.replace(hosted, base_url), encoding="utf-8")
    result = run(python, script)
    assert result.returncode == 0, f"{name}, alone, failed:\n{result.stderr[-4000:]}"
    shown = subprocess.run(
        [str(python), "-m", "pip", "show", "symmetry-tasks"], env=reader_env(), capture_output=True, text=True
    )
    assert shown.returncode == 0, "the notebook ran without installing the package"
