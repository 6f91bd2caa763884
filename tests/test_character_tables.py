"""Character tables: orthogonality, turned copies of all 32 groups, published tables, products, reductions.

``tests/data/character_tables.json`` holds published tables (Bilbao Crystallographic Server, program
POINT, and Gernot Katzer's character-table pages) of C2, C4, D2h and D4h.
"""

import json
import re
from pathlib import Path

import pytest
import torch
from e3nn import o3

from symmetry_tasks.equivariance import irreps_matrix, random_orthogonal
from symmetry_tasks.polynomials import polynomial_to_sh
from symmetry_tasks.signals import x2_minus_y2
from symmetry_tasks.symmetry import (
    NAMES,
    character_table,
    correlation,
    decompose,
    from_matrices,
    irrep_projector,
    point_group,
    reduce_o3,
)

REFERENCE = json.loads((Path(__file__).parent / "data" / "character_tables.json").read_text())
F64, C128 = torch.float64, torch.complex128
EPS = torch.finfo(F64).eps


def exact(order: int) -> float:
    """Rounding of a sum over a group of products of two characters (each at most 3 in modulus, the
    characters themselves exact to the last bit): ``order`` terms up to 9, each rounded once.
    Measured: at most 1.1 EPS * order (orthogonality of all 32 tables and the axial ones)."""
    return 9 * EPS * order


def projection(order: int, ir: str) -> float:
    """Rounding of a projector on e3nn's harmonics of ``ir``: a mean of ``order`` Wigner matrices of size
    2l + 1, and products of two such. Measured: at most 6.2e-15 (Oh, 4e: 0.6 EPS * order * dim)."""
    return 4 * EPS * order * o3.Irrep(ir).dim


AXIAL = ["C5", "C5v", "C5h", "D5", "D5h", "D5d", "D4d", "D6d", "S8", "S10", "S12", "C8h", "D8h", "C12v"]


def _element_orthogonality(group, table):
    """Rows orthonormal over the *elements*: the classes are assigned to the right matrices."""
    chi = torch.stack([table.character(label) for label in table.irreps])
    gram = chi.conj() @ chi.T / group.order
    assert torch.allclose(gram, torch.eye(len(chi), dtype=C128), rtol=0, atol=exact(group.order))


def _vector_character(group):
    """The character of the vector representation, trace g, on every element."""
    return torch.stack([g.trace() for g in group.matrices]).to(C128)


@pytest.mark.parametrize("name", [*NAMES, *AXIAL])
def test_orthogonality_and_completeness(name):
    group = point_group(name)
    table = character_table(group)
    sizes = torch.tensor(table.class_sizes, dtype=C128)
    chi = table.characters
    assert len(table.irreps) == len(table.classes) == len(set(table.irreps)) == len(set(table.classes))
    assert sum(table.class_sizes) == group.order
    gram = (chi.conj() * sizes) @ chi.T / group.order  # rows: <chi_i, chi_j>
    assert torch.allclose(gram, torch.eye(len(chi), dtype=C128), rtol=0, atol=exact(group.order))
    columns = chi.conj().T @ chi  # column orthogonality: |G| / |C_k| on the diagonal
    assert torch.allclose(columns, torch.diag(group.order / sizes), rtol=0, atol=exact(group.order))
    assert sum(d**2 for d in table.dimensions) == group.order
    _element_orthogonality(group, table)


@pytest.mark.parametrize("name", NAMES)
def test_turned_groups_have_the_standard_table(name):
    """Any copy of a group has the standard labels and class names, element by element through its frame."""
    standard = character_table(name)
    for seed in range(3):
        turn = random_orthogonal(seed, improper=seed == 1)
        turned = point_group(name).transformed(turn)
        table = character_table(turned)
        assert (table.classes, table.irreps, table.class_sizes) == (
            standard.classes,
            standard.irreps,
            standard.class_sizes,
        )
        assert torch.equal(table.characters, standard.characters)
        for label in standard.irreps:  # transformed() keeps the order of the elements
            assert torch.equal(table.character(label), standard.character(label)), (name, label)
        # a shuffled copy with no frame: the frame is found, and the table is a table of these matrices
        order = torch.randperm(turned.order, generator=torch.Generator().manual_seed(seed))
        found = from_matrices(turned.matrices[order])
        found_table = character_table(found)
        assert (found_table.classes, found_table.irreps) == (standard.classes, standard.irreps)
        _element_orthogonality(found, found_table)
        vector = _vector_character(found)
        counts = found_table.decompose_character(vector[[m[0] for m in found_table.class_members]])
        rebuilt = sum(m * found_table.character(label) for label, m in counts.items())
        assert torch.allclose(
            rebuilt, vector, rtol=0, atol=exact(found.order)
        )  # l = 1 splits into these irreps, element by element


def test_one_dimensional_irreps_are_homomorphisms_in_any_frame():
    for name in ("D4h", "C6v", "D3h", "Td", "C4h", "D2d"):
        group = from_matrices(point_group(name).transformed(random_orthogonal(3)).matrices)
        table = character_table(group)
        for label, d in zip(table.irreps, table.dimensions, strict=True):
            if d == 1:
                chi = table.character(label)
                for a, g in enumerate(group.matrices):
                    for b, h in enumerate(group.matrices):
                        assert abs(complex(chi[group.index(g @ h)] - chi[a] * chi[b])) < exact(1)


@pytest.mark.parametrize("name", ["C2", "C4", "D2h", "D4h"])
def test_published_tables(name):
    reference, table = REFERENCE[name], character_table(name)
    assert sorted(table.classes) == sorted(reference["classes"])
    assert sorted(table.irreps) == sorted(reference["irreps"])
    for cls, size in zip(reference["classes"], reference["class_sizes"], strict=True):
        assert table.class_sizes[table.classes.index(cls)] == size
    for label, row in reference["irreps"].items():
        for cls, value in zip(reference["classes"], row["characters"], strict=True):
            expected = complex(*value) if isinstance(value, list) else complex(value)
            got = complex(table.characters[table.irreps.index(label), table.classes.index(cls)])
            assert abs(got - expected) < exact(1), (label, cls)
        listed = {f.replace(" ", "") for f in table.functions[label]}
        assert listed == {f.replace(" ", "") for f in row["functions"]}, label


def _class_of(table, name):
    return next((k for k, c in enumerate(table.classes) if c.lstrip("0123456789") == name), None)


@pytest.mark.parametrize("name", [*NAMES, *AXIAL])
def test_labels_follow_mulliken_rules(name):
    table = character_table(name)
    inversion, sigma_h = _class_of(table, "i"), _class_of(table, "sigma_h")
    principal = next((_class_of(table, f"C{n}") for n in (12, 8, 6, 5, 4) if _class_of(table, f"C{n}")), None)
    if inversion is None:  # S4, S8, D2d, D4d: the rotoreflection of the highest order is principal
        principal = next(
            (_class_of(table, f"S{n}") for n in (12, 8, 4) if _class_of(table, f"S{n}")), principal
        )
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
        if (
            d == 1 and not complex_pair and principal is not None and name not in ("O", "Oh", "Td")
        ):  # cubic: all A
            assert (letter == "A") == (float(row[principal].real) > 0), label
    assert "C2''" not in [c.lstrip("0123456789") for c in table.classes] or any(
        "C2'" in c for c in table.classes
    )


@pytest.mark.parametrize(
    ("name", "labels", "vector_irrep"),
    [
        ("Oh", {"A1g", "A2g", "Eg", "T1g", "T2g", "A1u", "A2u", "Eu", "T1u", "T2u"}, "T1u"),
        ("Td", {"A1", "A2", "E", "T1", "T2"}, "T2"),
        ("C3v", {"A1", "A2", "E"}, "E"),
        ("D3h", {"A1'", "A2'", "E'", "A1''", "A2''", "E''"}, "E'"),
        ("D6h", {f"{a}{s}" for a in ("A1", "A2", "B1", "B2", "E1", "E2") for s in "gu"}, "E1u"),
        ("D2", {"A", "B1", "B2", "B3"}, "B3"),
        ("D4d", {"A1", "A2", "B1", "B2", "E1", "E2", "E3"}, "E1"),
    ],
)
def test_published_labels_of_other_groups(name, labels, vector_irrep):
    table = character_table(name)
    assert set(table.irreps) == labels
    assert any(f.replace(" ", "") in ("(x,y,z)", "(x,y)", "x") for f in table.functions[vector_irrep])


def test_c6v_b1_is_symmetric_under_the_mirrors_through_the_c2_prime_axes():
    """Published C6v: B1 has +1 on 3sigma_v, the planes that contain D6h's C2' axes (x among them)."""
    table = character_table("C6v")
    xz_plane = torch.diag(torch.tensor([1.0, -1.0, 1.0], dtype=F64))  # contains x, a C2' axis of D6h
    member = point_group("C6v").index(xz_plane)
    sigma_v = next(c for c, m in enumerate(table.class_members) if member in m)
    assert table.classes[sigma_v] == "3sigma_v"
    assert float(table.characters[table.irreps.index("B1"), sigma_v].real) == 1.0
    assert correlation("D6h", "C6v")["B1g"] == {"B2": 1}  # B1g is -1 on sigma_v of D6h
    assert correlation("D3h", "C3v")["A1'"] == {"A1": 1}


def test_t_and_th_list_their_e_pair():
    for name, labels in (("T", ("1E", "2E")), ("Th", ("1Eg", "2Eg"))):
        table = character_table(name)
        for label in labels:
            assert table.functions[label] == ["(2z^2-x^2-y^2, x^2-y^2)"]


@pytest.mark.parametrize("name", [*NAMES, *AXIAL])
def test_reality_counts_the_involutions(name):
    """Frobenius-Schur: sum of indicator times dimension = number of g with g^2 = 1."""
    group, table = point_group(name), character_table(name)
    involutions = sum(
        bool(torch.allclose(g @ g, torch.eye(3, dtype=F64), atol=1e-12)) for g in group.matrices
    )
    reality = table.reality
    assert (
        sum(reality[label] * d for label, d in zip(table.irreps, table.dimensions, strict=True))
        == involutions
    )
    for label, row in zip(table.irreps, table.characters, strict=True):
        assert reality[label] == (0 if bool((row.imag.abs() > 1e-9).any()) else 1), label


@pytest.mark.parametrize("name", ["Oh", "D6h", "C4h", "T", "D3d", "C5v"])
def test_products_and_squares(name):
    table = character_table(name)
    dims = dict(zip(table.irreps, table.dimensions, strict=True))
    trivial = table.irreps[0]
    for a in table.irreps:
        assert table.product(trivial, a) == {a: 1}
        for b in table.irreps:
            product = table.product(a, b)
            assert sum(m * dims[k] for k, m in product.items()) == dims[a] * dims[b]
            assert product == table.product(b, a)
        symmetric, antisymmetric = table.symmetric_square(a), table.antisymmetric_square(a)
        assert sum(m * dims[k] for k, m in symmetric.items()) == dims[a] * (dims[a] + 1) // 2
        assert sum(m * dims[k] for k, m in antisymmetric.items()) == dims[a] * (dims[a] - 1) // 2
        both = {k: symmetric.get(k, 0) + antisymmetric.get(k, 0) for k in {*symmetric, *antisymmetric}}
        assert both == table.product(a, a)
        if table.reality[a] == 1:  # a real irrep's square holds the trivial irrep once, symmetrically
            assert symmetric.get(trivial) == 1 and trivial not in antisymmetric


def test_published_products():
    assert character_table("Oh").product("T1u", "T1u") == {"A1g": 1, "Eg": 1, "T1g": 1, "T2g": 1}
    assert character_table("Oh").symmetric_square("T1u") == {"A1g": 1, "Eg": 1, "T2g": 1}
    assert character_table("D4h").product("Eu", "Eu") == {"A1g": 1, "A2g": 1, "B1g": 1, "B2g": 1}
    assert character_table("C3").product("1E", "2E") == {"A": 1}


@pytest.mark.parametrize("name", [*NAMES, "D5h", "D6d"])
def test_o3_reduction_up_to_l10(name):
    table = character_table(name)
    dims = dict(zip(table.irreps, table.dimensions, strict=True))
    reduction = reduce_o3(name, 10)
    assert list(reduction) == [f"{l}{p}" for l in range(11) for p in "eo"]
    for key, counts in reduction.items():
        l = int(key[:-1])
        assert sum(m * dims[k] for k, m in counts.items()) == 2 * l + 1
    if name in (
        "Oh",
        "D4h",
        "C3v",
    ):  # the invariant harmonics are counted as e3nn's Wigner matrices count them
        group = point_group(name)
        for l in range(5):
            ir = o3.Irrep(l, (-1) ** l)
            average = torch.stack([irreps_matrix(o3.Irreps([(1, ir)]), g) for g in group.matrices]).mean(
                dim=0
            )
            assert reduction[str(ir)].get(table.irreps[0], 0) == round(float(average.trace()))


def test_published_reductions():
    assert decompose("D4h", "2e") == {"A1g": 1, "B1g": 1, "B2g": 1, "Eg": 1}
    assert decompose("D4h", "1o") == {"A2u": 1, "Eu": 1}
    assert reduce_o3("Oh", 4)["4e"] == {"A1g": 1, "Eg": 1, "T1g": 1, "T2g": 1}
    assert reduce_o3("Oh", 3)["3o"] == {"A2u": 1, "T1u": 1, "T2u": 1}


@pytest.mark.parametrize(
    ("name", "ir"), [("D4h", "2e"), ("Oh", "4e"), ("C4", "3o"), ("D3h", "3o"), ("T", "2e")]
)
def test_irrep_projectors_are_a_resolution_of_the_identity(name, ir):
    group = point_group(name).transformed(random_orthogonal(9))
    table = character_table(group)
    tol = projection(group.order, ir)
    projectors = [irrep_projector(group, label, ir) for label in table.real_irreps]
    total = sum(projectors)
    assert torch.allclose(total, torch.eye(total.shape[0], dtype=F64), rtol=0, atol=tol)
    for p in projectors:
        assert torch.allclose(p @ p, p, rtol=0, atol=tol)
        assert torch.allclose(p, p.T, rtol=0, atol=tol)
        for g in group.matrices:  # each part is invariant: P commutes with the representation
            d = irreps_matrix(o3.Irreps(ir), g)
            assert torch.allclose(d @ p, p @ d, rtol=0, atol=tol)


@pytest.mark.parametrize("name", NAMES)
def test_basis_functions_agree_with_the_e3nn_projectors(name):
    """The Cartesian projection that finds the functions and e3nn's Wigner matrices agree on every one."""
    table = character_table(name)
    for label in table.real_irreps:
        listed = list(dict.fromkeys(f for part in label.split("+") for f in table.functions[part]))
        for entry in listed:
            for function in entry.strip("()").split(", "):
                if "i" in function or function.startswith("R"):
                    continue  # complex combinations; rotations are checked through "1e" below
                l = 1 if len(function) == 1 else 2
                product = re.sub(r"(?<=[0-9xyz])(?=[xyz])", "*", function)  # "xy" -> "x*y"
                block = polynomial_to_sh(product, 2)[l * l : (l + 1) ** 2]
                ir = "1o" if l == 1 else "2e"
                p = irrep_projector(name, label, ir)
                tol = projection(point_group(name).order, ir)
                assert torch.allclose(p @ block, block, rtol=0, atol=tol), (label, function)
        rotations = [f for entry in listed for f in entry.strip("()").split(", ") if f in ("Rx", "Ry", "Rz")]
        p = irrep_projector(name, label, "1e")
        for rotation in rotations:  # an axial vector: the l = 1 harmonics with even parity
            block = polynomial_to_sh(rotation[1], 1)[1:4]
            tol = projection(point_group(name).order, "1e")
            assert torch.allclose(p @ block, block, rtol=0, atol=tol), (label, rotation)


def test_x2_minus_y2_spans_b1g_of_the_square():
    vector = x2_minus_y2(2)[4:9]
    vector = vector / vector.norm()
    p = irrep_projector("D4h", "B1g", "2e")
    tol = projection(16, "2e")
    assert torch.allclose(p, torch.outer(vector, vector), rtol=0, atol=tol)
    assert torch.allclose(vector[2:5:2], torch.tensor([-(3**0.5) / 2, -0.5], dtype=F64), rtol=0, atol=tol)


def test_complex_pairs_project_together():
    table = character_table("C4")
    assert table.resolve("E") == "1E+2E"
    pair = irrep_projector("C4", "E", "1o")
    assert torch.allclose(pair, irrep_projector("C4", "1E+2E", "1o"), rtol=0, atol=projection(4, "1o"))
    expected = torch.diag(torch.tensor([1.0, 1.0, 0.0], dtype=F64))
    assert torch.allclose(pair, expected, rtol=0, atol=projection(4, "1o"))
    with pytest.raises(ValueError, match=r"'1E' of C4 is complex.*'1E\+2E'"):
        irrep_projector("C4", "1E", "1o")


def test_bad_labels_and_irreps_are_named():
    with pytest.raises(ValueError, match="no irrep 'E'"):
        irrep_projector("D4h", "E", "2e")
    with pytest.raises(ValueError, match="no irrep 'B3g'"):
        character_table("D4h").character("B3g")
    with pytest.raises(ValueError, match=r"not an e3nn irrep.*'2x'"):
        irrep_projector("D4h", "B1g", "2x")
    with pytest.raises(ValueError, match=r"not an e3nn irrep.*'l=2'"):
        decompose("D4h", "l=2")
    with pytest.raises(TypeError, match="PointGroup or a point group name"):
        character_table(4)
    with pytest.raises(ValueError, match="unknown point group 'D4x'"):
        character_table("D4x")
    with pytest.raises(ValueError, match="not a character of D4h"):
        character_table("D4h").decompose_character(torch.full((10,), 0.5, dtype=C128))


def test_the_rhombus_is_a_turned_d2h():
    """D2h turned by 45 degrees about z (the rhombus): D2h's labels; functions in the caller's x, y, z."""
    turn = torch.tensor([[1.0, -1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2**0.5]], dtype=F64) / 2**0.5
    rhombus = point_group("D2h").transformed(turn)
    table = character_table(rhombus)
    assert table.irreps == character_table("D2h").irreps
    assert table.classes == character_table("D2h").classes
    assert torch.equal(table.frame, turn)  # C2(x) is the half turn about (1, 1, 0)
    # the standard x^2 and y^2 carried: (x + y)^2 and (x - y)^2, up to a factor
    assert {"x^2+2xy+y^2", "x^2-2xy+y^2"} <= set(table.functions["Ag"]) and "x^2-y^2" in table.functions[
        "B1g"
    ]
    assert table.functions["B2u"] == ["x-y"] and table.functions["B3u"] == ["x+y"]
    square_to_rhombus = correlation("D4h", rhombus)
    assert square_to_rhombus["B2g"] == {"Ag": 1} and square_to_rhombus["B1g"] == {"B1g": 1}


def _values(polynomial: str, points: torch.Tensor) -> torch.Tensor:
    """A printed polynomial in x, y, z (``0.7071x-xy+2z^2``) evaluated at points (N, 3)."""
    total = torch.zeros(len(points), dtype=F64)
    for sign, number, monomial in re.findall(r"([+-]?)([0-9.]*)((?:[xyz](?:\^2)?)+)", polynomial):
        term = torch.full((len(points),), float(number or 1) * (-1.0 if sign == "-" else 1.0), dtype=F64)
        for variable, square in re.findall(r"([xyz])(\^2)?", monomial):
            term = term * points[:, "xyz".index(variable)] ** (2 if square else 1)
        total = total + term
    return total


@pytest.mark.parametrize("name", NAMES)
def test_a_turned_table_lists_every_function_carried_into_the_callers_frame(name):
    """As many functions as the standard table, each still transforming as its irrep in the new frame."""
    group = point_group(name).transformed(random_orthogonal(20 + NAMES.index(name)))
    table, standard = character_table(group), character_table(name)
    assert [len(table.functions[label]) for label in table.irreps] == [
        len(standard.functions[label]) for label in standard.irreps
    ]
    points = torch.randn(40, 3, dtype=F64, generator=torch.Generator().manual_seed(0))
    points = points / points.norm(dim=1, keepdim=True)  # on the unit sphere: terms at most 1 in size
    for label in table.irreps:
        chi = table.character(label)
        if bool((chi.imag != 0).any()):
            continue  # a complex irrep: its functions are complex combinations
        for entry in table.functions[label]:
            partners = entry.strip("()").split(", ") if entry.startswith("(") else [entry]
            if any("R" in f or "i" in f for f in partners):
                continue  # rotations and complex pairs
            assert all(not f.startswith("-") for f in partners)  # a positive leading coefficient
            values = torch.stack([_values(f, points) for f in partners], dim=1)  # (N, d)
            for g, character in zip(group.matrices, chi, strict=True):
                moved = torch.stack([_values(f, points @ g.T) for f in partners], dim=1)  # f(g r)
                matrix = torch.linalg.lstsq(values, moved).solution
                # coefficients are printed to 4 decimals: at most 6 terms off by 5e-5 each on the sphere
                assert torch.allclose(values @ matrix, moved, rtol=0, atol=1e-3), (label, entry)
                assert abs(float(matrix.trace()) - float(character.real)) < 1e-3, (label, entry)
