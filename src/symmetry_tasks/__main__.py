"""Command line: point-group tables and the inputs that break a symmetry, for use in your own network.

``python -m symmetry_tasks table Oh`` prints the character table of a point group (Schoenflies or
Hermann–Mauguin name), ``python -m symmetry_tasks subgroups D4h`` its subgroups up to conjugacy, and
``python -m symmetry_tasks breaking Oh D4h --lmax 4`` every order parameter up to that degree, of both
parities: the e3nn irrep, the Mulliken label, the kind (scalar, vector, tensor, or pseudo-tensor), the
polynomial and the unit vector in e3nn's basis (``--natural-parity``: ordinary tensors only). ``--json``
prints JSON instead. A subgroup named by a name alone must be unique up to conjugacy; otherwise the command lists the
choices, written ``NAME:INDEX`` (``D2h:2``).

No command imports torch, e3nn or sympy: the group core, e3nn's Wigner matrices (:mod:`symmetry_tasks.wigner`)
and the order parameters run on numpy alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Sequence

from .symmetry import character_table, point_group, subgroups
from .symmetry.characters import format_character
from .symmetry.point_groups import PointGroup
from .symmetry.subgroups import AmbiguousSubgroup, as_subgroup


def _columns(rows: list[list[str]]) -> str:
    widths = [max(len(row[k]) for row in rows if k < len(row)) for k in range(max(map(len, rows)))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip() for row in rows
    )


def _table(group: PointGroup, as_json: bool) -> str:
    table = character_table(group)
    reality = table.reality
    if as_json:
        irreps = [
            {
                "label": label,
                "characters": [
                    float(v.real) if abs(float(v.imag)) < 1e-12 else [float(v.real), float(v.imag)]
                    for v in row
                ],
                "functions": table.functions[label],
                "reality": reality[label],
            }
            for label, row in zip(table.irreps, table.character_array, strict=True)
        ]
        return json.dumps(
            {
                "group": group.name,
                "hermann_mauguin": group.hermann_mauguin,
                "order": group.order,
                "classes": table.classes,
                "class_sizes": table.class_sizes,
                "irreps": irreps,
            },
            indent=1,
        )
    rows = [[f"{group.name} ({group.hermann_mauguin})", *table.classes, "reality", "functions"]]
    for label, row in zip(table.irreps, table.character_array, strict=True):
        values = [format_character(complex(v)) for v in row]
        rows.append(
            [
                label,
                *values,
                f"{reality[label]:+d}" if reality[label] else "0",
                ", ".join(table.functions[label]),
            ]
        )
    return _columns(rows)


_PSEUDO = (
    "A pseudo-tensor (e3nn irrep 0o, 1e, 2o, ...: parity opposite to (-1)^l) turns like its polynomial "
    "under rotations and changes sign, in addition, under every mirror, the inversion and every "
    "rotoinversion: a pseudoscalar (0o) is a handedness, a pseudovector (1e) an axial vector such as a "
    "magnetic field."
)


def _breaking(group: PointGroup, sub: str, lmax: int, parity: bool, natural: bool, as_json: bool) -> str:
    from .symmetry.breaking import order_parameters  # imported only by this command

    found = order_parameters(group, as_subgroup(group, sub), lmax, parity=parity, natural_parity=natural)
    records = [
        {
            "irrep": p.irrep_name,
            "label": p.label,
            "kind": p.kind,
            "polynomial": p.polynomial,
            "vector": [round(float(v), 12) + 0.0 for v in p.array],
        }
        for p in found
    ]
    if as_json:
        return json.dumps(records, indent=1)
    if not records:
        return f"no order parameter up to l = {lmax}"
    rows = [["irrep", "label", "kind", "polynomial", "vector"]]
    rows += [
        [r["irrep"], r["label"], r["kind"], r["polynomial"], " ".join(f"{v:.6g}" for v in r["vector"])]
        for r in records
    ]
    note = f"\n\n{textwrap.fill(_PSEUDO, 100)}" if any(p.pseudo for p in found) else ""
    return _columns(rows) + note


def _subgroups(group: PointGroup) -> str:
    rows = [["subgroup", "order", "conjugates", "maximal", "axes"]]
    for c in subgroups(group):
        rows.append([f"{c.name}:{c.index}", str(c.order), str(c.count), "yes" if c.maximal else "", c.axes])
    return _columns(rows)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m symmetry_tasks", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    table = commands.add_parser("table", help="the character table of a point group")
    table.add_argument("group", help="Schoenflies or Hermann-Mauguin name, e.g. Oh or m-3m")
    table.add_argument("--json", action="store_true")
    listing = commands.add_parser("subgroups", help="the subgroups of a point group up to conjugacy")
    listing.add_argument("group")
    breaking = commands.add_parser(
        "breaking",
        help="the order parameters that lower a group to a subgroup",
        description="Every e3nn harmonic up to --lmax, of both parities, that the subgroup keeps and the "
        f"group does not. {_PSEUDO}",
    )
    breaking.add_argument("group")
    breaking.add_argument("subgroup", help="a name, or NAME:INDEX when the name has several classes")
    breaking.add_argument("--lmax", type=int, default=4)
    breaking.add_argument("--no-parity", action="store_true", help="rotations only (SO(3) networks)")
    breaking.add_argument(
        "--natural-parity",
        action="store_true",
        help="ordinary tensors only (0e, 1o, 2e, ...), no pseudo-tensors (0o, 1e, 2o, ...)",
    )
    breaking.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv``; return the exit status (0, or 2 for bad input).

    A Hermann-Mauguin symbol that starts with a minus sign (``-4m2``, ``-3m1``) is a group name, not an
    option: argparse would take it for one, so it is handed over with a leading space, and read without.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args([f" {a}" if re.match(r"-\d", a) else a for a in argv])
    args.group = args.group.strip()
    if getattr(args, "subgroup", None) is not None:
        args.subgroup = args.subgroup.strip()
    try:
        group = point_group(args.group)
        if args.command == "table":
            print(_table(group, args.json))
        elif args.command == "subgroups":
            print(_subgroups(group))
        else:
            parity, natural = not args.no_parity, args.natural_parity
            print(_breaking(group, args.subgroup, args.lmax, parity, natural, args.json))
    except AmbiguousSubgroup as choices:
        print(f"error: {choices.header}", file=sys.stderr)
        for line in choices.choices:
            print(f"  {line}", file=sys.stderr)
        return 2
    except (ValueError, TypeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
