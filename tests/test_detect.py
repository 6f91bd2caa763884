"""The symmetry group of a point cloud: shapes in any frame, noise, scale, features, bad input."""

import math

import pytest
import torch

from symmetry_tasks import shapes
from symmetry_tasks.equivariance import irreps_matrix, random_orthogonal
from symmetry_tasks.signals import signal_irreps, x2_minus_y2
from symmetry_tasks.symmetry import character_table, from_matrices, symmetry_group

F64 = torch.float64
EYE = torch.eye(3, dtype=F64)
EPS = torch.finfo(F64).eps  # rounding bounds: small multiples of EPS times the size of the products
TOL = 1e-6  # the default relative tolerance of symmetry_group
SHAPES = {
    "square": (shapes.square(), "D4h"),
    "rectangle": (shapes.rectangle(), "D2h"),
    "hexagon": (shapes.regular_polygon(6), "D6h"),
    "triangle": (shapes.regular_polygon(3), "D3h"),
    "cube": (shapes.cube(), "Oh"),
    "box": (shapes.stretch(shapes.cube(), (1.0, 1.0, 1.4)), "D4h"),
}


def _check_exact(group, points):
    """Orthogonal and closed to float64 precision, and a symmetry of the points to within 2 tol."""
    m = group.matrices
    assert torch.allclose(m @ m.transpose(1, 2), EYE.expand_as(m), rtol=0, atol=32 * EPS)  # measured 1.8e-15
    assert from_matrices(m, tol=32 * EPS).name == group.name  # closed to rounding (measured 1.7e-15)
    centred = points - points.mean(dim=0)
    unit = centred / centred.norm(dim=1).max()
    gaps = (unit @ m.transpose(1, 2) - unit[group.permutations]).norm(dim=2)
    assert float(gaps.max()) <= 2 * TOL  # the promise of symmetry_group; measured at most 0.98 TOL


@pytest.mark.parametrize("shape", SHAPES)
def test_shapes_in_any_frame(shape):
    points, name = SHAPES[shape]
    for improper in (False, True):
        frame = random_orthogonal(11, improper)
        moved = points @ frame.T + torch.tensor([1.0, -2.0, 0.5], dtype=F64)
        group = symmetry_group(moved)
        assert group.name == name
        _check_exact(group, moved)
        assert torch.allclose(
            (points @ frame.T) @ group.matrices.transpose(1, 2),
            (points @ frame.T)[group.permutations],
            rtol=0,
            atol=64 * EPS * float(points.abs().max()),
        )
        assert character_table(group).irreps == character_table(name).irreps  # the table of a turned shape


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("factor", [0.1, 1.0, 10.0])
def test_noise_scale_and_frame(shape, factor):
    """Noise of 0.1 tol keeps the group; at 1 and 10 tol the answer is a subgroup, still exact and closed."""
    points, name = SHAPES[shape]
    exact = symmetry_group(points)
    size = float((points - points.mean(dim=0)).norm(dim=1).max())
    for seed in range(3):
        noise = torch.randn(points.shape, dtype=F64, generator=torch.Generator().manual_seed(seed))
        noisy = points + noise / noise.norm(dim=1).max() * factor * TOL * size
        frame = random_orthogonal(seed + 20)
        found = [symmetry_group(scale * noisy @ frame.T) for scale in (1e-4, 1.0, 1e4)]
        assert len({g.name for g in found}) == 1  # scaling never changes the answer
        for scale, group in zip((1e-4, 1.0, 1e4), found, strict=True):
            _check_exact(group, scale * noisy @ frame.T)
            # the matrices differ by round-off between scales (measured 1.5e-15)
            assert torch.allclose(group.matrices, found[1].matrices, rtol=0, atol=32 * EPS)
        if factor < 1:
            assert found[1].name == name
        turned = exact.transformed(frame)
        assert turned.contains(found[1], tol=1e-4)  # a subgroup: elements within 1e-4 (measured 5.7e-6)


def test_small_noise_and_small_scale_keep_the_group_closed():
    """A hexagon with 1e-7 noise and a square with 5e-7 noise: the full group, or a closed subgroup."""
    for points, noise in ((shapes.regular_polygon(6), 1e-7), (shapes.square(), 5e-7)):
        jitter = noise * torch.randn(points.shape, dtype=F64, generator=torch.Generator().manual_seed(0))
        group = symmetry_group(points + jitter)
        _check_exact(group, points + jitter)
    assert symmetry_group(shapes.square() * 1e-3).name == "D4h"


def test_features_lower_the_symmetry_of_the_square():
    irreps = signal_irreps()
    plain = torch.zeros(4, irreps.dim, dtype=F64)
    plain[:, 0] = 1.0
    assert symmetry_group(shapes.square(), plain, irreps).name == "D4h"
    broken = plain + 0.1 * x2_minus_y2()
    group = symmetry_group(shapes.square(), broken, irreps)
    assert group.name == "D2h"
    assert symmetry_group(shapes.rectangle()).contains(group)
    for g, permutation in zip(group.matrices, group.permutations, strict=True):
        assert torch.allclose(
            broken @ irreps_matrix(irreps, g).T, broken[permutation], rtol=0, atol=64 * irreps.dim * EPS
        )
    # a vector feature on one corner leaves only the mirror through that corner's diagonal (and sigma_h)
    arrow = plain.clone()
    arrow[2, 1:4] = torch.tensor([1.0, 1.0, 0.0], dtype=F64)
    assert symmetry_group(shapes.square(), arrow, irreps).name == "C2v"
    # features are compared relative to their largest entry: scaling them changes nothing
    assert symmetry_group(shapes.square(), 1e-6 * broken, irreps).name == "D2h"


def test_the_rotated_rectangle_has_the_d2h_table():
    turn = torch.tensor(
        [[math.cos(0.5), -math.sin(0.5), 0.0], [math.sin(0.5), math.cos(0.5), 0.0], [0.0, 0.0, 1.0]],
        dtype=F64,
    )
    table = character_table(symmetry_group(shapes.rectangle() @ turn.T))
    assert table.irreps == character_table("D2h").irreps
    assert table.classes == character_table("D2h").classes


@pytest.mark.parametrize("tol", [-1.0, 0.0, 0.5, math.nan])
def test_bad_tolerances_are_refused(tol):
    with pytest.raises(ValueError, match="tol"):
        symmetry_group(shapes.square(), tol=tol)


@pytest.mark.parametrize("tol", ["1e-6", True, None])
def test_tolerances_must_be_numbers(tol):
    with pytest.raises(TypeError, match="tol must be a float"):
        symmetry_group(shapes.square(), tol=tol)


def test_bad_clouds_are_named():
    with pytest.raises(ValueError, match="one line"):
        symmetry_group(torch.tensor([[0.0, 0, 0], [1, 0, 0], [2, 0, 0]], dtype=F64))
    with pytest.raises(ValueError, match="coincident"):
        symmetry_group(torch.tensor([[0.0, 0, 0], [0, 0, 0], [1, 1, 0]], dtype=F64))
    with pytest.raises(ValueError, match="coincident"):  # within the tolerance, at any scale
        symmetry_group(1e-3 * torch.tensor([[0.0, 0, 0], [0, 0, 1e-7], [1, 1, 0]], dtype=F64))
    with pytest.raises(ValueError, match="all coincide"):
        symmetry_group(torch.tensor([[1.0, 2, 3]], dtype=F64))
    with pytest.raises(ValueError, match="finite"):
        symmetry_group(torch.tensor([[0.0, 0, math.nan], [0, 1, 0], [1, 1, 0]], dtype=F64))
    with pytest.raises(ValueError, match="irreps"):
        symmetry_group(shapes.square(), torch.ones(4, 1, dtype=F64))
    with pytest.raises(TypeError, match="positions must be array-like"):
        symmetry_group("D4h")


def test_an_icosahedron_is_refused_with_its_order():
    phi = (1 + 5**0.5) / 2
    vertices = [(0, s1, s2 * phi) for s1 in (1, -1) for s2 in (1, -1)]
    vertices = torch.tensor([v[k:] + v[:k] for v in vertices for k in range(3)], dtype=F64)
    with pytest.raises(ValueError, match="order 120 that is not a point group known here"):
        symmetry_group(vertices)
