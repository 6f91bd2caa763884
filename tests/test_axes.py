"""Where symmetry elements point: every element lies on a listed axis or mirror, every listed one is in the
group, directions are unit vectors of the upper hemisphere, in any orientation; names rebuild the matrix."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from symmetry_tasks.equivariance import random_orthogonal
from symmetry_tasks.symmetry import NAMES, point_group
from symmetry_tasks.symmetry.axes import (
    DIRECTION_TOL,
    direction_symbol,
    element_name,
    symmetry_elements,
    upper_direction,
)
from symmetry_tasks.symmetry.elements import mirror, rotation

EPS = np.finfo(np.float64).eps
#: The axial groups beyond the crystallographic ones, up to n = 12, each family once.
AXIAL = ["C5", "C5v", "C7h", "S8", "S10", "D5", "D5d", "D6d", "D8h", "D12h"]
#: Rounding of an axis found from exact group matrices: a few operations on 3-vectors of unit size
#: (measured: at most 1.3e-15 over these groups and their turned copies).
ROUNDING = 64 * 3 * EPS
#: A classification threshold, not a rounding bound: an angle from arccos of the trace is off by up to
#: sqrt(EPS) ~ 1.5e-8 near 0 and pi, and distinct angles of these groups differ by 2 pi / 24 or more.
ANGLE = 1e-6
#: Matching a rebuilt matrix to an element: a few products of 3x3 matrices (measured: 2.2e-15).
MATCH = 64 * 9 * EPS


def cases() -> list[tuple[str, object]]:
    standard = [(name, point_group(name)) for name in [*NAMES, *AXIAL]]
    turned = [
        (f"{name} turned", point_group(name).transformed(random_orthogonal(seed)))
        for seed, name in enumerate(["C2v", "D4h", "D3d", "D6h", "Td", "Oh", "Th", "S8", "D5h"])
    ]
    return standard + turned


CASES = cases()
IDS = [label for label, _ in CASES]


def elements_of(group) -> np.ndarray:
    return np.asarray(group.matrices, dtype=np.float64)


def contains(group, matrix: np.ndarray) -> bool:
    return float(np.abs(elements_of(group) - matrix).max(axis=(1, 2)).min()) < MATCH


def turns(angle: float, n: int) -> bool:
    """Whether ``angle`` is a whole number of turns by 2 pi / n."""
    steps = angle * n / (2 * math.pi)
    return abs(steps - round(steps)) < ANGLE


def rotation_of(g: np.ndarray) -> tuple[float, np.ndarray]:
    """The angle of a proper matrix, and the unit vector it fixes (its eigenvector of eigenvalue 1)."""
    angle = math.acos(max(-1.0, min(1.0, (np.trace(g) - 1) / 2)))
    values, vectors = np.linalg.eig(g)
    fixed = np.real(vectors[:, int(np.argmin(np.abs(values - 1)))])
    return angle, fixed / np.linalg.norm(fixed)


def is_upper_unit(direction: np.ndarray) -> bool:
    if abs(float(np.linalg.norm(direction)) - 1) > ROUNDING:
        return False
    if direction[2] > DIRECTION_TOL:
        return True
    leading = direction[np.abs(direction) > DIRECTION_TOL]
    return abs(direction[2]) <= DIRECTION_TOL and float(leading[0]) > 0


@pytest.mark.parametrize(("label", "group"), CASES, ids=IDS)
def test_directions_are_unit_vectors_of_the_upper_hemisphere(label, group):
    found = symmetry_elements(group)
    lines = [axis.direction for axis in found.axes]
    for direction in [*lines, *found.mirrors]:
        assert is_upper_unit(direction), (label, direction)
    for directions in (lines, list(found.mirrors)):  # no line listed twice
        for a in range(len(directions)):
            for b in range(a):
                assert abs(float(directions[a] @ directions[b])) < 1 - DIRECTION_TOL, label


@pytest.mark.parametrize(("label", "group"), CASES, ids=IDS)
def test_every_listed_element_is_in_the_group(label, group):
    found = symmetry_elements(group)
    for axis in found.axes:
        assert axis.order >= 2 or axis.inversion_order >= 3, (label, axis)
        assert contains(group, rotation(axis.direction, 2 * math.pi / axis.order)), (label, axis)
        if axis.inversion_order:  # a rotoinversion's axis is the axis of -g
            assert contains(group, -rotation(axis.direction, 2 * math.pi / axis.inversion_order)), label
        assert axis.centre == found.inversion
    for normal in found.mirrors:
        assert contains(group, mirror(normal)), (label, normal)
    assert found.inversion == contains(group, -np.eye(3))


@pytest.mark.parametrize(("label", "group"), CASES, ids=IDS)
def test_every_element_lies_on_a_listed_axis_or_mirror(label, group):
    """A proper rotation fixes its axis; a rotoinversion g is the rotation -g about its axis, times -1.

    With the test above, this says that each axis's orders are the highest: every element about it is
    a power of the listed rotation (or rotoinversion).
    """
    found = symmetry_elements(group)
    for g in elements_of(group):
        det = round(float(np.linalg.det(g)))
        angle, fixed = rotation_of(det * g)
        if angle < ANGLE:  # the identity, or the inversion
            assert det > 0 or found.inversion
            continue
        if det < 0 and abs(angle - math.pi) < ANGLE:  # a mirror: -g is the half turn about its normal
            assert any(np.abs(g @ m + m).max() < ROUNDING for m in found.mirrors), (label, g)
            continue
        about = [a for a in found.axes if np.abs(det * g @ a.direction - a.direction).max() < ROUNDING]
        assert len(about) == 1, (label, g)
        (axis,) = about
        assert abs(abs(float(axis.direction @ fixed)) - 1) < ROUNDING
        assert turns(angle, axis.order if det > 0 else axis.inversion_order), (label, axis.symbol, angle)


def test_symbols_are_the_same_in_any_orientation():
    for label, group in CASES:
        if label.endswith("turned"):
            standard = symmetry_elements(group.name)
            assert sorted(a.symbol for a in symmetry_elements(group).axes) == sorted(
                a.symbol for a in standard.axes
            ), label


def test_symbols_follow_the_international_tables():
    symbols = {
        name: sorted(a.symbol for a in symmetry_elements(name).axes)
        for name in ("C1", "Cs", "S4", "C4h", "D3d", "D3h", "Oh", "S8")
    }
    assert symbols["C1"] == symbols["Cs"] == []
    assert symbols["S4"] == ["-4"]
    assert symbols["C4h"] == ["4/m"]
    assert symbols["D3d"] == ["-3", "2/m", "2/m", "2/m"]
    assert symbols["D3h"] == ["-6", "2", "2", "2"]
    assert symbols["Oh"] == ["-3"] * 4 + ["2/m"] * 6 + ["4/m"] * 3
    assert symbols["S8"] == ["-8"]


def test_upper_direction_is_the_unit_vector_of_either_end():
    vectors = np.random.default_rng(0).normal(size=(50, 3))
    vectors[:10, 2] = 0.0  # on the equator
    along_axes = [[1, 0, 0], [-1, 0, 0], [0, -2, 0], [0, 0, -1], [-1, 1, 0], [0, -1, 1e-9]]
    for v in [*vectors, *np.array(along_axes, dtype=np.float64)]:
        up = upper_direction(v)
        assert is_upper_unit(up), v
        assert abs(abs(float(up @ v)) / np.linalg.norm(v) - 1) < ROUNDING  # along v
        assert np.abs(upper_direction(-3.0 * v) - up).max() < ROUNDING  # the same for the other end


@pytest.mark.parametrize(
    ("bad", "match"),
    [([0.0, 0.0, 0.0], "non-zero"), ([1.0, math.nan, 0.0], "finite"), ([1.0, 0.0], r"shape \(2,\)")],
)
def test_bad_directions_are_named(bad, match):
    for function in (upper_direction, direction_symbol):
        with pytest.raises(ValueError, match=match):
            function(bad)


def test_direction_symbol_gives_the_shortest_integers_back():
    generator = np.random.default_rng(1)
    seen = 0
    for u in range(-4, 5):
        for v in range(-4, 5):
            for w in range(-4, 5):
                if math.gcd(u, v, w) != 1:
                    continue
                vector = np.array([u, v, w], dtype=np.float64) * generator.uniform(0.1, 10.0)
                assert direction_symbol(vector) == f"[{u} {v} {w}]"
                seen += 1
    assert seen > 500
    irrational = np.array([1.0, math.sqrt(2), math.pi])
    text = direction_symbol(irrational)
    assert re.fullmatch(r"\[(-?\d\.\d{3} ?){3}\]", text)
    unit = irrational / np.linalg.norm(irrational)
    assert np.abs(np.array(text[1:-1].split(), dtype=float) - unit).max() <= 5e-4  # three decimals


def rebuilt(symbol: str, where: str) -> np.ndarray:
    """The matrix a name stands for: E, i, sigma normal d, C_n^k or S_n^k = sigma_h C_n^k about d."""
    if symbol == "E":
        return np.eye(3)
    if symbol == "i":
        return -np.eye(3)
    direction = np.array(where.split("[")[1].rstrip("]").split(), dtype=float)
    if symbol == r"\sigma":
        return mirror(direction)
    letter, n, k = re.fullmatch(r"([CS])_\{(\d+)\}(?:\^\{(\d+)\})?", symbol).groups()
    turn = rotation(direction, 2 * math.pi * int(k or 1) / int(n))
    return turn if letter == "C" else mirror(direction) @ turn


@pytest.mark.parametrize("name", [*NAMES, *AXIAL])
def test_element_names_rebuild_the_element(name):
    for g in elements_of(point_group(name)):
        symbol, where = element_name(g)
        # a direction written with integers is exact; one with three decimals is off by up to 5e-4
        tol = MATCH if "." not in where else 4e-3
        assert np.abs(rebuilt(symbol, where) - g).max() < tol, (name, symbol, where)


def test_element_name_takes_torch_and_numpy_alike():
    g = rotation((1, 1, 1), 2 * math.pi / 3)
    assert element_name(g) == element_name(torch.tensor(g)) == ("C_{3}", "about [1 1 1]")
