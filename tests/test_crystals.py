"""Crystals: space groups and site symmetries in any orientation, Glazer's tilt systems, bad input."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import spglib
import torch
from ase import Atoms
from ase.build import bulk

from symmetry_tasks.crystals import (
    GLAZER_SYSTEMS,
    MAX_ANGLE,
    check_atoms,
    general_system,
    operations,
    perovskite,
    rotated,
    site_symmetry,
    space_group,
)
from symmetry_tasks.equivariance import irreps_matrix, random_orthogonal
from symmetry_tasks.symmetry import character_table, order_parameters, schoenflies

F64 = torch.float64
EPS = torch.finfo(F64).eps
PUBLISHED = json.loads((Path(__file__).parent / "data" / "howard_stokes_1998.json").read_text())


def _operation_set(atoms):
    rotations, translations = operations(atoms).fractional
    return {
        (w.tobytes(), tuple(np.round(t % 1.0, 6) % 1.0)) for w, t in zip(rotations, translations, strict=True)
    }


STRUCTURES = {
    "rocksalt": bulk("NaCl", "rocksalt", a=5.64, cubic=True),
    "wurtzite": bulk("ZnO", "wurtzite", a=3.25, c=5.2),
    "cubic perovskite": perovskite("a0a0a0", supercell=1),
    "a0a0c-": perovskite("a0a0c-"),
    "a+b-b-": perovskite("a+b-b-"),
    "a-a-a-": perovskite("a-a-a-"),
}


def test_glazer_systems_are_glazers_23():
    assert len(GLAZER_SYSTEMS) == len(set(GLAZER_SYSTEMS)) == 23


@pytest.mark.parametrize("tilts", sorted(PUBLISHED["systems"]))
def test_howard_and_stokes(tilts):
    """The space group spglib finds is the one Howard and Stokes (1998) derived by group theory."""
    number, symbol = PUBLISHED["systems"][tilts]
    found = space_group(perovskite(tilts))
    assert (found.number, found.symbol.replace("_", "")) == (number, symbol.replace("_", ""))


def test_the_systems_outside_howard_and_stokes_table():
    """The 8 systems not in their table: all but two fall in groups of the table (the page says so)."""
    published = {number for number, _ in PUBLISHED["systems"].values()}
    rest = [tilts for tilts in GLAZER_SYSTEMS if tilts not in PUBLISHED["systems"]]
    assert len(rest) == 8
    groups = {tilts: space_group(perovskite(tilts)) for tilts in rest}
    outside = {tilts: group.symbol for tilts, group in groups.items() if group.number not in published}
    assert outside == {"a+b+c-": "Pmmn", "a+b+b-": "Pmmn"}


@pytest.mark.parametrize("tilts", GLAZER_SYSTEMS)
def test_every_system_is_a_subgroup_of_its_general_case_and_of_the_cube(tilts):
    """Equal angles only add symmetry, and tilting only removes it: ops(general) <= ops(tilts) <= ops(cubic)."""
    here = _operation_set(perovskite(tilts))
    general = _operation_set(perovskite(general_system(tilts)))
    cubic = _operation_set(perovskite("a0a0a0"))
    assert general <= here <= cubic
    assert len(cubic) % len(here) == 0
    assert (here == cubic) == (tilts == "a0a0a0")


@pytest.mark.parametrize("tilts", GLAZER_SYSTEMS)
def test_octahedra_stay_nearly_rigid(tilts):
    """Each B keeps six X at a/2 to first order in the angles: a bond changes by O(angle^2) only."""
    atoms = perovskite(tilts)
    b_sites = np.flatnonzero(atoms.numbers == 22)
    distances = atoms.get_all_distances(mic=True)[b_sites][:, atoms.numbers == 8]
    bonds = np.sort(distances, axis=1)[:, :6]
    turn = math.radians(math.hypot(8.0, 6.0, 4.0))  # the largest rotation angle, default angles
    assert np.abs(bonds - 2.0).max() <= 2.0 * turn**2  # (a/2) |omega|^2 = 0.071 Å; measured 0.038 Å


@pytest.mark.parametrize("name", STRUCTURES)
@pytest.mark.parametrize("improper", [False, True])
def test_space_group_and_site_symmetry_in_any_orientation(name, improper):
    atoms = STRUCTURES[name]
    turn = random_orthogonal(len(name), improper=improper)
    turned = rotated(atoms, turn.numpy())
    assert space_group(turned) == space_group(atoms)
    dataset = spglib.get_symmetry_dataset(
        (atoms.cell[:], atoms.get_scaled_positions(), atoms.numbers), symprec=1e-3, _throw=True
    )
    for i in range(len(atoms)):
        site, seen = site_symmetry(atoms, i), site_symmetry(turned, i)
        # the same point group as spglib's own site-symmetry symbol ...
        assert site.name == schoenflies(dataset.site_symmetry_symbols[i].replace(".", ""))
        # ... and, in the turned crystal, the same elements turned: R g R^T
        expected = turn @ site.matrices @ turn.T
        gaps = (expected[:, None] - seen.matrices[None]).flatten(2).abs().amax(dim=2)
        assert float(gaps.amin(dim=1).max()) <= 64 * EPS * len(atoms)  # measured 8.9e-16


def test_site_symmetry_feeds_the_point_group_tools():
    """The B site goes from Oh to C4h in a0a0c-: an axial vector along z is invariant under C4h, not Oh."""
    cubic, tilted = perovskite("a0a0a0"), perovskite("a0a0c-")
    b = int(np.flatnonzero(cubic.numbers == 22)[0])
    G, H = site_symmetry(cubic, b), site_symmetry(tilted, b)
    assert (G.name, H.name) == ("Oh", "C4h")
    assert len(character_table(H).real_irreps) == 6
    (first, *_) = order_parameters(G, H, 2)  # both parities: the axial vector (1e) along z comes first
    assert (str(first.irrep), first.label, first.kind) == ("1e", "T1g", "pseudovector")
    (ordinary, *_) = order_parameters(G, H, 2, natural_parity=True)  # (l, (-1)^l) only: none at l = 1
    assert (str(ordinary.irrep), ordinary.label) == ("2e", "Eg")
    axial = {
        name: torch.stack([irreps_matrix("1e", g) for g in group.matrices]).mean(dim=0)
        for name, group in [("G", G), ("H", H)]
    }
    tol = 64 * EPS * H.order
    assert torch.allclose(axial["G"], torch.zeros(3, 3, dtype=F64), atol=tol)
    assert torch.allclose(
        axial["H"], torch.diag(torch.tensor([0.0, 0.0, 1.0], dtype=F64)), atol=tol
    )  # e3nn's z


def test_space_group_of_a_decorated_structure():
    """A field on the atoms lowers the space group to the operations that carry it."""
    atoms = perovskite("a0a0a0", supercell=1)
    field = torch.zeros(len(atoms), 3, dtype=F64)
    field[atoms.numbers == 22, 2] = 1.0  # the same vector along z on the B site
    assert space_group(atoms, features=field, irreps="1e").symbol == "P4/m"
    assert space_group(atoms, features=field, irreps="1o").symbol == "P4mm"
    assert space_group(atoms, features=torch.ones(len(atoms), 1, dtype=F64), irreps="0e").number == 221


@pytest.mark.parametrize(
    ("tilts", "angles", "message"),
    [
        ("a+b-d-", None, "not one of Glazer's 23"),
        ("b+a-a-", None, "not one of Glazer's 23"),
        ("a+b-", None, "not one of Glazer's 23"),
        ("a+b-b-", (10, 5), "three numbers"),
        ("a+b-b-", "10", "three numbers"),
        ("a+b-b-", (10, -5, -5), r"in \[0, 30\]"),
        ("a+b-b-", (10, 60, 60), r"in \[0, 30\]"),
        ("a+b-b-", (10, math.nan, 5), "finite"),
        ("a+b-b-", (10, 5, 6), "must be equal"),
        ("a+b-c-", (10, 5, 5), "must differ"),
        ("a0b-b-", (1, 5, 5), "untilted"),
        ("a+b-b-", (0, 5, 5), "tilted"),
    ],
)
def test_bad_tilts(tilts, angles, message):
    with pytest.raises(ValueError, match=message):
        perovskite(tilts, angles)


def test_bad_perovskite_arguments():
    with pytest.raises(TypeError, match="Glazer symbol"):
        perovskite(3)
    with pytest.raises(ValueError, match="even supercell"):
        perovskite("a0a0c-", supercell=3)
    with pytest.raises(ValueError, match="positive int"):
        perovskite("a0a0a0", supercell=0)
    with pytest.raises(ValueError, match="lattice_constant"):
        perovskite("a0a0a0", lattice_constant=-4.0)
    with pytest.raises(ValueError, match="overlap"):
        perovskite("a0a0a0", lattice_constant=0.8)
    assert MAX_ANGLE == 30.0
    assert len(perovskite("a-a-a-", (MAX_ANGLE,) * 3)) == 40  # the largest tilt is accepted


def test_bad_structures():
    good = bulk("NaCl", "rocksalt", a=5.64)
    with pytest.raises(TypeError, match=r"ase\.Atoms"):
        space_group(good.get_positions())
    with pytest.raises(ValueError, match="no atoms"):
        space_group(Atoms(cell=np.eye(3), pbc=True))
    with pytest.raises(ValueError, match="periodic"):
        space_group(Atoms("H2", positions=[(0, 0, 0), (1, 0, 0)], cell=np.eye(3) * 5))
    with pytest.raises(ValueError, match="singular"):
        check_atoms(Atoms("H", positions=[(0, 0, 0)], cell=np.diag([1.0, 1.0, 0.0]), pbc=True))
    overlapping = Atoms("NaCl", positions=[(0, 0, 0), (0.1, 0, 0)], cell=np.eye(3) * 5, pbc=True)
    with pytest.raises(ValueError, match="atoms 0 and 1 overlap"):
        space_group(overlapping)
    with pytest.raises(ValueError, match="symprec"):
        space_group(good, symprec=0.0)
    with pytest.raises(TypeError, match="symprec"):
        space_group(good, symprec="1e-3")
    with pytest.raises(ValueError, match=r"in \[0, 2\)"):
        site_symmetry(good, 2)
    with pytest.raises(TypeError, match="int index"):
        site_symmetry(good, 0.0)
    with pytest.raises(ValueError, match="irreps"):
        space_group(good, features=torch.zeros(2, 3, dtype=F64))
    with pytest.raises(ValueError, match="orthogonal"):
        rotated(good, np.eye(3) * 2)
