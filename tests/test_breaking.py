"""Order parameters of group-subgroup pairs, symmetric projections and the Curie floor."""

from __future__ import annotations

import math

import pytest
import torch
from e3nn import o3

from symmetry_tasks import shapes, tasks
from symmetry_tasks.equivariance import irreps_matrix, random_orthogonal
from symmetry_tasks.nn import DEFAULT_IRREPS
from symmetry_tasks.signals import displacement_signals, x2_minus_y2
from symmetry_tasks.symmetry import (
    canonical_frame,
    character_table,
    curie_floor,
    maximal_subgroups,
    order_parameters,
    point_group,
    reduce_o3,
    subgroups,
    symmetric_projection,
    symmetry_group,
)

F64 = torch.float64
EPS = torch.finfo(F64).eps


def rounding(group, dim: int) -> float:
    """Rounding of a vector found from a mean of ``group.order`` Wigner matrices of size ``dim`` (then an
    eigenvector or a product): a multiple of EPS times the size of the sums."""
    return 16 * EPS * group.order * dim


# z -> x, x -> y, y -> z: puts C2v's axis on x, where the triangle with a vertex on x has a C2' axis
CYCLE = torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=F64)
# (name, big group, subgroup, regular shape, stretched shape) in the same orientation
PAIRS = [
    ("D4h>D2h", point_group("D4h"), point_group("D2h"), shapes.square(), shapes.rectangle()),
    (
        "D6h>D2h",
        point_group("D6h"),
        point_group("D2h"),
        shapes.regular_polygon(6, 0.8),
        shapes.stretch(shapes.regular_polygon(6, 0.8), (1.3, 0.8, 1.0)),
    ),
    (
        "Oh>D4h",
        point_group("Oh"),
        point_group("D4h"),
        shapes.cube(),
        shapes.stretch(shapes.cube(), (1, 1, 1.4)),
    ),
    (
        "D3h>C2v",
        point_group("-62m"),  # the setting of the triangle with a vertex on x: its twofold axes on x
        point_group("C2v").transformed(CYCLE),
        shapes.regular_polygon(3, 0.8),
        shapes.stretch(shapes.regular_polygon(3, 0.8), (1.5, 1.0, 1.0)),
    ),
]
PAIR_IDS = [pair[0] for pair in PAIRS]


def _average(group, ir: o3.Irrep) -> torch.Tensor:
    return torch.stack([irreps_matrix(o3.Irreps([(1, ir)]), g) for g in group.matrices]).mean(dim=0)


def _problem(start: torch.Tensor, finish: torch.Tensor, breaking=None, amplitude: float = 0.1):
    irreps = tasks.EquivariantNetwork().irreps_in  # the default signal irreps, in and out
    features = torch.zeros(len(start), irreps.dim, dtype=F64)
    features[:, 0] = 1.0
    if breaking is not None:
        features[:, irreps.slices()[breaking.irrep.l]] += amplitude * breaking.vector
    return start, features, displacement_signals(finish - start), irreps


# -- order parameters ---------------------------------------------------------------------------------


def test_d4h_to_d2h_up_to_l2_is_x2_minus_y2() -> None:
    (only,) = order_parameters(point_group("D4h"), point_group("D2h"), 2)
    assert (only.irrep, only.label, only.polynomial) == (o3.Irrep("2e"), "B1g", "x^2 - y^2")
    expected = torch.tensor([0.0, 0.0, -math.sqrt(3) / 2, 0.0, -0.5], dtype=F64)
    tol = rounding(point_group("D4h"), 5)
    assert min(float((only.vector - s * expected).abs().max()) for s in (1, -1)) < tol
    assert abs(abs(float(only.vector @ x2_minus_y2(2)[4:])) - 1) < tol


def _check_order_parameters(G, H, lmax: int, natural_parity: bool = False) -> list:
    """Assert the defining properties of the order parameters of G > H; return them."""
    found = order_parameters(G, H, lmax, natural_parity=natural_parity)
    G, table = point_group(G) if isinstance(G, str) else G, character_table(G)
    labels = set(table.real_irreps)
    irreps = [o3.Irrep(l, p) for l in range(lmax + 1) for p in (1, -1)]
    if natural_parity:
        irreps = [ir for ir in irreps if ir.p == (-1) ** ir.l]
    assert [p.irrep for p in found] == sorted((p.irrep for p in found), key=irreps.index)
    for ir in irreps:
        # measured: 1.2e-14 at l <= 3 over the maximal subgroups of ten groups
        tol = rounding(G, ir.dim)
        block = [p for p in found if p.irrep == ir]
        for p in block:
            assert p.label in labels and p.label != table.real_irreps[0]
            assert p.pseudo == (ir.p != (-1) ** ir.l) and p.kind.startswith("pseudo") == p.pseudo
            # each is invariant under every element of H, and not under G: the G-average removes it
            for h in H.matrices:
                assert float((irreps_matrix(o3.Irreps([(1, ir)]), h) @ p.vector - p.vector).abs().max()) < tol
            assert float((_average(G, ir) @ p.vector).abs().max()) < tol
        if block:
            vectors = torch.stack([p.vector for p in block])
            assert torch.allclose(vectors @ vectors.T, torch.eye(len(block), dtype=F64), rtol=0, atol=tol)
        # together with G's invariants they span all of H's invariants of this irrep
        rank_h = round(float(_average(H, ir).trace()))
        rank_g = round(float(_average(G, ir).trace()))
        assert len(block) == rank_h - rank_g, (G.name, H.name, ir)
    return found


@pytest.mark.parametrize(("name", "G", "H", "start", "finish"), PAIRS, ids=PAIR_IDS)
def test_order_parameters_are_fixed_by_h_and_averaged_away_by_g(name, G, H, start, finish) -> None:
    assert _check_order_parameters(G, H, 4), f"{name}: no order parameter up to l = 4"
    natural = _check_order_parameters(G, H, 4, natural_parity=True)
    assert natural and all(not p.pseudo for p in natural)


@pytest.mark.parametrize("G", ["Oh", "D6h", "D4h", "D3d", "Th", "C6v", "D2d", "D3h", "C4h", "Td", "S6"])
def test_order_parameters_of_every_parity_for_every_maximal_subgroup(G) -> None:
    for c in maximal_subgroups(G):
        found = _check_order_parameters(G, c.group, 3)
        natural = order_parameters(G, c, 3, natural_parity=True)
        assert [(p.irrep, p.label) for p in natural] == [(p.irrep, p.label) for p in found if not p.pseudo]


@pytest.mark.parametrize(
    ("G", "H", "ir", "label", "polynomial"),
    [("D4h", "D4", "0o", "A1u", "1"), ("D4h", "C4h", "1e", "A2g", "z"), ("Oh", "O", "0o", "A1u", "1")],
)
def test_chiral_and_polar_subgroups_are_broken_by_pseudo_tensors(G, H, ir, label, polynomial) -> None:
    """D4h > D4 and Oh > O by the pseudoscalar (chirality), D4h > C4h by the axial vector along z."""
    first, *_ = order_parameters(G, H, 6)
    assert (str(first.irrep), first.label, first.polynomial) == (ir, label, polynomial)
    assert first.pseudo and abs(float(first.vector.norm()) - 1) < rounding(point_group(G), first.irrep.dim)
    assert not any(p.irrep.l < 2 for p in order_parameters(G, H, 6, natural_parity=True))


def test_bad_parity_flags_are_refused() -> None:
    with pytest.raises(TypeError, match="natural_parity must be a bool, got 'natural'"):
        order_parameters("D4h", "D4", 2, natural_parity="natural")
    with pytest.raises(TypeError, match="parity must be a bool, got 1"):
        order_parameters("D4h", "D4", 2, parity=1)


@pytest.mark.parametrize(("name", "G", "H", "start", "finish"), PAIRS, ids=PAIR_IDS)
def test_an_order_parameter_lowers_the_input_to_exactly_h(name, G, H, start, finish) -> None:
    assert symmetry_group(start).name == G.name and symmetry_group(finish).name == H.name
    first = order_parameters(G, H, 4, natural_parity=True)[0]  # the network's inputs have natural parity
    positions, features, _, irreps = _problem(start, finish, first)
    lowered = symmetry_group(positions, features, irreps)
    assert lowered.order == H.order and H.contains(lowered), f"{name}: got {lowered.name}"


def test_parity_free_d4_to_d2_gains_odd_degrees_including_xyz() -> None:
    D4h, D2h = point_group("D4h"), point_group("D2h")
    with_parity = order_parameters(D4h, D2h, 5, natural_parity=True)
    without = order_parameters(D4h, D2h, 5, parity=False)
    assert {p.irrep.l for p in with_parity} == {2, 4}
    # with pseudo-tensors allowed, xyz comes back as 3e: a gerade pseudo-tensor of degree 3
    assert [p.polynomial for p in order_parameters(D4h, D2h, 3) if p.irrep == o3.Irrep("3e")] == ["xyz"]
    assert {p.irrep.l for p in without} == {2, 3, 4, 5}
    (xyz,) = [p for p in without if p.irrep.l == 3]
    assert xyz.polynomial == "xyz"
    # xyz is kept by the rotations of D2, flips under the other rotations of D4, and is odd under inversion
    D4, D2 = D4h.rotations(), D2h.rotations()
    for g in D4.matrices:
        sign = 1.0 if any(torch.equal(g, h) for h in D2.matrices) else -1.0  # exact copies of the matrices
        assert torch.allclose(
            irreps_matrix("3o", g) @ xyz.vector, sign * xyz.vector, rtol=0, atol=rounding(D4h, 7)
        )
    inversion = -torch.eye(3, dtype=F64)
    assert torch.allclose(
        irreps_matrix("3o", inversion) @ xyz.vector, -xyz.vector, rtol=0, atol=rounding(D4h, 7)
    )


def test_order_parameters_of_a_rotated_pair_are_the_rotated_ones() -> None:
    G, H = point_group("D4h"), point_group("D2h")
    frame = random_orthogonal(5)
    plain = order_parameters(G, H, 4)
    turned = order_parameters(G.transformed(frame), H.transformed(frame), 4)
    assert [(p.irrep, p.label) for p in turned] == [(p.irrep, p.label) for p in plain]
    for ir in {p.irrep for p in plain}:
        D = irreps_matrix(str(ir), frame)
        before = sum(torch.outer(p.vector, p.vector) for p in plain if p.irrep == ir)
        after = sum(torch.outer(p.vector, p.vector) for p in turned if p.irrep == ir)
        assert torch.allclose(after, D @ before @ D.T, rtol=0, atol=rounding(G, ir.dim))


def test_the_sign_is_fixed_in_the_subgroups_frame() -> None:
    """Oh > D4h along z and along x: the same order parameter, turned with the subgroup."""
    along_z = point_group("D4h")
    turn = torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=F64)  # z -> x
    along_x = along_z.transformed(turn)
    assert torch.equal(canonical_frame(along_x), turn)
    plain, turned = order_parameters("Oh", along_z, 4), order_parameters("Oh", along_x, 4)
    assert [(p.irrep, p.label) for p in turned] == [(p.irrep, p.label) for p in plain]
    for a, b in zip(plain, turned, strict=True):
        tol = rounding(along_z, a.irrep.dim)
        assert torch.allclose(irreps_matrix(str(a.irrep), turn) @ a.vector, b.vector, rtol=0, atol=tol)
    assert plain[0].polynomial == "x^2 + y^2 - 2z^2" and turned[0].polynomial == "-2x^2 + y^2 + z^2"


def test_names_and_classes_are_accepted() -> None:
    by_name = order_parameters("D4h", "D2h:1", 2)
    by_group = order_parameters(point_group("D4h"), point_group("D2h"), 2)
    assert [(p.label, p.polynomial) for p in by_name] == [(p.label, p.polynomial) for p in by_group]
    rhombus = [c for c in subgroups("4/mmm") if c.name == "D2h"][1]
    ((label, polynomial),) = [(p.label, p.polynomial) for p in order_parameters("4/mmm", rhombus, 2)]
    assert (label, polynomial) == ("B2g", "xy")


def test_order_parameters_count_what_the_characters_count() -> None:
    """At each degree, as many order parameters as H has invariants more than G (from the reduction of O(3))."""
    oh = reduce_o3("Oh", 9)
    for c in maximal_subgroups("Oh"):
        sub = reduce_o3(c.group, 9)
        extra = {
            key: sub[key].get(character_table(c.group).irreps[0], 0) - oh[key].get("A1g", 0) for key in sub
        }
        first = min(
            int(key[:-1]) for key, n in extra.items() if n and (key[-1] == "e") == (int(key[:-1]) % 2 == 0)
        )
        # the first degree: 2 (D4h, D3d), 3 (Td), 6 (Th), 9 (O)
        found = order_parameters("Oh", c, first, natural_parity=True)
        assert len(found) == extra[str(found[0].irrep)] and {p.irrep.l for p in found} == {first}, c.name
        for p in found:
            tol = rounding(point_group("Oh"), p.irrep.dim)
            assert torch.allclose(_average(c.group, p.irrep) @ p.vector, p.vector, rtol=0, atol=tol)


@pytest.mark.parametrize(
    "H",
    [point_group("D4h"), point_group("D2h").transformed(random_orthogonal(3)), point_group("C3")],
    ids=["bigger", "rotated", "other axis"],
)
def test_not_a_subgroup_is_refused(H) -> None:
    G = point_group("D2h") if H.name == "D4h" else point_group("D4h")
    with pytest.raises(ValueError, match="is not a subgroup"):
        order_parameters(G, H, 2)


@pytest.mark.parametrize(("lmax", "error"), [(-1, ValueError), (2.0, TypeError), (True, TypeError)])
def test_bad_lmax_is_refused(lmax, error) -> None:
    with pytest.raises(error, match="lmax"):
        order_parameters(point_group("D4h"), point_group("D2h"), lmax)


# -- symmetric projection and the Curie floor ---------------------------------------------------------


def _floor(result: tasks.TaskResult):
    return curie_floor(
        result.positions, result.inputs, result.targets, result.model.irreps_in, result.model.irreps_out
    )


def test_task2_floor_and_group(tutorial_plateau: float) -> None:
    floor = _floor(tasks.task2(steps=1))
    assert floor.group.name == "D4h"
    assert floor.floor == pytest.approx(tutorial_plateau, rel=1e-4)


@pytest.mark.parametrize("task", [tasks.task1, tasks.task3], ids=["task1", "task3"])
def test_tasks_that_train_have_no_floor(task) -> None:
    floor = _floor(task(steps=1))
    assert floor.floor < 1e-25
    assert floor.group.name == "D2h"


@pytest.mark.parametrize("improper", [False, True], ids=["proper", "improper"])
@pytest.mark.parametrize("seed", [0, 1])
def test_floor_is_invariant_under_rotating_the_problem(seed: int, improper: bool) -> None:
    result = tasks.task2(steps=1)
    irreps_in, irreps_out = result.model.irreps_in, result.model.irreps_out
    g = random_orthogonal(seed, improper=improper)
    plain = _floor(result)
    turned = curie_floor(
        result.positions @ g.T,
        result.inputs @ irreps_matrix(irreps_in, g).T,
        result.targets @ irreps_matrix(irreps_out, g).T,
        irreps_in,
        irreps_out,
    )
    assert turned.group.name == plain.group.name
    # the same floor, up to the rounding of rotating the problem and projecting it (sums over the group)
    assert turned.floor == pytest.approx(plain.floor, rel=rounding(plain.group, irreps_out.dim))


@pytest.mark.parametrize(("name", "G", "H", "start", "finish"), PAIRS, ids=PAIR_IDS)
def test_symmetric_projection_is_an_orthogonal_projection_onto_equivariant_outputs(
    name, G, H, start, finish
) -> None:
    positions, features, targets, irreps = _problem(start, finish)
    group = symmetry_group(positions, features, irreps)
    assert group.name == G.name
    noise = torch.randn(targets.shape, dtype=F64, generator=torch.Generator().manual_seed(1))
    for wanted in (targets, noise):
        best = symmetric_projection(group, wanted, irreps)
        tol = rounding(group, irreps.dim) * float(wanted.abs().max())
        assert torch.allclose(symmetric_projection(group, best, irreps), best, rtol=0, atol=tol)
        assert abs(float(((wanted - best) * best).sum())) < rounding(group, wanted.numel()) * float(
            wanted.pow(2).sum()
        )
        for g, permutation in zip(group.matrices, group.permutations, strict=True):
            assert torch.allclose(best[permutation], best @ irreps_matrix(irreps, g).T, rtol=0, atol=tol)
    floor = curie_floor(positions, features, targets, irreps, irreps)
    assert floor.floor > 1e-5, f"{name}: stretching without an order parameter should be impossible"
    assert floor.floor == pytest.approx(
        float((targets - floor.best).pow(2).mean()), rel=16 * EPS * targets.numel()
    )


def test_bad_input_is_refused() -> None:
    result = tasks.task2(steps=1)
    irreps = result.model.irreps_out
    args = (result.positions, result.inputs, result.targets, result.model.irreps_in, irreps)
    with pytest.raises(ValueError, match="targets must have shape"):
        curie_floor(*args[:2], result.targets[:, :9], *args[3:])
    with pytest.raises(ValueError, match="targets must have shape"):
        curie_floor(*args[:2], result.targets[:3], *args[3:])
    nan = result.targets.clone()
    nan[0, 0] = math.nan
    with pytest.raises(ValueError, match="targets must be finite"):
        curie_floor(*args[:2], nan, *args[3:])
    positions = result.positions.clone()
    positions[1, 2] = math.nan
    with pytest.raises(ValueError, match="positions must be finite"):
        curie_floor(positions, *args[1:])
    with pytest.raises(ValueError, match="positions must have shape"):
        curie_floor(result.positions[:, :2], *args[1:])
    with pytest.raises(ValueError, match="carries no point permutations"):
        symmetric_projection(point_group("D4h"), result.targets, irreps)
    with pytest.raises(TypeError, match="must be a PointGroup found by symmetry_group"):
        symmetric_projection("D4h", result.targets, irreps)
    group = _floor(result).group
    with pytest.raises(ValueError, match="targets must have shape"):
        symmetric_projection(group, result.targets[:2], irreps)


@pytest.mark.parametrize("factors", [(1.0, 2.0), (1.0, 0.0, 1.0), (1.0, math.inf, 1.0)])
def test_stretch_refuses_bad_factors(factors) -> None:
    with pytest.raises(ValueError, match="factors must be three finite positive numbers"):
        shapes.stretch(shapes.cube(), factors)


# -- training -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_task2_loss_stalls_on_its_floor() -> None:
    result = tasks.task2()
    floor = _floor(result).floor
    assert min(result.losses) >= floor * (1 - 64 * EPS * result.targets.numel())  # rounding of the loss
    assert result.losses[-1] < 1.01 * floor


@pytest.mark.slow
def test_parity_free_network_trains_with_xyz_where_the_o3_one_cannot() -> None:
    (xyz,) = [
        p for p in order_parameters(point_group("D4h"), point_group("D2h"), 3, parity=False) if p.irrep.l == 3
    ]
    start, finish = shapes.square(), shapes.rectangle()
    final = {}
    for parity in (False, True):
        features = tasks.scalar_inputs(4, DEFAULT_IRREPS)
        features[:, DEFAULT_IRREPS.slices()[3]] += 0.1 * xyz.vector
        result = tasks.deform(start, finish, features, steps=200, seed=0, parity=parity)
        floor = curie_floor(start, features, result.targets, result.model.irreps_in, result.model.irreps_out)
        final[parity] = (result.losses[-1], floor)
    assert final[False][0] < 1e-6
    loss, floor = final[True]
    assert floor.group.name == "D2d" and loss >= floor.floor * (1 - 64 * EPS * features.numel())
