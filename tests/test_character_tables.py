"""Character tables: orthogonality for all 32 groups, and the published tables of the mission's groups.

``tests/data/character_tables.json`` is a copy of the project's reference file (published tables from the
Bilbao Crystallographic Server and Gernot Katzer's pages), so that the tests run without ``../shared``.
"""

import json
from pathlib import Path

import pytest
import torch
from e3nn import o3

from symmetry_tasks import groups
from symmetry_tasks.character_tables import irrep_projector
from symmetry_tasks.equivariance import wigner_D

REFERENCE = json.loads((Path(__file__).parent / "data" / "character_tables.json").read_text())


@pytest.mark.parametrize("name", groups.NAMES)
def test_orthogonality_and_completeness(name):
    group = groups.point_group(name)
    table = group.character_table()
    sizes = torch.tensor(table.class_sizes, dtype=torch.complex128)
    chi = table.characters
    assert len(table.irreps) == len(table.classes) == len(set(table.irreps))
    assert sum(table.class_sizes) == group.order
    gram = (chi.conj() * sizes) @ chi.T / group.order  # rows: <chi_i, chi_j>
    assert torch.allclose(gram, torch.eye(len(chi), dtype=torch.complex128), atol=1e-9)
    columns = chi.conj().T @ chi  # column orthogonality: |G| / |C_k| on the diagonal
    assert torch.allclose(columns, torch.diag(group.order / sizes), atol=1e-9)
    assert sum(d**2 for d in table.dimensions) == group.order


@pytest.mark.parametrize("name", ["C2", "C4", "D2h", "D4h"])
def test_published_tables(name):
    reference, table = REFERENCE[name], groups.point_group(name).character_table()
    assert sorted(table.classes) == sorted(reference["classes"])
    assert sorted(table.irreps) == sorted(reference["irreps"])
    for cls, size in zip(reference["classes"], reference["class_sizes"], strict=True):
        assert table.class_sizes[table.classes.index(cls)] == size
    for label, row in reference["irreps"].items():
        for cls, value in zip(reference["classes"], row["characters"], strict=True):
            expected = complex(*value) if isinstance(value, list) else complex(value)
            got = complex(table.characters[table.irreps.index(label), table.classes.index(cls)])
            assert abs(got - expected) < 1e-9, (label, cls)
        listed = {f.replace(" ", "") for f in table.functions[label]}
        assert listed == {f.replace(" ", "") for f in row["functions"]}, label


def test_order_parameter_labels_of_the_square():
    table = groups.point_group("D4h").character_table()
    assert "x^2-y^2" in table.functions["B1g"]
    assert "xy" in table.functions["B2g"]
    assert "xy" in groups.point_group("D2h").character_table().functions["B1g"]


def test_decompose_the_harmonics():
    d4h = groups.point_group("D4h")
    assert groups.decompose(d4h, "2e") == {"A1g": 1, "B1g": 1, "B2g": 1, "Eg": 1}
    assert groups.decompose(d4h, "1o") == {"A2u": 1, "Eu": 1}
    for name in ("Oh", "D6h", "C3v", "C4"):
        group = groups.point_group(name)
        table = group.character_table()
        for l in range(6):
            counts = groups.decompose(group, o3.Irrep(l, (-1) ** l))
            assert sum(m * table.dimensions[table.irreps.index(k)] for k, m in counts.items()) == 2 * l + 1


def test_correlation_d4h_to_d2h():
    table = groups.correlation(groups.point_group("D4h"), groups.point_group("D2h"))
    assert table["A1g"] == {"Ag": 1}
    assert table["B1g"] == {"Ag": 1}  # x^2 - y^2 becomes invariant: the rectangle's order parameter
    assert table["B2g"] == {"B1g": 1}
    assert table["Eu"] == {"B2u": 1, "B3u": 1}
    with pytest.raises(ValueError, match="not a subgroup"):
        groups.correlation(groups.point_group("D2h"), groups.point_group("D4h"))


@pytest.mark.parametrize(("name", "ir"), [("D4h", "2e"), ("Oh", "4e"), ("C4", "3o"), ("D3h", "3o")])
def test_irrep_projectors_are_a_resolution_of_the_identity(name, ir):
    group = groups.point_group(name)
    table = group.character_table()
    projectors = [irrep_projector(group, label, ir) for label in table.real_irreps]
    total = sum(projectors)
    assert torch.allclose(total, torch.eye(total.shape[0], dtype=torch.float64), atol=1e-9)
    for p in projectors:
        assert torch.allclose(p @ p, p, atol=1e-9)
        assert torch.allclose(p, p.T, atol=1e-9)
        for g in group.matrices:  # each part is invariant: P commutes with the representation
            d = wigner_D(o3.Irreps(ir), g)
            assert torch.allclose(d @ p, p @ d, atol=1e-9)


def test_unknown_irrep_label_is_named():
    with pytest.raises(ValueError, match="no irrep 'B3g'"):
        groups.point_group("D4h").character_table().character("B3g")
