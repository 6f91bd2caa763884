"""Edges from vesin's neighbour list: finite clouds of any size and periodic cells, with bad input named."""

import math

import ase
import pytest
import torch
from e3nn import o3
from e3nn.math import soft_one_hot_linspace
from e3nn.nn.models.gate_points_2101 import smooth_cutoff

from symmetry_tasks._checks import as_points
from symmetry_tasks.equivariance import irreps_matrix, random_orthogonal
from symmetry_tasks.nn import EdgeEmbedding, EquivariantNetwork
from symmetry_tasks.nn.geometry import cutoff_cosines

EPS = torch.finfo(torch.float64).eps


def tolerance(geometry):
    """Relative error allowed in float64: rounding of every edge's message, summed over the edges."""
    return 64 * EPS * geometry.n_edges


#: A network with multiplicities, odd scalars and l up to 2, small enough for hundreds of edges.
SMALL = {
    "irreps_in": "0e + 0o + 1o",
    "irreps_hidden": "2x0e + 0o + 2x1o + 1e + 2e",
    "irreps_out": "0e + 0o + 1o + 1e + 2e",
    "lmax": 2,
    "max_radius": 2.5,
}


def seeded(seed=0, **kwargs):
    torch.manual_seed(seed)
    return EquivariantNetwork(**kwargs)


def crystal(n=5, seed=0):
    """``n`` random points in a skewed cell (rows: lattice vectors) about 3 Å across."""
    generator = torch.Generator().manual_seed(seed)
    cell = 3.0 * torch.eye(3, dtype=torch.float64) + 0.4 * torch.randn(
        3, 3, dtype=torch.float64, generator=generator
    )
    fractional = torch.rand(n, 3, dtype=torch.float64, generator=generator)
    return fractional @ cell, cell


def random_features(model, n, seed=1):
    return torch.randn(
        n, model.irreps_in.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)
    )


def relative(a, b):
    return float((a - b).detach().norm() / b.detach().norm())


def test_the_issues_reproducer_is_finite():
    """64 random points in a 6 Å box: torch.cdist's 1e-7 diagonal once kept self-edges and gave NaN."""
    points = 6 * torch.rand(64, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    output = seeded()(torch.ones(64, 36, dtype=torch.float64), points)
    assert bool(torch.isfinite(output).all())


@pytest.mark.parametrize("n", [25, 26, 1000])
def test_any_number_of_points_gives_finite_output_and_no_self_edge(n):
    model = seeded(**SMALL)
    side = (n / 0.2) ** (1 / 3)  # 0.2 points per cubic Å: about 13 neighbours within 2.5 Å
    points = side * torch.rand(n, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(n))
    geometry = model.geometry(points)
    assert bool((geometry.src != geometry.dst).all())
    assert bool(torch.isfinite(model(random_features(model, n), geometry)).all())


def test_every_pair_within_max_radius_is_an_edge_once():
    points, cell = crystal(4)
    model = seeded(**SMALL)
    geometry = model.geometry(points, cell, True)
    # every image within reach, counted by brute force over the shifts -3..3 (the cell is 2.3 Å thick or more)
    shifts = torch.cartesian_prod(*[torch.arange(-3, 4, dtype=torch.float64)] * 3)
    vectors = points[None, :, None] + (shifts @ cell)[:, None, None] - points[None, None, :]
    lengths = vectors.norm(dim=-1)  # (shift, source, destination)
    expected = int(((lengths < model.max_radius) & (lengths > 0)).sum())
    assert geometry.n_edges == expected
    assert (
        len(
            {
                (*s, a, b)
                for s, a, b in zip(
                    geometry.shifts.tolist(), geometry.src.tolist(), geometry.dst.tolist(), strict=True
                )
            }
        )
        == expected
    )
    assert float(geometry.vectors.norm(dim=1).max()) < model.max_radius


def test_a_points_own_images_are_edges_and_the_point_is_not():
    model = seeded(**SMALL)
    geometry = model.geometry([[0.3, 0.1, 0.2]], cell=2 * torch.eye(3, dtype=torch.float64), pbc=True)
    # images at 2 (6 of them) only; 2 sqrt 2 > 2.5
    assert geometry.n_edges == 6
    assert bool((geometry.shifts.abs().sum(dim=1) == 1).all())


def test_a_slab_is_periodic_along_two_vectors_only():
    model = seeded(**SMALL)
    cell = torch.diag(torch.tensor([2.0, 2.0, 0.0], dtype=torch.float64))  # no third vector needed
    geometry = model.geometry([[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]], cell=cell, pbc=[True, True, False])
    assert bool((geometry.shifts[:, 2] == 0).all())
    assert geometry.n_edges == 2 * (
        1 + 4 + 4
    )  # the other point above, 4 own images at 2, 4 of the other at sqrt 5


@pytest.mark.parametrize("improper", [False, True])
def test_rotating_positions_and_cell_rotates_the_output(improper):
    model = seeded(**SMALL)
    points, cell = crystal(5)
    features = random_features(model, 5)
    g = random_orthogonal(3, improper=improper)
    output = model(features, points, cell, True)
    rotated = model(features @ irreps_matrix(model.irreps_in, g).T, points @ g.T, cell @ g.T, True)
    geometry = model.geometry(points, cell, True)
    # measured 1.8e-15 (proper and improper) with 48 edges: the bound is 6.8e-13
    assert relative(rotated, output @ irreps_matrix(model.irreps_out, g).T) < tolerance(geometry)


def test_moving_a_point_by_a_lattice_vector_changes_nothing():
    model = seeded(**SMALL)
    points, cell = crystal(5)
    features = random_features(model, 5)
    moved = points.clone()
    moved[2] += 2 * cell[0] - cell[2]
    moved[4] -= 3 * cell[1]
    before, after = model(features, points, cell, True), model(features, moved, cell, True)
    # measured 8.0e-16 (the edge vectors differ by rounding of a few Å)
    assert relative(after, before) < tolerance(model.geometry(points, cell, True))


def test_a_supercell_gives_each_atom_its_primitive_output():
    model = seeded(**SMALL)
    points, cell = crystal(4)
    primitive = ase.Atoms("H4", positions=points.numpy(), cell=cell.numpy(), pbc=True)
    supercell = primitive.repeat((2, 2, 2))  # ASE repeats the 4 atoms cell by cell, in order
    features = random_features(model, 4)
    small = model(features, primitive)
    large = model(features.repeat(8, 1), supercell)
    # measured 7.2e-16
    assert relative(large, small.repeat(8, 1)) < tolerance(model.geometry(primitive))


def test_ase_atoms_are_their_positions_cell_and_pbc():
    model = seeded(**SMALL)
    points, cell = crystal(3)
    atoms = ase.Atoms("H3", positions=points.numpy(), cell=cell.numpy(), pbc=[True, False, True])
    features = random_features(model, 3)
    assert torch.equal(model(features, atoms), model(features, points, cell, [True, False, True]))
    with pytest.raises(TypeError, match="no cell nor pbc"):
        model.geometry(atoms, cell=cell)


def test_the_twin_agrees_on_periodic_input_with_gradients_to_positions_and_cell():
    model = seeded(**SMALL)
    twin = model.to_e3nn()
    points, cell = crystal(5)
    features = random_features(model, 5)
    grads = []
    for network in (model, twin):
        x, p, c = (t.clone().requires_grad_() for t in (features, points, cell))
        output = network(x, p, c, True)
        output.pow(2).sum().backward()
        grads.append((output.detach(), x.grad, p.grad, c.grad))
    # measured 1.0e-15 (outputs), 2.3e-15 (positions), 8.9e-15 (cell) over 48 edges: the bound is 6.8e-13
    for ours, theirs in zip(*grads, strict=True):
        assert relative(ours, theirs) < tolerance(model.geometry(points, cell, True))


def test_gradient_to_the_cell_is_the_derivative():
    model = seeded(**{**SMALL, "layers": 1})
    points, cell = crystal(2)
    features = random_features(model, 2)
    fractional = points @ torch.linalg.inv(cell)

    def output(lattice):  # atoms move with the cell, as in a strain
        return model(features, fractional @ lattice, lattice, True)

    assert torch.autograd.gradcheck(output, (cell.clone().requires_grad_(),), eps=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("positions", "cell", "pbc", "error", "match"),
    [
        ([[0.0, 0, 0], [1, 0, 0]], torch.eye(3) * 4, True, None, None),
        ([[0.0, 0, 0], [1, 0, 0], [1, 0, 0]], None, False, ValueError, "coincident points: row 1 and row 2"),
        (
            [[0.0, 0, 0], [4, 0, 0]],
            torch.eye(3) * 4,
            True,
            ValueError,
            r"row 1 shifted by the lattice vectors",
        ),
        ([[0.0, 0, 0]], [[4.0, 0, 0], [0, 4, 0], [8, 0, 0]], True, ValueError, "singular"),
        ([[0.0, 0, 0]], torch.eye(3) * 0.05, True, ValueError, "too small for max_radius"),
        ([[0.0, 0, 0]], torch.eye(3) * math.nan, True, ValueError, r"cell must be finite, got \[\[nan"),
        ([[0.0, 0, 0]], torch.eye(2), True, ValueError, r"cell must have shape \(3, 3\)"),
        ([[0.0, 0, 0]], "abc", True, TypeError, "cell must be array-like"),
        ([[0.0, 0, 0]], None, True, ValueError, "a cell is needed"),
        ([[0.0, 0, 0]], torch.eye(3), "yes", TypeError, "pbc must be a bool or three bools, got 'yes'"),
        ([[0.0, 0, 0]], torch.eye(3), [True, False], TypeError, r"three bools, got \[True, False\]"),
        ([[0.0, 0, math.inf]], None, False, ValueError, "positions must be finite"),
        (
            [[0.0, 0, 0], [math.inf, -math.inf, 1]],
            None,
            False,
            ValueError,
            r"finite, got \[inf, -inf, 1.0\] at row 1",
        ),
        ([[0.0, 0]], None, False, ValueError, r"shape \(N, 3\)"),
        (object(), None, False, TypeError, "positions must be array-like"),
    ],
)
def test_bad_structures_are_named(positions, cell, pbc, error, match):
    model = seeded(**SMALL)
    if error is None:  # the valid structure the others spoil
        assert model.geometry(positions, cell, pbc).n_edges > 0
        return
    with pytest.raises(error, match=match):
        model.geometry(positions, cell, pbc)


def test_a_geometry_takes_no_second_cell():
    model = seeded(**SMALL)
    geometry = model.geometry([[0.0, 0, 0], [1, 0, 0]])
    with pytest.raises(TypeError, match="already holds its cell"):
        model(random_features(model, 2), geometry, torch.eye(3), True)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("max_radius", [0.7, 3.0])
def test_the_cutoff_basis_and_damped_harmonics_are_e3nns_with_their_gradients(dtype, max_radius):
    """Lengths from max_radius / 20 to 1.2 max_radius, r/2 and r themselves and their neighbours included: the
    cutoff (1 - cos)/2, the Gaussian basis and the harmonics damped in their matrix product equal e3nn's
    smooth_cutoff, soft_one_hot_linspace and (smooth_cutoff x spherical_harmonics), values and
    gradients."""
    eps = torch.finfo(dtype).eps
    r = torch.tensor(max_radius, dtype=dtype)
    marks = torch.stack([r / 2, r]).repeat_interleave(3) + torch.tensor([-1, 0, 1] * 2) * eps * r
    lengths = torch.cat([torch.linspace(0.05 * max_radius, 1.2 * max_radius, 301, dtype=dtype), marks])
    embedding = EdgeEmbedding(3, max_radius, 5).to(dtype)

    def values_and_gradients(f):
        x = lengths.clone().requires_grad_()
        y = f(x)
        (gradient,) = torch.autograd.grad(y.sum(), x)
        return y.detach(), gradient

    ours = values_and_gradients(lambda x: (1 - cutoff_cosines(x, max_radius)) / 2)
    e3nn = values_and_gradients(lambda x: smooth_cutoff(x / max_radius))
    inside = (lengths > max_radius / 2) & (lengths < max_radius)
    assert bool((ours[0][lengths <= max_radius / 2] == 1).all()) and bool(
        (ours[0][lengths >= max_radius] == 0).all()
    )
    assert bool((ours[1][~inside].abs() <= 8 * eps * 2 * math.pi / max_radius).all())
    # theta = 2 pi |r| / r_max carries a few ulps of 2 pi; measured at most 3 eps (values), 27 eps (gradients)
    assert float((ours[0] - e3nn[0]).abs().max()) < 16 * eps * 2 * math.pi
    assert float((ours[1] - e3nn[1]).abs().max()) < 16 * eps * (2 * math.pi) ** 2 / max_radius
    ours = values_and_gradients(lambda x: embedding.radial_basis(x).T)
    e3nn = values_and_gradients(
        lambda x: soft_one_hot_linspace(x, 0.0, max_radius, 5, basis="gaussian", cutoff=False)
    )
    # the exponent reaches (1.2 (n_B - 1))^2 = 23: a few ulps of it;
    # measured 1 eps (values), 12 eps (gradients)
    assert float((ours[0] - e3nn[0]).abs().max()) < 16 * eps * 24
    assert float((ours[1] - e3nn[1]).abs().max()) < 16 * eps * 24 * 2 * 24**0.5 * 4 / max_radius
    directions = torch.nn.functional.normalize(
        torch.randn(len(lengths), 3, dtype=dtype, generator=torch.Generator().manual_seed(0)), dim=1
    )

    def damped(x):
        return embedding.harmonics.columns((directions * x[:, None]).T, x, cutoff_cosines(x, max_radius)).T

    def e3nns(x):
        vectors = directions * x[:, None]
        harmonics = o3.spherical_harmonics([0, 1, 2, 3], vectors, normalize=True, normalization="component")
        return smooth_cutoff(x / max_radius)[:, None] * harmonics

    ours, e3nn = values_and_gradients(damped), values_and_gradients(e3nns)
    # 16 harmonics fitted to e3nn's, and the gradient of the direction goes as 1 / |r| <= 20 / r_max:
    # measured 168 eps (values, float64), 1168 eps (gradients, float64, r_max 0.7)
    assert float((ours[0] - e3nn[0]).abs().max()) < 64 * eps * 16
    assert float((ours[1] - e3nn[1]).abs().max()) < 64 * eps * 16 * (2 * math.pi + 20) / max_radius


def test_positions_whose_sum_overflows_are_finite_and_a_nan_among_them_is_named():
    """as_points first checks the sum of the coordinates (one operation), then each coordinate when the
    sum is not finite."""
    huge = [[1e308, 1e308, 0.0], [1e308, 0.0, 1e308]]
    assert torch.equal(as_points(huge), torch.tensor(huge, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"positions must be finite, got \[nan, 0.0, 0.0\] at row 2"):
        as_points([*huge, [math.nan, 0.0, 0.0]])


@pytest.mark.parametrize("periodic", [False, True])
def test_given_edges_are_used_as_they_are(periodic):
    """Vesin's own edges, given back, give the same geometry and output to the bit; the twin agrees."""
    model = seeded(**SMALL)
    points, cell = crystal(5) if periodic else (1.5 * crystal(10)[0], None)  # 48 and 52 edges
    features = random_features(model, len(points))
    found = model.geometry(points, cell, periodic)
    edges = (found.src, found.dst, found.shifts.long()) if periodic else torch.stack([found.src, found.dst])
    given = model.geometry(points, cell, periodic, edges=edges)
    for field in ("src", "dst", "shifts", "vectors", "attr", "basis"):
        assert torch.equal(getattr(given, field), getattr(found, field)), field
    assert torch.equal(model(features, given), model(features, found))
    twin = model.to_e3nn()(features, points, cell, periodic, edges=edges)
    # measured 1.1e-15 (periodic, 48 edges) and 1.2e-15 (the cloud, 52 edges)
    assert relative(twin, model(features, given)) < tolerance(found)


def test_given_edges_may_be_any_and_rotate_with_the_points():
    """A chosen graph (a ring, one of its edges longer than max_radius) is equivariant; the long edge,
    whose cutoff is zero, changes nothing."""
    model = seeded(**SMALL)
    points = torch.tensor(
        [[0.0, 0, 0], [1.2, 0.1, 0], [1.3, 1.1, 0.2], [0.2, 1.4, -0.3]], dtype=torch.float64
    )
    ring = [[0, 1, 2, 3, 1, 2, 3, 0], [1, 2, 3, 0, 0, 1, 2, 3]]
    features = random_features(model, 4)
    g = random_orthogonal(3, improper=True)
    output = model(features, model.geometry(points, edges=ring))
    rotated = model(features @ irreps_matrix(model.irreps_in, g).T, model.geometry(points @ g.T, edges=ring))
    geometry = model.geometry(points, edges=ring)
    # measured 1.5e-15
    assert relative(rotated, output @ irreps_matrix(model.irreps_out, g).T) < tolerance(geometry)
    far = torch.tensor([[0.0, 0, 0], [5.0, 0, 0]], dtype=torch.float64)  # 5 Å > max_radius 2.5 Å
    alone = model(random_features(model, 2), model.geometry(far, edges=[[], []]))
    joined = model(random_features(model, 2), model.geometry(far, edges=[[0, 1], [1, 0]]))
    assert torch.equal(joined, alone)


@pytest.mark.parametrize(
    ("edges", "cell", "error", "match"),
    [
        ([[0, 1], [1, 0]], None, None, None),
        ([[0.0, 1.0], [1.0, 0.0]], None, TypeError, r"integer arrays, got \['torch.float32'"),
        ([[True], [False]], None, TypeError, "integer arrays"),
        ([[0, 1]], None, TypeError, "integer arrays"),
        ("ab", None, TypeError, "integer arrays, got str"),
        (
            [[0, 1], [1]],
            None,
            ValueError,
            r"shapes \(E,\), \(E,\) and \(E, 3\) for the shifts, got \[\(2,\), \(1,\)\]",
        ),
        ([[0, 1], [1, 2]], None, ValueError, "edges name point 2, but there are 2 points"),
        ([[0, -1], [1, 0]], None, ValueError, "edges name point -1"),
        ([[0, 1], [1, 1]], None, ValueError, "edge 1 joins coincident points: row 1"),
        ([[0], [1], [[0, 0, 1]]], None, ValueError, "not periodic"),
        ([[0], [1]], torch.eye(3) * 4, ValueError, "need their shifts"),
        (
            [[0], [0], [[0, 0, 0]]],
            torch.eye(3) * 4,
            ValueError,
            r"edge 0 joins coincident points: row 0, shifted by the lattice vectors \[0, 0, 0\]",
        ),
    ],
)
def test_bad_edges_are_named(edges, cell, error, match):
    model = seeded(**SMALL)
    points = [[0.0, 0, 0], [1, 0, 0]]
    pbc = cell is not None
    if error is None:  # the valid edges the others spoil
        assert model.geometry(points, cell, pbc, edges=edges).n_edges == 2
        return
    with pytest.raises(error, match=match):
        model.geometry(points, cell, pbc, edges=edges)
