"""Point groups by name and from point clouds: group axioms, identification, bad input."""

import math

import pytest
import torch

from symmetry_tasks import shapes
from symmetry_tasks.equivariance import random_orthogonal, wigner_D
from symmetry_tasks.signals import signal_irreps, x2_minus_y2
from symmetry_tasks.symmetry import point_groups as groups

F64 = torch.float64
ORDERS = {"C1": 1, "Ci": 2, "Cs": 2, "C2h": 4, "D2h": 8, "S4": 4, "D2d": 8, "D4h": 16, "S6": 6, "D3d": 12}
ORDERS |= {"C3h": 6, "D6h": 24, "T": 12, "Th": 24, "O": 24, "Td": 24, "Oh": 48}


@pytest.mark.parametrize("name", groups.NAMES)
def test_group_axioms_and_identification(name):
    group = groups.point_group(name)
    g = group.matrices
    assert torch.allclose(g[0], torch.eye(3, dtype=F64))
    assert torch.allclose(g @ g.transpose(1, 2), torch.eye(3, dtype=F64).expand_as(g), atol=1e-12)
    for a in g:  # closed under products and inverses
        group.index(a.T)
        for b in g:
            group.index(a @ b)
    assert groups.identify(g) == name
    assert groups.identify(random_orthogonal(4) @ g @ random_orthogonal(4).T) == name  # any frame
    if name in ORDERS:
        assert group.order == ORDERS[name]


def test_the_32_names_have_32_different_signatures():
    signatures = {groups._signature(groups.point_group(n).matrices) for n in groups.NAMES}
    assert len(signatures) == 32


def test_standard_orientation():
    d4h = groups.point_group("D4h")
    d4h.index(torch.diag(torch.tensor([1.0, -1.0, -1.0], dtype=F64)))  # C2' along x
    d4h.index(torch.diag(torch.tensor([-1.0, 1.0, 1.0], dtype=F64)))  # sigma_v normal along x
    d4h.index(torch.tensor([[0.0, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=F64))  # sigma_d across x = y
    d4h.index(torch.diag(torch.tensor([1.0, 1.0, -1.0], dtype=F64)))  # sigma_h
    assert d4h.contains(groups.point_group("D2h"))
    assert d4h.contains(groups.point_group("C4"))
    assert not groups.point_group("D2h").contains(d4h)


def test_rotations_of_d4h_are_d4():
    rotations = groups.point_group("D4h").rotations()
    assert rotations.name == "D4"
    assert rotations.order == 8
    assert bool((torch.linalg.det(rotations.matrices) > 0).all())


@pytest.mark.parametrize(
    ("points", "name"),
    [
        (shapes.square(), "D4h"),
        (shapes.rectangle(), "D2h"),
        (shapes.regular_polygon(6), "D6h"),
        (shapes.regular_polygon(3), "D3h"),
        (shapes.cube(), "Oh"),
    ],
)
def test_symmetry_group_of_shapes_in_any_frame(points, name):
    for improper in (False, True):
        frame = random_orthogonal(11, improper)
        group = groups.symmetry_group(points @ frame.T + torch.tensor([1.0, -2.0, 0.5], dtype=F64))
        assert group.name == name
        moved = (points @ frame.T) @ group.matrices.transpose(1, 2)  # (|G|, N, 3): g r_a
        centred = points @ frame.T
        assert torch.allclose(moved, centred[group.permutations], atol=1e-9)  # g r_a = r_{perm(a)}


def test_features_lower_the_symmetry_of_the_square():
    irreps = signal_irreps()
    plain = torch.zeros(4, irreps.dim, dtype=F64)
    plain[:, 0] = 1.0
    assert groups.symmetry_group(shapes.square(), plain, irreps).name == "D4h"
    broken = plain + 0.1 * x2_minus_y2()
    group = groups.symmetry_group(shapes.square(), broken, irreps)
    assert group.name == "D2h"
    assert groups.symmetry_group(shapes.rectangle()).contains(group)
    for g, permutation in zip(group.matrices, group.permutations, strict=True):
        assert torch.allclose(broken @ wigner_D(irreps, g).T, broken[permutation], atol=1e-9)
    # a vector feature on one corner leaves only the mirror through that corner's diagonal (and sigma_h)
    arrow = plain.clone()
    arrow[2, 1:4] = torch.tensor([1.0, 1.0, 0.0], dtype=F64)
    assert groups.symmetry_group(shapes.square(), arrow, irreps).name == "C2v"


def test_from_matrices_checks_its_input():
    assert groups.from_matrices(groups.point_group("C4v").matrices).name == "C4v"
    with pytest.raises(ValueError, match="not orthogonal"):
        groups.from_matrices([torch.eye(3, dtype=F64), 2 * torch.eye(3, dtype=F64)])
    with pytest.raises(ValueError, match="not closed"):
        groups.from_matrices(groups.point_group("C4").matrices[:3])
    with pytest.raises(ValueError, match="3x3"):
        groups.from_matrices(torch.eye(2, dtype=F64)[None])


@pytest.mark.parametrize("name", ["X4", "D4x", "S3", "C4d", "C0", ""])
def test_unknown_names_are_named(name):
    with pytest.raises(ValueError, match="unknown point group"):
        groups.point_group(name)


def test_bad_clouds_are_named():
    with pytest.raises(ValueError, match="one line"):
        groups.symmetry_group(torch.tensor([[0.0, 0, 0], [1, 0, 0], [2, 0, 0]], dtype=F64))
    with pytest.raises(ValueError, match="coincident"):
        groups.symmetry_group(torch.tensor([[0.0, 0, 0], [0, 0, 0], [1, 1, 0]], dtype=F64))
    with pytest.raises(ValueError, match="finite"):
        groups.symmetry_group(torch.tensor([[0.0, 0, math.nan], [0, 1, 0], [1, 1, 0]], dtype=F64))
    with pytest.raises(ValueError, match="irreps"):
        groups.symmetry_group(shapes.square(), torch.ones(4, 1, dtype=F64))
    with pytest.raises(ValueError, match="not a subgroup"):
        groups.point_group("D2h").check_subgroup(groups.point_group("D4h"))
    with pytest.raises(ValueError, match="not an element"):
        groups.point_group("D2h").index(groups.point_group("C4").matrices[1])


@pytest.mark.parametrize("name", groups.NAMES)
def test_class_names_follow_the_schoenflies_conventions(name):
    group = groups.point_group(name)
    names = group.character_table().classes
    assert len(set(names)) == len(names)
    bare = [n.lstrip("0123456789") for n in names]
    for n in bare:  # S_n^k with odd n has odd k: S3^5 is sigma_h C3^2, while "S3^2" would be C3^2
        if n.startswith("S") and "^" in n:
            order, power = (int(part) for part in n[1:].split("^"))
            assert order % 2 == 0 or power % 2 == 1, n
    assert "C2''" not in bare or "C2'" in bare  # a double prime only next to a single prime
    table = group.character_table()

    def class_name(matrix):
        index = group.index(torch.tensor(matrix, dtype=F64))
        return next(n for n, members in zip(names, table.class_members, strict=True) if index in members)

    c2_z, sigma_xy = [[-1.0, 0, 0], [0, -1, 0], [0, 0, 1]], [[1.0, 0, 0], [0, 1, 0], [0, 0, -1]]
    if any(torch.allclose(g, torch.tensor(c2_z, dtype=F64)) for g in group.matrices):
        assert class_name(c2_z).lstrip("0123456789") in ("C2", "C2(z)")  # never primed: z is principal
    if any(torch.allclose(g, torch.tensor(sigma_xy, dtype=F64)) for g in group.matrices):
        assert class_name(sigma_xy).lstrip("0123456789") in ("sigma_h", "sigma(xy)")
