"""The notebooks the site offers for download run top to bottom in a fresh Python process.

A fresh interpreter stands in for a fresh kernel: the code cells run in order, in an empty working
directory, with only the installed package to rely on. The first cell says how to install it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def notebook_of(site: Path, gallery_path: str) -> Path:
    """The downloadable notebook of a task page (sphinx-gallery puts it under ``_downloads/<hash>/``)."""
    name = Path(gallery_path).with_suffix(".ipynb").name
    found = sorted((site / "_downloads").glob(f"*/{name}"))
    assert len(found) == 1, f"expected one {name} in _downloads, found {found}"
    return found[0]


def test_notebook_runs_top_to_bottom(site: Path, gallery_path: str, tmp_path: Path) -> None:
    notebook = json.loads(notebook_of(site, gallery_path).read_text(encoding="utf-8"))
    cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    first = "".join(cells[0]["source"])
    assert "pip install" in first, f"the first cell does not say how to install the package:\n{first}"
    magics = [line for cell in cells for line in "".join(cell["source"]).splitlines() if line.startswith("%")]
    assert not magics, f"active IPython magics would stop a plain run: {magics}"
    script = tmp_path / "notebook.py"
    script.write_text("\n\n".join("".join(cell["source"]) for cell in cells), encoding="utf-8")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, f"{gallery_path} notebook failed:\n{run.stderr[-4000:]}"
