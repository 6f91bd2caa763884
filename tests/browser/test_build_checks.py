"""The strict build's own checks fail on what they are meant to catch (here: a printed line too wide)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXT = Path(__file__).resolve().parents[2] / "docs" / "_ext"
OUTPUT = """Example
=======

.. rst-class:: sphx-glr-script-out

 .. code-block:: none

    {line}
"""


def build(tmp_path: Path, line: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\nextensions = ['output_width']\n"
    )
    (tmp_path / "index.rst").write_text(OUTPUT.format(line=line))
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "-q",
        "-b",
        "html",
        str(tmp_path),
        str(tmp_path / "_build"),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_a_printed_line_wider_than_the_column_fails_the_build(tmp_path: Path) -> None:
    sys.path.insert(0, str(EXT))
    from output_width import COLUMN

    fits = build(tmp_path, "x" * COLUMN)
    assert fits.returncode == 0, fits.stderr
    too_wide = build(tmp_path, "y" * (COLUMN + 1))
    assert too_wide.returncode != 0
    assert f"printed line of {COLUMN + 1} characters" in too_wide.stderr, too_wide.stderr
