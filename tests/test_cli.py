"""The command line: tables, subgroups and order parameters, as text and JSON; bad input exits cleanly."""

import json
import subprocess
import sys

import pytest
import torch

from symmetry_tasks.__main__ import main
from symmetry_tasks.symmetry import character_table, order_parameters, subgroups


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_table_prints_every_class_and_irrep(capsys):
    status, out, err = _run(capsys, "table", "Oh")
    assert status == 0 and not err
    lines = out.splitlines()
    table = character_table("Oh")
    assert lines[0].split()[:2] == ["Oh", "(m-3m)"] and lines[0].split()[2:-2] == table.classes
    assert [line.split()[0] for line in lines[1:]] == table.irreps
    assert "(2z^2-x^2-y^2, x^2-y^2)" in lines[1 + table.irreps.index("Eg")]


def test_table_as_json(capsys):
    status, out, _ = _run(capsys, "table", "4/mmm", "--json")
    data = json.loads(out)
    assert status == 0 and (data["group"], data["hermann_mauguin"], data["order"]) == ("D4h", "4/mmm", 16)
    table = character_table("D4h")
    assert [row["label"] for row in data["irreps"]] == table.irreps
    assert torch.allclose(
        torch.tensor([row["characters"] for row in data["irreps"]], dtype=torch.float64),
        table.characters.real,
    )
    complex_pair = json.loads(_run(capsys, "table", "C3", "--json")[1])["irreps"][1]
    assert complex_pair["reality"] == 0 and complex_pair["characters"][1] == pytest.approx([-0.5, 3**0.5 / 2])


def test_breaking_prints_every_order_parameter(capsys):
    status, out, _ = _run(capsys, "breaking", "Oh", "D4h", "--lmax", "4")
    expected = order_parameters("Oh", "D4h", 4)
    lines = out.splitlines()
    assert status == 0 and lines[0].split() == ["irrep", "label", "kind", "polynomial", "vector"]
    assert len(lines) == 1 + len(expected) and not any(p.pseudo for p in expected)
    for line, p in zip(lines[1:], expected, strict=True):
        assert line.split()[:3] == [str(p.irrep), p.label, p.kind] and p.polynomial in line


def test_breaking_offers_pseudo_tensors_and_says_what_they_are(capsys):
    """Oh > O is broken by the pseudoscalar 0o; --natural-parity leaves only ordinary tensors."""
    status, out, _ = _run(capsys, "breaking", "Oh", "O", "--lmax", "6")
    lines = out.splitlines()
    assert status == 0 and lines[1].split() == ["0o", "A1u", "pseudoscalar", "1", "1"]
    assert [line.split()[0] for line in lines[1:4]] == [str(p.irrep) for p in order_parameters("Oh", "O", 6)]
    assert "A pseudo-tensor (e3nn irrep 0o, 1e, 2o" in out and "changes sign" in out
    status, out, _ = _run(capsys, "breaking", "Oh", "O", "--lmax", "6", "--natural-parity")
    assert status == 0 and out == "no order parameter up to l = 6\n"
    status, out, _ = _run(capsys, "breaking", "D4h", "C4h", "--lmax", "1", "--json")
    assert status == 0 and json.loads(out) == [
        {"irrep": "1e", "label": "A2g", "kind": "pseudovector", "polynomial": "z", "vector": [0.0, 0.0, 1.0]}
    ]
    with pytest.raises(SystemExit):
        main(["breaking", "--help"])
    assert "A pseudo-tensor" in capsys.readouterr().out


def test_breaking_as_json(capsys):
    status, out, _ = _run(capsys, "breaking", "D4h", "D4", "--lmax", "4", "--json")
    records = json.loads(out)
    expected = order_parameters("D4h", "D4", 4)
    assert status == 0 and len(records) == len(expected) and records[0]["irrep"] == "0o"
    for record, p in zip(records, expected, strict=True):
        assert set(record) == {"irrep", "label", "kind", "polynomial", "vector"}
        assert (record["irrep"], record["label"], record["kind"], record["polynomial"]) == (
            str(p.irrep),
            p.label,
            p.kind,
            p.polynomial,
        )
        vector = torch.tensor(record["vector"], dtype=torch.float64)
        assert torch.allclose(
            vector, p.vector, rtol=0, atol=0.5e-12 + 4 * torch.finfo(torch.float64).eps
        )  # 12 decimals


def test_a_subgroup_name_with_several_classes_lists_them(capsys):
    status, out, err = _run(capsys, "breaking", "D4h", "D2h")
    assert status == 2 and not out
    first, *choices = err.splitlines()
    assert first == "error: D4h has 2 classes of subgroups D2h; name one of:"
    assert [c.split()[0] for c in choices] == ["D2h:1", "D2h:2"]
    status, out, _ = _run(capsys, "breaking", "D4h", "D2h:2", "--lmax", "2", "--json")
    ((record,),) = [json.loads(out)]
    assert status == 0 and (record["label"], record["polynomial"]) == ("B2g", "xy")


def test_parity_free_breaking(capsys):
    status, out, _ = _run(capsys, "breaking", "D4h", "D2h:1", "--lmax", "3", "--no-parity", "--json")
    assert status == 0 and "xyz" in [r["polynomial"] for r in json.loads(out)]


def test_subgroups_listing(capsys):
    status, out, _ = _run(capsys, "subgroups", "Oh")
    rows = out.splitlines()[1:]
    assert status == 0 and len(rows) == len(subgroups("Oh"))
    assert any(row.split()[:3] == ["D3d:1", "12", "4"] for row in rows)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["table", "D4x"], "error: unknown point group 'D4x'; did you mean"),
        (["table", "C1v"], "error: 'C1v' is not the name of a point group: that group is Cs (m)"),
        (["breaking", "D4h", "D3"], "error: D3 is not a subgroup of D4h"),
        (["breaking", "D4h", "D2h:3"], "error: 'D2h:3': D4h has 2 classes of subgroups D2h, numbered from 1"),
        (["breaking", "D4h", "D2h:1", "--lmax", "-1"], "error: lmax must be a non-negative int, got -1"),
        (["breaking", "Oh", "D4h", "--lmax", "13"], "error: lmax = 13: order parameters are written as"),
        (["table", "Ih"], "error: 'Ih' is an icosahedral group: not crystallographic"),
    ],
)
def test_bad_input_exits_with_one_line(capsys, argv, message):
    status, out, err = _run(capsys, *argv)
    assert status == 2 and not out
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_python_dash_m():
    """The module runs as a program, and a bad name ends it with one line and status 2, no traceback."""
    bad = subprocess.run(
        [sys.executable, "-m", "symmetry_tasks", "table", "Q7"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2 and not bad.stdout
    assert bad.stderr.startswith("error: unknown point group 'Q7'") and bad.stderr.count("\n") == 1
