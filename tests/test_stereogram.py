"""Stereograms and the subgroup lattice: what they draw matches the group's elements, in any orientation."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.patches import Circle, Ellipse, Polygon
from scipy.spatial.transform import Rotation

from symmetry_tasks.plotting import (
    description,
    maximal_relations,
    stereogram,
    subgroup_lattice,
)
from symmetry_tasks.symmetry import NAMES, maximal_subgroups, point_group
from symmetry_tasks.symmetry.names import SETTINGS

STANDARD = [
    "C1",
    "Ci",
    "Cs",
    "C2h",
    "D2h",
    "S4",
    "D3d",
    "C3h",
    "D3h",
    "C6v",
    "D4h",
    "T",
    "Th",
    "O",
    "Td",
    "Oh",
]
TURNED = ["C2v", "D4h", "D3h", "Td", "Oh", "Th"]
# Classification thresholds, not rounding bounds: exact group matrices agree to a few EPS (1e-15) and
# distinct points, axes or angles of the drawings differ by more than 1e-2, so 1e-9 (points) and 1e-6
# (angles and directions) sit far from both.
TOL = 1e-9


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def turned(name: str, seed: int) -> object:
    rotation = Rotation.random(random_state=seed).as_matrix()
    return point_group(name).transformed(torch.tensor(rotation, dtype=torch.float64))


def groups() -> list[tuple[str, object]]:
    cases = [(name, point_group(name)) for name in STANDARD]
    return cases + [(f"{name} turned", turned(name, seed)) for seed, name in enumerate(TURNED)]


def matrices(group) -> np.ndarray:
    return group.matrices.numpy()


def unproject(xy: np.ndarray) -> np.ndarray:
    """The point of the upper hemisphere whose stereographic projection is ``xy``."""
    r2 = float(xy @ xy)
    return np.array([2 * xy[0], 2 * xy[1], 1 - r2]) / (1 + r2)


def centre(patch) -> np.ndarray:
    if isinstance(patch, Circle | Ellipse):
        return np.asarray(patch.center, dtype=float)
    assert isinstance(patch, Polygon)
    xy = patch.get_xy()
    return xy[:-1].mean(axis=0) if np.allclose(xy[0], xy[-1]) else xy.mean(axis=0)


def patches(ax, pattern: str) -> list:
    return [p for p in ax.patches if re.fullmatch(pattern, p.get_gid() or "")]


def axis_lines(group) -> list[np.ndarray]:
    """Distinct lines of the axes of rotations and rotoinversions other than mirrors and the inversion."""
    lines: list[np.ndarray] = []
    for g in matrices(group):
        det = np.linalg.det(g)
        rotvec = Rotation.from_matrix(det * g).as_rotvec()
        angle = np.linalg.norm(rotvec)
        if angle < 1e-6 or (det < 0 and abs(angle - np.pi) < 1e-6):
            continue
        axis = rotvec / angle
        if not any(abs(abs(axis @ line) - 1) < 1e-6 for line in lines):
            lines.append(axis)
    return lines


def mirror_count(group) -> int:
    """Mirrors: improper elements with eigenvalues (1, 1, -1), so of trace 1."""
    return sum(1 for g in matrices(group) if np.linalg.det(g) < 0 and abs(np.trace(g) - 1) < 1e-6)


def has_inversion(group) -> bool:
    return any(np.allclose(g, -np.eye(3), atol=1e-9) for g in matrices(group))


@pytest.mark.parametrize(("label", "group"), groups(), ids=[label for label, _ in groups()])
def test_one_symbol_per_axis_end_in_view(label, group):
    ax = stereogram(group)
    symbols = patches(ax, r"axis\d+")
    ends = sum(1 if abs(line[2]) > 1e-6 else 2 for line in axis_lines(group))
    assert len(symbols) == ends, label
    for patch in symbols:  # each sits where an axis of the group meets the upper hemisphere
        direction = unproject(centre(patch))
        assert any(abs(abs(direction @ line) - 1) < 1e-6 for line in axis_lines(group)), (label, direction)


@pytest.mark.parametrize(("label", "group"), groups(), ids=[label for label, _ in groups()])
def test_one_great_circle_per_mirror(label, group):
    ax = stereogram(group)
    mirrors = [line for line in ax.lines if line.get_gid() == "mirror"]
    assert len(mirrors) == mirror_count(group), label
    reflections = [g for g in matrices(group) if np.linalg.det(g) < 0 and abs(np.trace(g) - 1) < 1e-6]
    for line in mirrors:  # every point drawn lies in the plane of one mirror of the group
        points = np.array([unproject(xy) for xy in line.get_xydata()])
        assert any(np.abs(points @ g.T - points).max() < 1e-6 for g in reflections), label


@pytest.mark.parametrize(("label", "group"), groups(), ids=[label for label, _ in groups()])
def test_inversion_shown_iff_an_element(label, group):
    ax = stereogram(group)
    shown = bool(patches(ax, r"inversion|axis\d+-centre"))
    assert shown == has_inversion(group), label
    assert ("inversion centre" in description(ax.figure)) == has_inversion(group)


@pytest.mark.parametrize("name", ["C1", "C4v", "D3d", "Oh"])
def test_general_positions_are_the_orbit_of_one_point(name):
    group = point_group(name)
    ax = stereogram(group)
    dots = patches(ax, r"position\d+")
    assert len(dots) == group.order
    points = []
    for dot in dots:  # filled dots above the plane, rings below it: (x, y, z) drawn at (x, y) / (1 + |z|)
        x, y, z = unproject(centre(dot))
        points.append((x, y, z if dot.get_facecolor()[3] > 0 else -z))
    points = np.array(points)
    assert float(np.abs(np.linalg.norm(points, axis=1) - 1).max()) < TOL
    distinct = np.abs(points[:, None] - points[None]).max(axis=2) > 1e-6
    assert distinct.sum() == group.order * (group.order - 1)  # |G| different points: a general position
    for g in matrices(group):  # the set is one orbit: every element maps it onto itself
        moved = points @ g.T
        assert float(np.abs(moved[:, None] - points[None]).max(axis=2).min(axis=1).max()) < 1e-6
    assert len(stereogram(group, positions=False).patches) == len(ax.patches) - group.order


@pytest.mark.parametrize(("bad", "error"), [("D4q", ValueError), ("C1v", ValueError), (42, TypeError)])
def test_bad_groups_are_rejected(bad, error):
    with pytest.raises(error, match=str(bad)[:3] if error is ValueError else "PointGroup"):
        stereogram(bad)


def test_bad_axes_are_rejected():
    with pytest.raises(TypeError, match="Axes"):
        stereogram("D4h", ax="not an axes")


def test_lattice_draws_every_group_and_every_maximal_relation():
    ax = subgroup_lattice()
    nodes = {
        t.get_gid().removeprefix("group:"): t.get_position()
        for t in ax.texts
        if (t.get_gid() or "").startswith("group:")
    }
    assert sorted(nodes) == sorted(NAMES)
    relations = {line.get_gid() for line in ax.lines}
    expected = {f"relation:{g}>{h}" for g in NAMES for h in {c.name for c in maximal_subgroups(g)}}
    assert relations == expected
    assert maximal_relations()["D4h"] == list(dict.fromkeys(c.name for c in maximal_subgroups("D4h")))
    orders = {name: point_group(name).order for name in NAMES}
    for name, (_, row) in nodes.items():  # rows by order: a bigger group sits on a higher row
        assert all(
            (row > other_row) == (orders[name] > orders[other])
            for other, (_, other_row) in nodes.items()
            if orders[name] != orders[other]
        )


def test_lattice_lines_pass_no_group_they_do_not_join():
    """A line through the label of a group it does not join would read as a relation that is not there."""
    ax = subgroup_lattice()
    renderer = ax.figure.canvas.get_renderer()
    labels = {
        t.get_gid().removeprefix("group:"): t.get_window_extent(renderer)
        for t in ax.texts
        if (t.get_gid() or "").startswith("group:")
    }
    for line in ax.lines:
        big, small = line.get_gid().removeprefix("relation:").split(">")
        path = line.get_transform().transform_path(line.get_path())
        crossed = [
            name
            for name, box in labels.items()
            if name not in (big, small) and path.intersects_bbox(box.shrunk(0.8, 0.8), filled=False)
        ]
        assert not crossed, (line.get_gid(), crossed)


def extent(patch) -> float:
    """The radius of the smallest circle about the patch's centre that holds it."""
    if isinstance(patch, Circle):
        return float(patch.radius)
    vertices = patch.get_patch_transform().transform(patch.get_path().vertices)
    return float(np.linalg.norm(vertices - centre(patch), axis=1).max())


@pytest.mark.parametrize("name", [*NAMES, *(symbol for symbols in SETTINGS.values() for symbol in symbols)])
def test_general_positions_are_drawn_apart(name):
    """Every two markers of the general positions, and every marker and axis symbol, are visibly apart.

    A dot inside a ring is one point above the plane and its mirror image below, drawn as one symbol.
    The gap asked for, 0.02 of the primitive's radius, is about two points at the atlas's figure size.
    """
    ax = stereogram(name)
    dots = patches(ax, r"position\d+")
    symbols = patches(ax, r"axis\d+")
    gap = 0.02
    for i, a in enumerate(dots):
        for b in dots[i + 1 :]:
            distance = float(np.linalg.norm(centre(a) - centre(b)))
            concentric = distance < TOL and a.radius != b.radius
            assert concentric or distance > a.radius + b.radius + gap, (name, centre(a), centre(b))
        for symbol in symbols:
            assert float(np.linalg.norm(centre(a) - centre(symbol))) > a.radius + extent(symbol) + gap, name
