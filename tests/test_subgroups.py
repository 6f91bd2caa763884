"""Subgroups up to conjugacy, checked against a brute-force enumeration; correlation with any representative."""

import itertools
from collections import Counter

import numpy as np
import pytest
import torch

from symmetry_tasks.equivariance import random_orthogonal
from symmetry_tasks.symmetry import (
    NAMES,
    SubgroupClass,
    as_subgroup,
    canonical_frame,
    character_table,
    correlation,
    identify,
    maximal_subgroups,
    order_parameters,
    point_group,
    subgroups,
)
from symmetry_tasks.symmetry.subgroups import AmbiguousSubgroup

EPS = torch.finfo(torch.float64).eps  # products of two 3 x 3 turns and a group element: 32 EPS


def _table(matrices: torch.Tensor) -> list[list[int]]:
    """Multiplication table by nearest element (the matrices are exact to float64)."""
    flat = matrices.reshape(len(matrices), 9).numpy()
    products = torch.einsum("aij,bjk->abik", matrices, matrices).reshape(-1, 9).numpy()
    nearest = np.abs(products[:, None] - flat[None]).max(axis=2).argmin(axis=1)
    return nearest.reshape(len(matrices), len(matrices)).tolist()


def _brute_force(matrices: torch.Tensor) -> dict[frozenset, int]:
    """Every subgroup, as the closure of every set of at most three elements (point groups need no more),
    with the number of its conjugates."""
    table = _table(matrices)
    n = len(table)
    inverse = [row.index(0) for row in table]
    found = set()
    for triple in itertools.combinations_with_replacement(range(n), 3):
        members = {0, *triple}
        while True:
            more = {table[a][b] for a in members for b in members} - members
            if not more:
                break
            members |= more
        found.add(frozenset(members))
    return {
        sub: len({frozenset(table[table[h][k]][inverse[h]] for k in sub) for h in range(n)}) for sub in found
    }


@pytest.mark.parametrize("name", NAMES)
def test_subgroup_classes_match_a_brute_force_enumeration(name):
    group = point_group(name).transformed(random_orthogonal(5))
    every = _brute_force(group.matrices)
    classes = subgroups(group)
    assert sum(c.count for c in classes) == len(every)  # each subgroup in exactly one class
    expected = Counter((len(sub), count) for sub, count in every.items())
    assert Counter((c.order, c.count) for c in classes for _ in range(c.count)) == expected
    names = Counter(identify(group.matrices[sorted(sub)]) for sub in every)
    assert Counter(c.name for c in classes for _ in range(c.count)) == names
    for c in classes:
        members = frozenset(group.index(h) for h in c.group.matrices)
        assert members in every and every[members] == c.count
        assert group.contains(c.group)
        bigger = [s for s in every if members < s and len(s) < group.order]
        assert c.maximal == (not bigger and c.order < group.order)
        character_table(c.group)  # its frame is valid: the table names it
    assert [c.name for c in maximal_subgroups(group)] == [c.name for c in classes if c.maximal]


def test_published_counts():
    d4h = [(c.name, c.count) for c in subgroups("D4h")]
    assert d4h.count(("D2h", 1)) == 2 and ("C2v", 2) in d4h
    oh = {(c.name, c.count) for c in subgroups("Oh")}
    assert {("D4h", 3), ("D3d", 4), ("Td", 1), ("Th", 1), ("O", 1)} <= oh
    assert len(subgroups("Oh")) == 33  # classes of subgroups of m-3m
    assert sum(c.count for c in subgroups("Oh")) == 98


def test_representatives_prefer_the_standard_orientation():
    rectangle, rhombus = (c for c in subgroups("D4h") if c.name == "D2h")
    assert torch.equal(canonical_frame(rectangle.group), torch.eye(3, dtype=torch.float64))
    assert (rectangle.index, rhombus.index) == (1, 2)
    assert rhombus.axes == "z=[0 0 1], x=[1 1 0]"
    (d3d,) = (c for c in subgroups("Oh") if c.name == "D3d")
    assert d3d.axes.startswith("z=[1 1 1]")


def test_subgroups_of_a_turned_group_are_turned():
    turn = random_orthogonal(12)
    plain, turned = subgroups("D6h"), subgroups(point_group("D6h").transformed(turn))
    for a, b in zip(plain, turned, strict=True):
        assert (a.name, a.count, a.maximal) == (b.name, b.count, b.maximal)
        assert torch.allclose(turn @ a.group.matrices @ turn.T, b.group.matrices, rtol=0, atol=32 * EPS)


def test_correlation_and_order_parameters_take_any_representative():
    oh = point_group("Oh")
    (d3d,) = (c for c in subgroups(oh) if c.name == "D3d")
    table = correlation(oh, d3d)
    assert table["T2g"] == {"A1g": 1, "Eg": 1}  # the body diagonal keeps xy + yz + zx
    (parameter,) = order_parameters(oh, d3d, 2)
    assert parameter.label == "T2g" and parameter.polynomial in ("xy + xz + yz", "-xy - xz - yz")
    rhombus = [c for c in subgroups("D4h") if c.name == "D2h"][1]
    assert correlation("D4h", rhombus)["B2g"] == {"Ag": 1}
    assert [p.label for p in order_parameters("D4h", rhombus.group, 2)] == ["B2g"]


def test_names_are_accepted_for_both_groups():
    assert correlation("D4h", "D2h:1") == correlation(point_group("D4h"), point_group("D2h"))
    assert as_subgroup("D4h", "D2h:2").contains(as_subgroup(point_group("D4h"), "D2h:2"))
    assert torch.equal(as_subgroup("D4h", "C4v").matrices, as_subgroup(point_group("D4h"), "C4v").matrices)


@pytest.mark.parametrize("call", [as_subgroup, correlation, lambda G, H: order_parameters(G, H, 2)])
def test_an_ambiguous_subgroup_name_lists_the_classes_in_the_api_as_on_the_command_line(call):
    with pytest.raises(
        ValueError, match=r"D4h has 2 classes of subgroups D2h; name one of: D2h:1 .*; D2h:2 "
    ) as error:
        call("D4h", "D2h")
    assert isinstance(error.value, AmbiguousSubgroup)
    assert [c.split()[0] for c in error.value.choices] == ["D2h:1", "D2h:2"]
    assert correlation("D3h", "C3v")["E''"] == {"E": 1}
    assert correlation("Oh", "C3v")["T1u"] == {"A1": 1, "E": 1}  # the one class, along a body diagonal
    assert correlation("m-3m", "4/mmm") == correlation("Oh", "D4h")


@pytest.mark.parametrize(
    ("big", "small", "error", "match"),
    [
        ("D4h", "D3", ValueError, "D3 is not a subgroup of D4h; its subgroups are D4h, D2h"),
        ("D4h", "D4x", ValueError, "unknown point group 'D4x'"),
        ("D4h", 4, TypeError, "a subgroup must be a PointGroup, a SubgroupClass or a name"),
        (4, "D2h", TypeError, "expected a PointGroup or a point group name"),
        ("D2h", point_group("D4h"), ValueError, "D4h .in this orientation. is not a subgroup of D2h"),
    ],
)
def test_bad_subgroups_are_refused(big, small, error, match):
    with pytest.raises(error, match=match):
        correlation(big, small)


@pytest.mark.parametrize("name", NAMES)
def test_every_correlation_restricts_dimensions(name):
    table = character_table(name)
    for c in maximal_subgroups(name):
        assert isinstance(c, SubgroupClass)
        small = character_table(c.group)
        dims = dict(zip(small.irreps, small.dimensions, strict=True))
        for label, d in zip(table.irreps, table.dimensions, strict=True):
            assert sum(m * dims[k] for k, m in correlation(name, c)[label].items()) == d


@pytest.mark.parametrize("name", NAMES)
def test_a_named_subgroup_is_the_same_class_as_in_the_full_list(name):
    """``as_subgroup(G, "H:k")`` looks only at the classes named H; it must pick what ``subgroups`` lists."""
    group = point_group(name)
    listed = subgroups(group)
    for sub in dict.fromkeys(c.name for c in listed):
        named = [c for c in listed if c.name == sub]
        for c in named:
            picked = as_subgroup(group, f"{sub}:{c.index}")
            assert torch.equal(picked.matrices, c.group.matrices), (name, sub, c.index)
        if len(named) == 1:
            assert torch.equal(as_subgroup(group, sub).matrices, named[0].group.matrices), (name, sub)
