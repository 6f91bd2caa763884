"""Edges from vesin's neighbour list: finite clouds of any size and periodic cells, with bad input named."""

import math

import ase
import pytest
import torch

from symmetry_tasks.equivariance import irreps_matrix, random_orthogonal
from symmetry_tasks.nn import EquivariantNetwork

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
