"""Downloads that run: the site serves the package's wheel, and every download says how to install it.

* ``builder-inited``: build the wheel of the package (``pip wheel`` on a clean copy of the project,
  offline and without build isolation) into the gallery's folder, where the landing page and the
  gallery index link it (``|wheel|``, defined in ``conf.py``) and the zip files pick it up.
* ``env-updated``, once sphinx-gallery has written the notebooks and every page is read: the
  notebooks' Markdown gets Markdown links instead of Sphinx roles (``:func:`...```, ``:doc:`...``)
  and ends with the citation of the paper and the tutorial (``citation.markdown``),
  each downloadable script starts with a comment that says how to install the package, and every zip
  file of the gallery (one per example, and the two "download all" zips) is written again with the
  wheel inside.

* ``build-finished``: the wheel is also served at a fixed address, ``wheel/<wheel>``, where a
  notebook downloaded alone finds it.

The notebooks' first cell (sphinx-gallery's ``first_notebook_cell``) is :func:`install_cell`: it
installs the wheel next to the notebook, or else the site's (its address is built from
``html_baseurl``, the one place that names the site's address).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import citation
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

DISTRIBUTION = "symmetry-tasks"
# What the wheel is built from, relative to the project's root.
PROJECT_FILES = ("pyproject.toml", "README.md", "src")
# Zip entries get this date, so that two builds write the same bytes (1980-01-01, zip's epoch).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _torch_note(pip: str) -> str:
    return (
        "torch: on Linux, pip's default torch is the CUDA build (several GB). For the CPU build, first run\n"
        f"    {pip} install torch --index-url https://download.pytorch.org/whl/cpu\n"
    )


def wheel_name(version: str) -> str:
    """The file name of the package's wheel (pure Python, any platform)."""
    return f"{DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl"


def _commented(text: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines())


#: Where the site serves the wheel, at a fixed address (relative to the site's root): a notebook
#: downloaded alone installs it from there.
WHEEL_FOLDER = "wheel"


def wheel_url(base_url: str, wheel: str) -> str:
    """The wheel's address on the site hosted at ``base_url`` (``conf.py``'s ``html_baseurl``)."""
    return f"{base_url.rstrip('/')}/{WHEEL_FOLDER}/{wheel}"


def install_cell(wheel: str, base_url: str) -> str:
    """The first cell of every notebook: it installs the wheel next to the notebook, or else the
    wheel the site at ``base_url`` serves.

    Plain Python (pip run by the kernel's own interpreter, which is what ``%pip`` does), so that the
    notebook also runs as a script.
    """
    if not base_url:
        raise ValueError("the notebooks need the site's address: set html_baseurl in conf.py")
    return (
        _commented(
            "This notebook uses the symmetry_tasks package. This cell installs it, with torch, e3nn, numpy,\n"
            "scipy, matplotlib and plotly: from the wheel next to this notebook if there is one (the\n"
            "gallery's zip files hold it), or else from the site.\n" + _torch_note("%pip")
        )
        + "import pathlib\nimport subprocess\nimport sys\n\n"
        + f'wheel = "{wheel}"\n'
        + "if not pathlib.Path(wheel).is_file():\n"
        + f'    wheel = "{wheel_url(base_url, wheel)}"\n'
        + 'subprocess.run([sys.executable, "-m", "pip", "install", wheel], check=True)'
    )


def install_header(wheel: str) -> str:
    """The comment each downloadable script starts with."""
    return _commented(
        "This script uses the symmetry_tasks package. Its wheel is in the gallery's zip files and under\n"
        '"Get the code" on the landing page of the site. Install it, with torch, e3nn, numpy, scipy,\n'
        "matplotlib and plotly:\n"
        f"    python -m pip install {wheel}\n" + _torch_note("python -m pip")
    )


def _gallery_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.sphinx_gallery_conf["gallery_dirs"][0]


def build_wheel(app: Sphinx) -> None:
    """Build the package's wheel into the gallery folder, from a clean copy of the project."""
    wheel = wheel_name(app.config.release)
    target = _gallery_dir(app)
    target.mkdir(parents=True, exist_ok=True)
    root = Path(app.confdir).parent
    with tempfile.TemporaryDirectory() as scratch:
        project, built = Path(scratch, "project"), Path(scratch, "wheel")
        for name in PROJECT_FILES:
            source = root / name
            if source.is_dir():
                shutil.copytree(
                    source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
                )
            else:
                project.mkdir(exist_ok=True)
                shutil.copyfile(source, project / name)
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}  # reproducible timestamps (1980-01-01)
        run = subprocess.run(
            [*command, "-w", str(built), str(project)], capture_output=True, text=True, env=env
        )
        if run.returncode != 0:
            raise ExtensionError(f"building the wheel failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
        produced = sorted(path.name for path in built.glob("*.whl"))
        if produced != [wheel]:
            raise ExtensionError(f"expected the wheel {wheel}, pip built {produced}")
        shutil.copyfile(built / wheel, target / wheel)


# :role:`target`, :role:`~target` or :role:`text <target>`, with an optional domain (py:func).
_ROLE = re.compile(r":(?:py:)?(?P<role>[a-z]+):`(?P<body>[^`]+)`")
_CALLABLE_ROLES = {"func", "meth"}


class _Links:
    """Markdown for the Sphinx roles of one gallery notebook: links where the site's URL is known."""

    def __init__(self, env: BuildEnvironment, gallery: str, examples: set[str], base_url: str) -> None:
        self.objects = env.get_domain("py").objects
        self.titles = env.titles
        self.gallery, self.examples = gallery, examples
        self.base = base_url.rstrip("/") + "/" if base_url else ""

    def _page(self, text: str, docname: str, anchor: str = "") -> str:
        return f"[{text}]({self.base}{docname}.html{anchor})" if self.base else text

    def doc(self, body: str, text: str | None) -> str:
        target = body.strip()
        docname = target.lstrip("/") if target.startswith("/") else f"{self.gallery}/{target}"
        title = text or (self.titles[docname].astext() if docname in self.titles else target)
        if docname in self.examples:  # a sibling notebook, next to this one in the zip files
            return f"[{title}]({Path(docname).name}.ipynb)"
        return self._page(title, docname) if self.base else f"*{title}*"

    def python(self, role: str, body: str, text: str | None) -> str:
        short = body.startswith("~")
        name = body.lstrip("~")
        shown = text or (name.rsplit(".", 1)[-1] if short else name)
        if role in _CALLABLE_ROLES and not text:
            shown += "()"
        entry = self.objects.get(name)
        code = f"`{shown}`"
        return self._page(code, entry.docname, f"#{entry.node_id}") if entry and self.base else code

    def __call__(self, match: re.Match) -> str:
        role, body = match["role"], match["body"]
        explicit = re.fullmatch(r"(?s)(?P<text>.*?)\s*<(?P<target>[^<>]+)>", body)
        text, target = (explicit["text"], explicit["target"]) if explicit else (None, body)
        if role == "doc":
            return self.doc(target, text)
        if role == "group":  # a point group, linked to its page of the atlas
            return self._page(target, f"point_groups/{target}")
        if role in {"func", "meth", "class", "data", "attr", "mod", "obj", "exc", "const"}:
            return self.python(role, target, text)
        return text or target  # a role with no meaning outside Sphinx (sub, sup, abbr, ...)


def _finish_notebook(notebook: Path, links: _Links, closing: str) -> None:
    """Markdown links for the notebook's Sphinx roles, and ``closing`` as its last Markdown cell."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    changed = False
    last = content["cells"][-1] if content["cells"] else None
    if last is None or "".join(last["source"]) != closing:
        content["cells"].append(
            {"cell_type": "markdown", "metadata": {}, "source": closing.splitlines(keepends=True)}
        )
        changed = True
    for cell in content["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        converted = _ROLE.sub(links, source)
        if converted != source:
            cell["source"] = converted.splitlines(keepends=True)
            changed = True
    if changed:
        notebook.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _prepend_header(script: Path, header: str) -> None:
    text = script.read_text(encoding="utf-8")
    if not text.startswith(header):
        script.write_text(header + "\n" + text, encoding="utf-8")


def _write_zip(path: Path, files: list[Path]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.writestr(zipfile.ZipInfo(file.name, ZIP_DATE), file.read_bytes(), zipfile.ZIP_DEFLATED)


def finish_downloads(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Markdown links in the notebooks, an install note atop each script, the wheel in every zip."""
    gallery = _gallery_dir(app)
    wheel = gallery / wheel_name(app.config.release)
    scripts = sorted(path for path in gallery.glob("*.py") if path.with_suffix(".ipynb").is_file())
    name = gallery.name
    links = _Links(env, name, {f"{name}/{script.stem}" for script in scripts}, app.config.html_baseurl)
    header = install_header(wheel.name)
    for script in scripts:
        _finish_notebook(script.with_suffix(".ipynb"), links, citation.markdown())
        _prepend_header(script, header)
        _write_zip(script.with_suffix(".zip"), [script, script.with_suffix(".ipynb"), wheel])
    _write_zip(gallery / f"{name}_python.zip", [*scripts, wheel])
    _write_zip(
        gallery / f"{name}_jupyter.zip", [*(script.with_suffix(".ipynb") for script in scripts), wheel]
    )
    return []


def serve_wheel(app: Sphinx, exception: Exception | None) -> None:
    """Copy the wheel to its fixed address in the built site (:data:`WHEEL_FOLDER`)."""
    if exception is not None or app.builder.format != "html":
        return
    wheel = wheel_name(app.config.release)
    target = Path(app.outdir) / WHEEL_FOLDER
    target.mkdir(exist_ok=True)
    shutil.copyfile(_gallery_dir(app) / wheel, target / wheel)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", build_wheel)
    app.connect("build-finished", serve_wheel)
    app.connect("env-updated", finish_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
