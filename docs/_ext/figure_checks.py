"""Every figure the site shows is checked as it is made; a figure that would not read fails the build.

The checks are :func:`symmetry_tasks.plotting.quality.figure_problems` (matplotlib: text too small at
the shown size, overlapping or cut off; spatial axes at unequal scales) and
:func:`symmetry_tasks.plotting.quality.scene_problems` (plotly: a trace beyond its scene's ranges).
Each problem is a Sphinx warning naming the page and the figure, so the strict build (``-W``) fails.

* Gallery pages: :func:`checked_matplotlib_scraper` and :func:`checked_plotly_scraper` are the image
  scrapers of ``conf.py``; each checks the block's figures and then hands them to the scraper it wraps
  (``figures.matplotlib_svg_scraper``, ``figures.plotly_thumbnail_scraper``).
* Figures of the ``.. plot::`` directive (theory and atlas pages): matplotlib's directive offers no hook
  after a figure is drawn, so this extension wraps the function that runs a plot's code
  (``plot_directive._run_code``) and checks the figures it leaves open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import figures
import matplotlib.pyplot as plt
import plotly.graph_objects as go
from matplotlib.sphinxext import plot_directive
from sphinx.application import Sphinx
from sphinx.util import logging

from symmetry_tasks.plotting.quality import figure_problems, scene_problems

logger = logging.getLogger(__name__)


def _warn(where: str, figure_number: int, problems: list[str]) -> None:
    for problem in problems:
        logger.warning("%s, figure %d: %s", where, figure_number, problem, type="figure", subtype="quality")


def _figures_so_far(block_vars: dict[str, Any]) -> int:
    return len(block_vars["image_path_iterator"])


def checked_matplotlib_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """Check each open matplotlib figure, then save it with ``figures.matplotlib_svg_scraper``."""
    where = Path(block_vars["src_file"]).name
    for offset, number in enumerate(plt.get_fignums(), start=1):
        _warn(where, _figures_so_far(block_vars) + offset, figure_problems(plt.figure(number)))
    return figures.matplotlib_svg_scraper(block, block_vars, gallery_conf)


def checked_plotly_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """Check a plotly figure that ends the block, then count it with ``figures.plotly_thumbnail_scraper``."""
    shown = block_vars["example_globals"].get("___")
    if isinstance(shown, go.Figure) and figures._ends_with_expression(block.content):
        where = Path(block_vars["src_file"]).name
        _warn(where, _figures_so_far(block_vars) + 1, scene_problems(shown))
    return figures.plotly_thumbnail_scraper(block, block_vars, gallery_conf)


def _checking_run_code(run_code: Any) -> Any:
    """``plot_directive._run_code`` that checks the figures the code leaves open."""

    def run(code: str, code_path: str, ns: dict | None = None, function_name: str | None = None) -> Any:
        result = run_code(code, code_path, ns, function_name)
        for index, number in enumerate(plt.get_fignums(), start=1):
            _warn(Path(code_path).name, index, figure_problems(plt.figure(number)))
        return result

    run.checks_figures = True
    return run


def setup(app: Sphinx) -> dict[str, bool]:
    if not getattr(plot_directive._run_code, "checks_figures", False):
        plot_directive._run_code = _checking_run_code(plot_directive._run_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
