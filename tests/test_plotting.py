"""Tests of the shared figures: what they draw, what they reject, and that they leave no global state."""

from __future__ import annotations

import io
import json
import re

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from symmetry_tasks import plotting
from symmetry_tasks.plotting import DARK, LIGHT
from symmetry_tasks.polynomials import component_names
from symmetry_tasks.shapes import rectangle, regular_polygon, square
from symmetry_tasks.signals import displacement_signals, signal_irreps


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_task_diagram_draws_two_outlines_and_one_arrow_per_point():
    start, finish = regular_polygon(5), 1.5 * regular_polygon(5)
    ax = plotting.task_diagram(start, finish, "five")
    assert len(ax.lines) == 2
    assert len(ax.texts) == 5
    for line in ax.lines:  # closed outlines: first point repeated at the end
        xy = line.get_xydata()
        assert len(xy) == 6
        np.testing.assert_allclose(xy[0], xy[-1])
    arrows = sorted((tuple(t.xy), tuple(t.xyann)) for t in ax.texts)
    expected = sorted(
        (tuple(f), tuple(s)) for s, f in zip(start[:, :2].tolist(), finish[:, :2].tolist(), strict=True)
    )
    np.testing.assert_allclose(np.array(arrows), np.array(expected))
    assert ax.get_aspect() == 1.0
    assert ax.get_title() == "five"


def test_task_diagram_outline_does_not_self_intersect_for_shuffled_points():
    shuffled = square()[[0, 2, 1, 3]]
    ax = plotting.task_diagram(shuffled, shuffled * 2, "shuffled")
    xy = ax.lines[0].get_xydata()[:-1]
    edges = np.linalg.norm(np.diff(np.concatenate([xy, xy[:1]]), axis=0), axis=1)
    np.testing.assert_allclose(edges, 1.0)  # the four unit sides, no diagonal


def test_task_diagram_draws_on_a_given_axes():
    _, axes = plt.subplots(1, 2)
    returned = plotting.task_diagram(rectangle(), square(), "left", ax=axes[0])
    assert returned is axes[0]
    assert len(axes[1].lines) == 0


def test_task_diagram_rejects_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        plotting.task_diagram(square(), square()[:3], "t")
    with pytest.raises(ValueError, match=r"start \(4, 3\) and finish \(3, 3\)"):
        plotting.task_diagram(square(), square()[:3], "t")
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        plotting.task_diagram(np.zeros((4, 4)), np.zeros((4, 4)), "t")
    with pytest.raises(ValueError, match="finite"):
        plotting.task_diagram(np.full((4, 3), np.nan), square(), "t")
    with pytest.raises(TypeError, match="Axes"):
        plotting.task_diagram(square(), square(), "t", ax="left")


def test_loss_curve_plots_every_loss_on_a_log_scale():
    losses = np.geomspace(1.0, 1e-5, 50)
    ax = plotting.loss_curve(losses, label="run")
    assert ax.get_yscale() == "log"
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_ydata(), losses)
    np.testing.assert_allclose(line.get_xdata(), np.arange(50))


def test_loss_curve_floor_phases_and_overlay():
    losses = np.geomspace(1.0, 1e-3, 30)
    ax = plotting.loss_curve(losses, floor=2e-3, phases=[(0, 10, "stuck"), (10, 30, "alternating")])
    floor_line = ax.lines[1]
    np.testing.assert_allclose(floor_line.get_ydata(), [2e-3, 2e-3])
    assert len(ax.patches) == 2
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "stuck" in legend
    assert "alternating" in legend
    plotting.loss_curve(losses / 2, ax=ax, label="second")
    assert len(ax.lines) == 3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"losses": [1.0, 0.0]}, "positive"),
        ({"losses": [1.0, -1.0]}, "positive"),
        ({"losses": [[1.0, 0.5]]}, "dimension"),
        ({"losses": []}, "empty"),
        ({"losses": [1.0, float("nan")]}, "finite"),
        ({"losses": [1.0, 0.5], "floor": 0.0}, "floor"),
        ({"losses": [1.0, 0.5], "phases": [(0, 5, "too long")]}, "phase"),
        ({"losses": [1.0, 0.5], "phases": [(1, 1, "empty")]}, "phase"),
        ({"losses": [1.0, 0.5], "phases": [(0, 1)]}, "phase"),
    ],
)
def test_loss_curve_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.loss_curve(**kwargs)


def test_positions_over_target_draws_target_points_and_errors():
    target = rectangle()
    predicted = target + 0.01
    ax = plotting.positions_over_target(predicted, target, "end", start=square())
    (polygon,) = ax.patches
    assert {tuple(p) for p in np.round(polygon.get_xy()[:4], 12)} == {
        tuple(p) for p in target[:, :2].tolist()
    }
    markers = [line for line in ax.lines if line.get_marker() == "X"]
    (marker_line,) = markers
    np.testing.assert_allclose(marker_line.get_xydata(), predicted[:, :2].numpy())
    assert len(ax.lines) == 1 + 4 + 1  # start outline, error segments, predicted markers
    largest_miss = float(np.linalg.norm(predicted - target, axis=1).max())
    assert f"largest miss {largest_miss:.1e}" in ax.get_title()


def test_final_positions_draws_a_results_prediction_over_its_target():
    result = type("Result", (), {"name": "t", "positions": square(), "target_positions": rectangle()})()
    result.predicted = rectangle() + 0.01
    ax = plotting.final_positions(result)
    assert ax.get_title().splitlines() == ["t: decoded positions", "largest miss 1.7e-02"]
    (marker_line,) = [line for line in ax.lines if line.get_marker() == "X"]
    np.testing.assert_allclose(marker_line.get_xydata(), result.predicted[:, :2].numpy())


def test_positions_over_target_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        plotting.positions_over_target(square()[:3], square(), "t")
    with pytest.raises(ValueError, match=r"start \(2, 3\)"):
        plotting.positions_over_target(square(), square(), "t", start=square()[:2])


def test_signal_surfaces_one_surface_per_signal_plus_markers():
    signals = displacement_signals(0.3 * square())
    figure = plotting.signal_surfaces(
        signals, square(), markers={"square": square(), "rectangle": rectangle()}
    )
    kinds = [trace.type for trace in figure.data]
    assert kinds == ["surface"] * 4 + ["scatter3d"] * 2
    assert [trace.name for trace in figure.data[4:]] == ["square", "rectangle"]
    scene = figure.layout.scene
    spans = np.array([axis.range[1] - axis.range[0] for axis in (scene.xaxis, scene.yaxis, scene.zaxis)])
    ratios = np.array([scene.aspectratio[name] for name in "xyz"])
    np.testing.assert_allclose(spans / ratios, spans[0] / ratios[0])  # one scale on all axes: true shapes
    for axis, name in zip((scene.xaxis, scene.yaxis, scene.zaxis), "xyz", strict=True):
        for trace in figure.data:
            values = np.asarray(getattr(trace, name), dtype=float)
            assert axis.range[0] <= values.min() and values.max() <= axis.range[1]  # nothing clipped
    assert figure.layout.paper_bgcolor == LIGHT.background
    assert not any(trace.showscale for trace in figure.data[:4])
    assert figure.layout.showlegend is True
    assert plotting.signal_surfaces(displacement_signals(0.3 * square())).layout.showlegend is False


def test_signal_surface_radius_is_the_signal_magnitude():
    signal = torch.randn(36, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    center = np.array([[0.5, -1.0, 2.0]])
    figure = plotting.signal_surfaces(signal[None], center, res=12, scale=2.0, decimals=10)
    surface = figure.data[0]
    xyz = np.stack([np.array(surface.x), np.array(surface.y), np.array(surface.z)], axis=-1) - center[0]
    radius = np.linalg.norm(xyz, axis=-1)
    direction = torch.tensor(xyz / radius[..., None])
    value = signal_irreps(5).signal_xyz(signal, direction).numpy()
    np.testing.assert_allclose(radius, 2.0 * np.abs(value), atol=1e-8)
    np.testing.assert_allclose(np.array(surface.surfacecolor), value, atol=1e-8)
    assert surface.cmin == -surface.cmax


def test_signal_surface_colour_scale_is_centred_at_cmid():
    signal = torch.zeros(9, dtype=torch.float64)
    signal[0], signal[8] = 1.0, 0.1
    figure = plotting.signal_surfaces(signal, cmid=0.28, decimals=10)
    surface = figure.data[0]
    assert (surface.cmin + surface.cmax) / 2 == pytest.approx(0.28)
    colours = np.array(surface.surfacecolor)
    assert surface.cmin - 1e-9 <= colours.min() and colours.max() <= surface.cmax + 1e-9
    assert (
        min(abs(surface.cmin - colours.min()), abs(surface.cmax - colours.max())) < 1e-6
    )  # tight at one end


def test_signal_surface_reaches_furthest_along_the_displacement():
    displacement = torch.tensor([[0.3, -0.4, 0.5]], dtype=torch.float64)
    figure = plotting.signal_surfaces(displacement_signals(displacement), res=48, relu=True)
    surface = figure.data[0]
    xyz = np.stack([np.array(surface.x), np.array(surface.y), np.array(surface.z)], axis=-1).reshape(-1, 3)
    tip = xyz[np.linalg.norm(xyz, axis=1).argmax()]
    cosine = tip @ displacement[0].numpy() / np.linalg.norm(tip) / float(displacement.norm())
    assert cosine > 0.99
    assert np.linalg.norm(tip) == pytest.approx(float(displacement.norm()), rel=0.02)


def test_signal_surfaces_stay_small_enough_for_a_page():
    # measured 86.6 kB for four surfaces on the default 19 x 37 grid (10-degree steps) with the trimmed
    # template; 177 kB on the former 40 x 41 grid with all of plotly_white
    figure = plotting.signal_surfaces(displacement_signals(0.3 * square()), square())
    assert len(json.dumps(figure.to_plotly_json(), default=str)) < 100_000
    assert figure.layout.template.data.surface == ()  # no per-trace defaults on the page


def test_signal_surface_grid_has_one_step_in_both_angles():
    figure = plotting.signal_surfaces(displacement_signals(0.3 * square()), res=12, decimals=10)
    xyz = np.stack([np.array(figure.data[0][name]) for name in "xyz"], axis=-1)
    assert xyz.shape == (7, 13, 3)
    unit = xyz / np.linalg.norm(xyz, axis=-1, keepdims=True)
    polar = np.arccos(np.clip(unit[:, 0, 1], -1, 1))  # e3nn's polar axis is y
    np.testing.assert_allclose(np.diff(polar), 2 * np.pi / 12, atol=1e-8)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"signals": np.ones((4, 10))}, "width 10"),
        ({"signals": np.ones((4, 9)), "centers": np.zeros((3, 3))}, "centers"),
        ({"signals": np.ones((4, 9)), "res": 4}, "res"),
        ({"signals": np.ones((4, 9)), "scale": -1.0}, "scale"),
        ({"signals": np.ones((4, 9)), "markers": {"bad": np.zeros((2, 2))}}, "markers"),
        ({"signals": np.ones((2, 2, 9))}, "dimension"),
        ({"signals": np.ones((4, 9)), "cmid": float("nan")}, "cmid"),
    ],
)
def test_signal_surfaces_reject_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.signal_surfaces(**kwargs)


def test_input_heatmap_colours_all_but_the_scalar_on_a_symmetric_scale():
    features = np.zeros((4, 36))
    features[:, 0] = 1.0
    features[:, 6] = -0.02
    features[:, 8] = -0.01
    ax = plotting.input_heatmap(features, title="learned")
    (image,) = ax.images
    shown = np.ma.getdata(image.get_array())  # components by points
    assert np.isnan(shown[0]).all()  # the scalar row is written out instead
    np.testing.assert_allclose(shown[1:], features[:, 1:].T)
    assert [text.get_text() for text in ax.texts] == ["1"] * 4
    low, high = image.get_clim()
    assert low == -high == pytest.approx(-0.02)  # set by the l >= 1 part, not by the scalar 1
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels[:9] == ["1", "x", "y", "z", "xz", "xy", "−x² + 2y² − z²", "yz", "−x² + z²"]
    # every component is named by its polynomial, at every degree
    names = component_names(5)
    assert len(labels) == len(names) == 36
    for label, name in zip(labels, names, strict=True):
        written = re.sub(r"\^(\d)", lambda m: "⁰¹²³⁴⁵"[int(m[1])], name)
        assert label.replace("−", "-") == written


def test_input_heatmap_projection_rows_hold_the_projections():
    features = np.random.default_rng(1).normal(size=(3, 9))
    direction = np.arange(9.0)
    ax = plotting.input_heatmap(features, projections={"ramp": direction, "scalar": 5 * np.eye(9)[0]})
    shown = np.ma.getdata(ax.images[0].get_array())
    assert shown.shape == (9 + 1 + 2, 3)
    assert np.isnan(shown[9]).all()  # the blank gap row
    np.testing.assert_allclose(shown[1:9], features[:, 1:].T)
    np.testing.assert_allclose(shown[10], features @ direction / np.linalg.norm(direction))
    np.testing.assert_allclose(shown[11], features[:, 0])
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels[-2:] == ["ramp", "scalar"]


def test_input_heatmap_rejects_bad_input():
    with pytest.raises(ValueError, match="projections"):
        plotting.input_heatmap(np.ones((4, 9)), projections={"short": np.ones(4)})
    with pytest.raises(ValueError, match="non-zero"):
        plotting.input_heatmap(np.ones((4, 9)), projections={"zero": np.zeros(9)})
    with pytest.raises(ValueError, match="width 7"):
        plotting.input_heatmap(np.ones((4, 7)))
    with pytest.raises(ValueError, match="vmax"):
        plotting.input_heatmap(np.ones((4, 9)), vmax=0.0)


def test_input_table_rows_hold_the_rounded_block():
    features = np.random.default_rng(0).normal(size=(3, 16))
    for degree in range(4):
        lines = plotting.input_table(features, degree, decimals=4).splitlines()
        assert len(lines) == 1 + 3
        block = slice(degree**2, (degree + 1) ** 2)
        numbers = np.array([[float(cell) for cell in line.split()[1:]] for line in lines[1:]])
        np.testing.assert_allclose(numbers, features[:, block].round(4))


def test_input_table_rejects_a_degree_above_lmax():
    with pytest.raises(ValueError, match="degree"):
        plotting.input_table(np.ones((2, 9)), 3)


def test_figures_leave_global_matplotlib_state_alone():
    before = dict(mpl.rcParams)
    plotting.task_diagram(rectangle(), square(), "t")
    plotting.loss_curve([1.0, 0.1], floor=0.01)
    plotting.positions_over_target(square(), square(), "t")
    plotting.input_heatmap(np.ones((4, 9)))
    assert dict(mpl.rcParams) == before


# -- Themes and alt texts --------------------------------------------------------------------------

_HEX = re.compile(r"(?:fill|stroke)\s*[:=]\s*\"?\s*(#[0-9a-fA-F]{6})")


def _palette_colours(palette: plotting.Palette) -> set[str]:
    colours = set()
    for value in vars(palette).values():
        colours.update([value] if isinstance(value, str) else value)
    return {colour.lower() for colour in colours}


def _figures() -> dict[str, mpl.figure.Figure]:
    features = np.zeros((4, 36))
    features[:, 0], features[:, 8] = 1.0, -0.02
    figure, axes = plotting.subplots(1, 2, figsize=(6.0, 3.0))
    plotting.task_diagram(rectangle(), square(), "left", ax=axes[0])
    plotting.positions_over_target(square() + 0.01, square(), "right", ax=axes[1], start=rectangle())
    return {
        "task_diagram": plotting.task_diagram(rectangle(), square(), "t").figure,
        "loss_curve": plotting.loss_curve(
            np.geomspace(1, 1e-3, 20), floor=1e-4, phases=[(0, 10, "a"), (10, 20, "b")], label="x"
        ).figure,
        "overlaid losses": plotting.loss_curve(
            [1.0, 0.5], ax=plotting.loss_curve([1.0, 0.1]), label="2"
        ).figure,
        "positions_over_target": plotting.positions_over_target(
            square() + 0.01, square(), "t", start=rectangle()
        ).figure,
        "input_heatmap": plotting.input_heatmap(features, projections={"p": np.eye(36)[8]}, title="t").figure,
        "harmonic_spheres": plotting.harmonic_spheres(1, res=12),
        "static_surfaces": plotting.static_surfaces(
            plotting.signal_surfaces(
                displacement_signals(0.3 * square()), square(), res=8, markers={"s": square()}
            )
        ).figure,
        "subplots": figure,
    }


@pytest.fixture(scope="module")
def saved_svgs() -> dict[str, str]:
    svgs = {}
    for name, figure in _figures().items():
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        svgs[name] = buffer.getvalue()
    plt.close("all")
    return svgs


def test_every_colour_of_a_figure_comes_from_the_light_palette(saved_svgs):
    """What a figure paints as vector (all but images and 3-D surfaces, which are pixels) is a palette colour."""
    allowed = _palette_colours(LIGHT)
    for name, svg in saved_svgs.items():
        painted = {colour.lower() for colour in _HEX.findall(svg)}
        assert painted, name
        assert painted <= allowed, f"{name} paints colours outside the palette: {sorted(painted - allowed)}"


def test_the_dark_twin_paints_only_dark_colours(saved_svgs):
    light_only = _palette_colours(LIGHT) - _palette_colours(DARK)
    for name, svg in saved_svgs.items():
        dark = plotting.recolor_svg(svg, "dark")
        painted = {colour.lower() for colour in _HEX.findall(dark)}
        assert painted <= _palette_colours(DARK), name
        assert not painted & light_only, name
        assert len(dark) == len(svg)  # colours swapped one for one, nothing else touched
        assert DARK.background in dark, name


def test_recolor_svg_keeps_ids_and_unknown_colours():
    svg = '<use xlink:href="#d55e00a"/><path style="fill: #123456; stroke: #D55E00"/>'
    assert plotting.recolor_svg(svg, "light") == svg
    assert plotting.recolor_svg(svg, "dark") == svg.replace("#D55E00", DARK.finish)
    with pytest.raises(ValueError, match="'sepia'"):
        plotting.recolor_svg(svg, "sepia")


def test_every_figure_describes_itself(saved_svgs):
    for name, figure in _figures().items():
        text = plotting.description(figure)
        assert len(text) > 40, (name, text)
        assert "sphx_glr" not in text and "_" not in text.split(":")[0], (name, text)
    plt.close("all")


def test_descriptions_state_what_was_drawn():
    ax = plotting.loss_curve(np.geomspace(1.0, 1e-3, 50), floor=1e-4, label="run")
    text = plotting.description(ax.figure)
    assert "50 steps" in text and "1.00e+00" in text and "1.00e-03" in text and "floor 1.0000e-04" in text
    ax = plotting.positions_over_target(square() + 0.25, square(), "end")
    assert "4.3e-01 away" in plotting.description(ax.figure)  # |(0.25, 0.25, 0.25)| = 0.433
    plotting.describe(ax.figure, "Replaced.", replace=True)
    assert plotting.description(ax.figure) == "Replaced."
    with pytest.raises(ValueError, match="non-empty"):
        plotting.describe(ax.figure, " ")


def test_plotly_figures_carry_both_themes_and_a_description():
    figure = plotting.signal_surfaces(
        displacement_signals(0.3 * square()), square(), markers={"a": square(), "b": rectangle()}
    )
    meta = figure.layout.meta
    assert set(meta["themes"]) == set(plotting.THEMES)
    for name, palette in plotting.THEMES.items():
        theme = meta["themes"][name]
        assert theme["layout"]["paper_bgcolor"] == palette.background
        assert theme["layout"]["font.color"] == palette.text
        assert theme["markers"] == [palette.start, palette.finish]
    assert [trace.marker.color for trace in figure.data[4:]] == meta["themes"]["light"]["markers"]
    assert "4 signals" in meta["description"] and "a, b" in meta["description"]
    assert plotting.signal_surfaces(np.ones(9), description="mine").layout.meta["description"] == "mine"


def test_signed_colormap_shows_the_background_at_zero():
    colormap = plotting.style.signed_colormap()
    assert colormap(0.5)[3] < 0.01  # transparent at zero
    assert colormap(0.0)[3] == colormap(1.0)[3] == 1.0
    assert mpl.colors.to_hex(colormap(0.0)) == LIGHT.negative
    assert mpl.colors.to_hex(colormap(1.0)) == LIGHT.positive
    assert colormap(np.nan)[3] == 0.0


def test_static_surfaces_keep_the_surfaces_shape():
    signals = displacement_signals(torch.tensor([[0.3, 0.0, 0.0]], dtype=torch.float64))
    figure = plotting.signal_surfaces(signals, res=12)
    ax = plotting.static_surfaces(figure)
    spans = np.array([np.ptp(getattr(ax, f"get_{name}lim")()) for name in "xyz"])
    np.testing.assert_allclose(
        ax.get_box_aspect() / ax.get_box_aspect().max(), spans / spans.max(), rtol=1e-6
    )
    with pytest.raises(TypeError, match="plotly Figure"):
        plotting.static_surfaces(ax.figure)


def test_signal_surfaces_view_from_above_hides_z_and_rejects_unknown_views():
    signals = displacement_signals(0.3 * square())
    above = plotting.signal_surfaces(signals, square(), res=8, view="above")
    assert above.layout.scene.camera.up.y == 1
    assert above.layout.scene.zaxis.visible is False
    eye = above.layout.scene.camera.eye
    assert eye.z > 5 * abs(eye.y) and eye.x == 0  # looking down z
    with pytest.raises(ValueError, match="view must be one of"):
        plotting.signal_surfaces(signals, square(), res=8, view="below")


def test_signal_surfaces_break_a_long_title_and_keep_the_toolbar_off_it():
    title = "best symmetric output (left), network (right), and more words"
    figure = plotting.signal_surfaces(displacement_signals(0.3 * square()), square(), res=8, title=title)
    first, second = figure.layout.title.text.split("<br>")
    assert first.endswith(",") and len(first) <= 42 and (first + " " + second) == title
    assert figure.layout.margin.t > 30  # room for both lines
    assert figure.layout.modebar.orientation == "v"


def test_a_cube_is_drawn_in_3d_and_a_prediction_off_a_flat_target_stays_flat():
    from symmetry_tasks.plotting.quality import figure_problems
    from symmetry_tasks.shapes import cube, stretch

    start = cube()
    ax = plotting.task_diagram(start, stretch(start, (1.5, 1.0, 1.0)), "cube")
    assert ax.name == "3d"
    assert len(ax.lines) == 2 * 12  # the twelve edges of each shape
    assert figure_problems(ax.figure) == []
    lifted = rectangle() + torch.tensor([0.0, 0.0, 1e-5], dtype=torch.float64)
    assert plotting.positions_over_target(lifted, rectangle(), "t", start=square()).name != "3d"
