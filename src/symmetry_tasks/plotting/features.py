r"""Per-point input features: a heat map grouped by degree, and a plain-text table of one degree.

The components are the :math:`(l_\max + 1)^2` of e3nn's order, whose polar axis is **y**, each named by
its polynomial, :func:`~symmetry_tasks.polynomials.component_names` (``l = 2``: :math:`xz,\ xy,\ 2y^2 - x^2
- z^2,\ yz,\ z^2 - x^2`, each up to a positive factor).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes

from .._checks import as_lmax, lmax_of_width
from ..polynomials import component_names
from ._arrays import as_array, as_positive
from .style import LIGHT, describe, figure_context, new_axes, signed_colormap

_SUPERSCRIPTS = str.maketrans("2345", "²³⁴⁵")


def _pretty(name: str) -> str:
    """``-x^2 + z^2`` as ``−x² + z²``."""
    out, power = [], False
    for char in name:
        if char == "^":
            power = True
            continue
        out.append(char.translate(_SUPERSCRIPTS) if power else char)
        power = False
    return "".join(out).replace("-", "−")


def _blocks(lmax: int) -> list[slice]:
    return [slice(ell * ell, (ell + 1) ** 2) for ell in range(lmax + 1)]


def _component_labels(lmax: int) -> list[str]:
    """The polynomial of every component up to ``lmax``, as printed (superscripts, minus signs)."""
    return [_pretty(name) for name in component_names(lmax)]


def input_heatmap(
    features: object,
    ax: Axes | None = None,
    *,
    projections: Mapping[str, object] | None = None,
    title: str | None = None,
    vmax: float | None = None,
) -> Axes:
    r"""Show per-point input features as a heat map: one column per point, one row per component.

    Rows are the components, grouped by ``l`` (labelled on the left) and named by their polynomials (on the
    right). The scalar ``l = 0`` row is written as numbers; the other rows are coloured by sign (red
    positive, blue negative) with an opacity that grows with the size, up to ``vmax`` (by default the
    largest size outside the scalar row), so that a small symmetry-breaking part stands out and zero shows
    the background. Optional extra rows, after a gap, hold the projection :math:`x_a \cdot \hat v` of each
    point's features on named directions :math:`\hat v` (normalised here), e.g. the :math:`x^2 - y^2`
    direction, which in e3nn's basis spans two rows.

    Parameters
    ----------
    features : array-like, shape :math:`(N, (l_\max + 1)^2)`
    ax : matplotlib Axes, optional
    projections : mapping of name to array-like of shape :math:`((l_\max + 1)^2,)`, optional
        Non-zero directions to project every point's features on.
    title : str, optional
    vmax : float, optional
        Colour-scale limit; values beyond it saturate.

    Returns
    -------
    matplotlib.axes.Axes
        Its image is :math:`((l_\max + 1)^2 + \text{gap} + P, N)`: components (and projections) by points.

    Examples
    --------
    >>> features = np.zeros((4, 9)); features[:, 0] = 1.0; features[:, 8] = -0.025
    >>> ax = input_heatmap(features, projections={"z²−x²": np.eye(9)[8]})
    >>> len(ax.images), [tick.get_text() for tick in ax.get_yticklabels()][-2:]
    (1, ['−x² + z²', 'z²−x²'])
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    values = as_array(features, "features", 2)
    width = values.shape[1]
    lmax = lmax_of_width(width, "features")
    labels = _component_labels(lmax)
    columns = []
    for name, direction in (projections or {}).items():
        vector = as_array(direction, f"projections[{name!r}]", 1)
        if vector.shape != (width,) or not np.abs(vector).max() > 0:
            raise ValueError(
                f"projections[{name!r}] must be a non-zero vector of length {width}, got {vector.tolist()}"
            )
        columns.append(values @ (vector / np.linalg.norm(vector)))
        labels.append(str(name))
    gap = 1 if columns else 0
    shown = np.full((width + gap + len(columns), len(values)), np.nan)
    shown[1:width] = values[:, 1:].T  # the scalar row 0 is written, not coloured
    for index, column in enumerate(columns):
        shown[width + gap + index] = column
    if vmax is None:
        vmax = float(np.nanmax(np.abs(shown), initial=0.0)) or 1.0
    vmax = as_positive(vmax, "vmax")
    ticks = [*range(width), *range(width + gap, shown.shape[0])]
    with figure_context():
        ax = new_axes(ax, (6.4, 1.6 + 0.165 * shown.shape[0]))
        image = ax.imshow(
            shown, cmap=signed_colormap(), vmin=-vmax, vmax=vmax, aspect="auto", interpolation="nearest"
        )
        for point, value in enumerate(values[:, 0]):
            ax.text(point, 0, f"{value:.2g}", ha="center", va="center", fontsize=8.5)
        for block in _blocks(lmax)[1:]:
            ax.axhline(block.start - 0.5, color=LIGHT.text, lw=1.2)
        ax.yaxis.tick_right()
        ax.set_yticks(ticks, labels, fontsize=8.5)
        ax.xaxis.tick_top()
        ax.set_xticks(range(len(values)), [f"point {i}" for i in range(len(values))], fontsize=9)
        ax.tick_params(length=0)
        side_ticks = [(block.start + block.stop - 1) / 2 for block in _blocks(lmax)]
        side_labels = [f"l = {ell}" for ell in range(lmax + 1)]
        if columns:
            side_ticks.append((width + gap + shown.shape[0] - 1) / 2)
            side_labels.append("proj.")
        side = ax.secondary_yaxis("left")
        side.set_yticks(side_ticks, side_labels, fontsize=9)
        side.tick_params(length=0)
        bar = ax.figure.colorbar(
            image, ax=ax, location="bottom", shrink=0.9, aspect=30, pad=0.02, label="coefficient"
        )
        bar.set_ticks([-vmax, 0.0, vmax], labels=[f"{-vmax:.2g}", "0", f"{vmax:.2g}"])
        if title:
            ax.set_title(title)
    text = (
        f"{title + ': ' if title else ''}a heat map of {width} components (rows, grouped by degree l = 0 to "
        f"{lmax} and named by their polynomials) by {len(values)} points (columns); the scalar row holds "
        f"{', '.join(f'{v:.2g}' for v in values[:, 0])}"
    )
    if width > 1:
        strongest = labels[1 + int(np.abs(values[:, 1:]).mean(axis=0).argmax())]
        text += f"; of the other components, {strongest} is the largest on average"
    if columns:
        text += f"; projections on {', '.join(map(str, projections or {}))} follow after a gap"
    describe(ax.figure, text + ".")
    return ax


def input_table(features: object, degree: int, decimals: int = 3) -> str:
    r"""The block of degree :math:`l` of per-point features as a plain-text table, one row per point.

    Parameters
    ----------
    features : array-like, shape :math:`(N, (l_\max + 1)^2)`
    degree : int
        Which block :math:`l`, with :math:`0 \le l \le l_\max`.
    decimals : int
        Rounding of the printed numbers.

    Examples
    --------
    >>> features = np.zeros((2, 9)); features[:, 0] = 1.0; features[:, 8] = -0.025
    >>> print(input_table(features, 2))
    point      xz      xy  −x² + 2y² − z²      yz  −x² + z²
        0   0.000   0.000           0.000   0.000    -0.025
        1   0.000   0.000           0.000   0.000    -0.025
    """
    values = as_array(features, "features", 2)
    lmax = lmax_of_width(values.shape[1], "features")
    degree = as_lmax(degree)
    if degree > lmax:
        raise ValueError(f"degree must be at most lmax = {lmax} of the features, got {degree}")
    block = _blocks(lmax)[degree]
    labels = [_pretty(name) for name in component_names(degree)[block]]
    widths = [max(decimals + 3, len(label)) + 2 for label in labels]
    lines = ["point" + "".join(label.rjust(width) for label, width in zip(labels, widths, strict=True))]
    for index, row in enumerate(values[:, block].round(decimals)):
        cells = "".join(
            f"{value + 0.0:{width}.{decimals}f}" for value, width in zip(row, widths, strict=True)
        )
        lines.append(f"{index:5d}" + cells)
    return "\n".join(lines)
