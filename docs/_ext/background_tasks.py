"""Train the crystal experiment in a second process while the gallery's other pages run.

The perovskite page (``gallery/11_perovskite_order_parameter.py``) trains the paper's network, which
takes longer than the ten other pages together. When ``SYMMETRY_TASKS_CACHE`` names a directory (as in
``nox -s docs``), this extension starts, as the build begins, a Python process that runs
:func:`symmetry_tasks.tasks.perovskite_tilts` with the page's arguments and stores its result in that
cache. The page, when its turn comes, makes the same call: it waits for the lock the process holds on
that result, then reads it (``symmetry_tasks._cache``), so the experiment is still trained once, on the
second core, beside the pages before it. Without the variable nothing is started and the page trains
as usual.

At the end of the build the process is waited for; if it failed, its error output becomes a build
warning (the page will have trained itself, and raised if the experiment is broken).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: What the process runs: the call of the perovskite page, whose result the page then reads.
EXPERIMENT = "from symmetry_tasks.tasks import perovskite_tilts; perovskite_tilts('a+b-b-')"
#: Started before sphinx-gallery runs the examples (its handler has the default priority, 500).
PRIORITY = 100
#: The process started by this build, and the file its output goes to.
_started: list[tuple[subprocess.Popen, Path]] = []


def _start(app: Sphinx) -> None:
    folder = os.environ.get("SYMMETRY_TASKS_CACHE")
    if not folder:
        return
    log = Path(folder) / "background-perovskite.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", EXPERIMENT],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
    _started.append((process, log))


def _finish(app: Sphinx, exception: Exception | None) -> None:
    while _started:
        process, log = _started.pop()
        if exception is not None:
            process.terminate()
        if process.wait() != 0 and exception is None:
            logger.warning("the background perovskite experiment failed:\n%s", log.read_text()[-4000:])


def setup(app: Sphinx) -> dict[str, bool]:
    app.connect("builder-inited", _start, priority=PRIORITY)
    app.connect("build-finished", _finish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
