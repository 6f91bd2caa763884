"""Character tables: orthogonality for all 32 groups, and the published tables of the mission's groups.

``tests/data/character_tables.json`` is a copy of the project's reference file (published tables from the
Bilbao Crystallographic Server and Gernot Katzer's pages), so that the tests run without ``../shared``.
"""

import json
import re
from pathlib import Path

import pytest
import torch
from e3nn import o3

from symmetry_tasks.equivariance import random_orthogonal, wigner_D
from symmetry_tasks.signals import polynomial_to_sh, x2_minus_y2
from symmetry_tasks.symmetry import characters
from symmetry_tasks.symmetry import point_groups as groups
from symmetry_tasks.symmetry.characters import irrep_projector

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
    assert characters.decompose(d4h, "2e") == {"A1g": 1, "B1g": 1, "B2g": 1, "Eg": 1}
    assert characters.decompose(d4h, "1o") == {"A2u": 1, "Eu": 1}
    for name in ("Oh", "D6h", "C3v", "C4"):
        group = groups.point_group(name)
        table = group.character_table()
        for l in range(6):
            counts = characters.decompose(group, o3.Irrep(l, (-1) ** l))
            assert sum(m * table.dimensions[table.irreps.index(k)] for k, m in counts.items()) == 2 * l + 1


def test_correlation_d4h_to_d2h():
    table = characters.correlation(groups.point_group("D4h"), groups.point_group("D2h"))
    assert table["A1g"] == {"Ag": 1}
    assert table["B1g"] == {"Ag": 1}  # x^2 - y^2 becomes invariant: the rectangle's order parameter
    assert table["B2g"] == {"B1g": 1}
    assert table["Eu"] == {"B2u": 1, "B3u": 1}
    with pytest.raises(ValueError, match="not a subgroup"):
        characters.correlation(groups.point_group("D2h"), groups.point_group("D4h"))


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


def _class_of(table, name):
    return next(
        (k for k, c in enumerate(table.classes) if c.lstrip("0123456789") == name),
        None,
    )


@pytest.mark.parametrize("name", groups.NAMES)
def test_labels_follow_mulliken_rules(name):
    table = groups.point_group(name).character_table()
    inversion, sigma_h = _class_of(table, "i"), _class_of(table, "sigma_h")
    principal = _class_of(table, "C4") if _class_of(table, "C4") is not None else _class_of(table, "C6")
    for label, row, d in zip(table.irreps, table.characters, table.dimensions, strict=True):
        letter = label.lstrip("12")[0]
        complex_pair = bool((row.imag.abs() > 1e-9).any())
        assert letter == ("E" if complex_pair or d == 2 else "T" if d == 3 else letter)
        assert (letter in "AB") == (d == 1 and not complex_pair)
        assert label[0] in "12" if complex_pair else label[0] not in "12"
        if inversion is not None:
            assert label.endswith("g") == (float(row[inversion].real) > 0), label
        elif sigma_h is not None and "C2(" not in "".join(table.classes):
            assert label.endswith("''") == (float(row[sigma_h].real) < 0), label
        if d == 1 and not complex_pair and principal is not None and name not in ("O", "Oh"):
            assert (letter == "A") == (float(row[principal].real) > 0), label


@pytest.mark.parametrize(
    ("name", "labels", "vector_irrep"),
    [
        ("Oh", {"A1g", "A2g", "Eg", "T1g", "T2g", "A1u", "A2u", "Eu", "T1u", "T2u"}, "T1u"),
        ("Td", {"A1", "A2", "E", "T1", "T2"}, "T2"),
        ("C3v", {"A1", "A2", "E"}, "E"),
        ("D3h", {"A1'", "A2'", "E'", "A1''", "A2''", "E''"}, "E'"),
        ("D6h", {f"{a}{s}" for a in ("A1", "A2", "B1", "B2", "E1", "E2") for s in "gu"}, "E1u"),
    ],
)
def test_published_labels_of_other_groups(name, labels, vector_irrep):
    table = groups.point_group(name).character_table()
    assert set(table.irreps) == labels
    assert any(f.replace(" ", "") in ("(x,y,z)", "(x,y)") for f in table.functions[vector_irrep])


@pytest.mark.parametrize("name", groups.NAMES)
def test_basis_functions_agree_with_the_e3nn_projectors(name):
    """The Cartesian projection that finds the functions and e3nn's Wigner matrices agree on every one."""
    group = groups.point_group(name)
    table = group.character_table()
    for label in table.real_irreps:
        parts = label.split("+")
        listed = [f for part in parts for f in table.functions[part]]
        for entry in listed:
            for function in entry.strip("()").split(", "):
                if "i" in function or function.startswith("R"):
                    continue  # complex combinations; rotations are checked through "1e" below
                l = 1 if len(function) == 1 else 2
                product = re.sub(r"(?<=[0-9xyz])(?=[xyz])", "*", function)  # "xy" -> "x*y"
                block = polynomial_to_sh(product, 2)[l * l : (l + 1) ** 2]
                p = irrep_projector(group, label, "1o" if l == 1 else "2e")
                assert torch.allclose(p @ block, block, atol=1e-9), (label, function)
        rotations = [f for entry in listed for f in entry.strip("()").split(", ") if f in ("Rx", "Ry", "Rz")]
        p = irrep_projector(group, label, "1e")
        for rotation in rotations:  # an axial vector: the l = 1 harmonics with even parity
            block = polynomial_to_sh(rotation[1], 1)[1:4]
            assert torch.allclose(p @ block, block, atol=1e-9), (label, rotation)


def test_x2_minus_y2_spans_b1g_of_the_square():
    vector = x2_minus_y2(2)[4:9]
    vector = vector / vector.norm()
    p = irrep_projector(groups.point_group("D4h"), "B1g", "2e")
    assert torch.allclose(p, torch.outer(vector, vector), atol=1e-12)
    assert torch.allclose(vector[2:5:2], torch.tensor([-(3**0.5) / 2, -0.5], dtype=torch.float64), atol=1e-12)


def test_complex_pairs_project_together():
    c4 = groups.point_group("C4")
    table = c4.character_table()
    assert table.resolve("E") == "1E+2E"
    pair = irrep_projector(c4, "E", "1o")
    assert torch.allclose(pair, irrep_projector(c4, "1E+2E", "1o"))
    assert torch.allclose(pair, torch.diag(torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64)), atol=1e-12)
    with pytest.raises(ValueError, match=r"'1E' of C4 is complex.*'1E\+2E'"):
        irrep_projector(c4, "1E", "1o")


def test_bad_labels_and_irreps_are_named():
    d4h = groups.point_group("D4h")
    with pytest.raises(ValueError, match="no irrep 'E'"):
        irrep_projector(d4h, "E", "2e")
    with pytest.raises(ValueError, match=r"not an e3nn irrep.*'2x'"):
        irrep_projector(d4h, "B1g", "2x")
    with pytest.raises(ValueError, match=r"not an e3nn irrep.*'l=2'"):
        characters.decompose(d4h, "l=2")


def test_a_turned_group_keeps_its_labels():
    """A group seen in another frame has the same table, with the class names of that frame."""
    frame = random_orthogonal(11)
    for name in ("D4h", "D6h", "Oh", "D3d", "C4h"):
        group = groups.point_group(name)
        plain, turned = group.character_table(), group.transformed(frame).character_table()
        assert turned.irreps == plain.irreps and len(set(turned.classes)) == len(turned.classes)
        for label in plain.irreps:  # elements keep their order under transformed()
            assert torch.allclose(turned.character(label), plain.character(label), atol=1e-9), (name, label)


def test_the_rhombus_is_a_turned_d2h():
    """D2h turned by 45 degrees about z (the rhombus): its axes are z, x' = (1, 1, 0) and y'."""
    turn = torch.tensor([[1.0, -1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2**0.5]], dtype=torch.float64) / 2**0.5
    rhombus = groups.point_group("D2h").transformed(turn)
    table = rhombus.character_table()
    assert table.irreps == groups.point_group("D2h").character_table().irreps
    assert {"C2(z)", "C2(x')", "C2(y')", "sigma(x'y')"} <= set(table.classes)
    assert "xy" in table.functions["Ag"] and "x^2-y^2" in table.functions["B1g"]
    square_to_rhombus = characters.correlation(groups.point_group("D4h"), rhombus)
    assert square_to_rhombus["B2g"] == {"Ag": 1} and square_to_rhombus["B1g"] == {"B1g": 1}
