"""Tests of the figure checks: each one fails on a figure broken in its way, and passes the site's figures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
import pytest

from symmetry_tasks import plotting, shapes
from symmetry_tasks.plotting.quality import (
    COLUMN_PIXELS,
    CSS_DPI,
    figure_problems,
    mark_spatial,
    scene_problems,
    shown_scale,
)
from symmetry_tasks.signals import displacement_signals, x2_minus_y2


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _axes(width: float = 4.0, height: float = 3.0) -> plt.Axes:
    return plt.subplots(figsize=(width, height), layout="constrained")[1]


def test_a_plain_figure_that_fits_has_no_problem():
    ax = _axes()
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title")
    ax.set_xlabel("x")
    assert figure_problems(ax.figure) == []


def test_text_too_small_at_the_shown_size_is_reported():
    ax = _axes()
    ax.set_title("tiny", fontsize=7)
    assert any("7.0 pt" in problem and "'tiny'" in problem for problem in figure_problems(ax.figure))


def test_a_wide_figure_is_shrunk_and_its_text_with_it():
    width = 2 * COLUMN_PIXELS / CSS_DPI  # shown at half size
    ax = _axes(width, 3.0)
    ax.set_axis_off()
    ax.set_title("half size", fontsize=12)
    assert shown_scale(ax.figure) == pytest.approx(0.5)
    (problem,) = [p for p in figure_problems(ax.figure) if "'half size'" in p]
    assert "6.0 pt" in problem
    assert figure_problems(ax.figure, column_pixels=2 * COLUMN_PIXELS) == []


def test_overlapping_texts_are_reported():
    ax = _axes()
    ax.text(0.5, 0.5, "first label", fontsize=10)
    ax.text(0.52, 0.5, "second label", fontsize=10)
    assert "texts 'first label' and 'second label' overlap" in figure_problems(ax.figure)


def test_crowded_tick_labels_are_reported():
    ax = _axes(1.5, 1.5)
    ax.set_xticks(np.linspace(0, 1, 12), [f"{v:.3f}" for v in np.linspace(0, 1, 12)])
    assert any(problem.startswith("texts '0.000' and '0.091'") for problem in figure_problems(ax.figure))


def test_text_off_the_canvas_is_reported():
    ax = _axes()
    ax.set_title("a title much longer than the figure is wide, so that it is cut at both ends")
    problems = figure_problems(ax.figure)
    assert any(problem.endswith("leaves the canvas") for problem in problems)


def test_text_outside_the_view_is_not_drawn_and_not_checked():
    ax = _axes()
    ax.set_xlim(0, 1)
    ax.text(5.0, 0.5, "far away", fontsize=5, clip_on=True)
    ax.annotate("clipped", (5.0, 0.5), annotation_clip=True, fontsize=5)
    problems = figure_problems(ax.figure)
    assert not any("'clipped'" in problem for problem in problems)


def test_a_spatial_axes_at_unequal_scales_is_reported():
    ax = mark_spatial(_axes(6.0, 2.0))
    ax.plot(*shapes.square()[:, :2].T)
    (problem,) = figure_problems(ax.figure)
    assert "unequal axis scales" in problem
    ax.set_aspect("equal")
    assert figure_problems(ax.figure) == []


def test_an_unmarked_axes_may_use_any_scales():
    ax = _axes(6.0, 2.0)
    ax.plot([0, 1], [0, 100])
    assert figure_problems(ax.figure) == []


def test_a_stretched_sphere_in_3d_is_reported():
    figure = plt.figure(figsize=(3.0, 3.0))
    ax = mark_spatial(figure.add_subplot(projection="3d"))
    ax.set_axis_off()
    ax.set_xlim3d(-1, 1)
    ax.set_ylim3d(-1, 1)
    ax.set_zlim3d(-1.2, 1.2)
    ax.set_box_aspect((1, 1, 1))
    (problem,) = figure_problems(figure)
    assert "unequal axis scales" in problem
    ax.set_zlim3d(-1, 1)
    assert figure_problems(figure) == []


def test_the_old_task_7_panels_fail():
    """Task 7's final positions as first published: three panels of a 10-inch figure, a legend under each."""
    figure, axes = plt.subplots(1, 3, figsize=(10.0, 3.6))  # no layout engine: its legends cannot fit
    pairs = ((6, (1.3, 0.8, 1.0)), (4, (1.5, 1.0, 1.0)), (3, (1.5, 1.0, 1.0)))
    for ax, (corners, factors) in zip(axes, pairs, strict=True):
        start = shapes.regular_polygon(corners, 0.8)
        finish = shapes.stretch(start, factors)
        ax.plot(*start[:, :2].T, ":", label="start")
        ax.fill(*finish[:, :2].T, alpha=0.2, label="target")
        ax.plot(*finish[:, :2].T, "X", label="predicted (largest miss 3.1e-07)")
        ax.set_aspect("equal")
        ax.margins(0.15)
        ax.set(title="name", xlabel="x", ylabel="y")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, frameon=False)
    problems = figure_problems(figure)
    assert any("pt at the shown size" in problem for problem in problems)
    assert any(problem.endswith("overlap") for problem in problems)
    assert any(problem.endswith("leaves the canvas") for problem in problems)


def test_a_legend_over_the_data_is_reported():
    ax = _axes()
    ax.plot([0, 1], [0.9, 0.9], label="a line under the legend")
    ax.scatter([0.1], [0.1], label="a point")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", frameon=True)
    (problem,) = figure_problems(ax.figure)
    assert "covers data" in problem and "'a line under the legend'" in problem
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)  # above the axes
    assert figure_problems(ax.figure) == []


def test_a_legend_between_markers_is_not_over_them():
    ax = _axes()
    ax.plot([0.0, 1.0], [0.9, 0.9], "o", label="two markers, nothing between")
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper center")
    assert figure_problems(ax.figure) == []


def test_the_loss_curve_keeps_its_legend_off_the_curves():
    losses = np.r_[np.full(50, 2e-2), 2e-2 * np.exp(-np.arange(150) / 10.0) + 1e-7]
    phases = [(0, 50, "weights only (stuck)"), (50, 200, "weights and input")]
    ax = plotting.loss_curve(losses, floor=2e-2, phases=phases, label="loss")
    assert figure_problems(ax.figure) == []


def test_the_package_figures_pass():
    features = np.zeros((4, 36))
    features[:, 0], features[:, 4:9] = 1.0, 0.05 * np.asarray(x2_minus_y2()[4:9])
    figure, axes = plotting.subplots(1, 3, figsize=(6.4, 3.0))
    for ax, (start, factors) in zip(
        axes,
        (
            (shapes.regular_polygon(6, 0.8), (1.3, 0.8, 1.0)),
            (0.7 * shapes.cube(), (1.5, 1.0, 1.0)),
            (shapes.regular_polygon(3, 0.8), (1.5, 1.0, 1.0)),
        ),
        strict=True,
    ):
        plotting.task_diagram(start, shapes.stretch(start, factors), "a shape", ax=ax)
    for made in (
        figure,
        plotting.task_diagram(shapes.rectangle(), shapes.square(), "Task 1: rectangle to square").figure,
        plotting.positions_over_target(
            shapes.rectangle() + 0.01,
            shapes.rectangle(),
            "Task 3: square to rectangle, x^2 - y^2 input: decoded positions",
            start=shapes.square(),
        ).figure,
        plotting.input_heatmap(features, projections={"x²−y²": x2_minus_y2()}, title="learned input").figure,
        plotting.harmonic_spheres(2, extra={"x^2 - y^2 (not one component)": x2_minus_y2(2)[4:9]}, res=16),
        plotting.subgroup_lattice().figure,
    ):
        assert figure_problems(made) == []


def test_scene_problems_finds_a_trace_beyond_its_range():
    inside = go.Figure(go.Surface(x=[[0, 1]], y=[[0, 1]], z=[[0, 1]]))
    inside.update_layout(scene={"xaxis": {"range": [-1, 1]}, "zaxis": {"range": [0, 1]}})
    assert scene_problems(inside) == []
    inside.update_layout(scene={"zaxis": {"range": [0, 0.5]}})
    (problem,) = scene_problems(inside)
    assert problem.startswith("trace 0 reaches z = 1 in scene")


def test_signal_surfaces_hold_their_traces():
    figure = plotting.signal_surfaces(displacement_signals(0.3 * shapes.square()), shapes.square(), res=12)
    assert scene_problems(figure) == []


def test_the_checks_reject_what_is_not_a_figure():
    with pytest.raises(TypeError, match="matplotlib Figure"):
        figure_problems("figure")
    with pytest.raises(TypeError, match="plotly Figure"):
        scene_problems(plt.figure())
    with pytest.raises(ValueError, match="column_pixels"):
        shown_scale(plt.figure(), column_pixels=0)
    with pytest.raises(TypeError, match="Axes"):
        mark_spatial(None)
