r"""Class names and Mulliken labels, given once for each group in its standard orientation.

The names of the groups themselves (Schoenflies, Hermann–Mauguin, settings) are in ``names``.

Names are computed where the geometry is known: in the standard orientation of
:func:`~symmetry_tasks.symmetry.point_group`. Any other copy of a group gets the same names through its
canonical frame. The rules are listed in :func:`~symmetry_tasks.symmetry.character_table`.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass

import numpy as np

from .elements import Operation, operations
from .names import CUBIC, family

_X, _Y, _Z = np.eye(3)
_DIAGONAL = np.array([1.0, 1.0, 1.0]) / math.sqrt(3)
_D2_LIKE = ("D2", "D2h")


@dataclass(frozen=True)
class Roles:
    """The classes that the Mulliken rules look at, by index (``None`` when the group has none)."""

    principal: int | None  #: the principal rotation, for A/B and E_k
    phase: int | None  #: the rotation whose complex characters number a pair 1E/2E
    secondary: int | None  #: C2' (or sigma_v, or the cubic C4/S4) for the subscripts 1/2
    inversion: int | None
    sigma_h: int | None
    axes: tuple[int, int, int] | None  #: the classes C2(z), C2(y), C2(x) of D2 and D2h


def _principal_element(name: str) -> tuple[np.ndarray, str, int] | None:
    """Direction, letter and n of the principal element (power 1) of the standard group."""
    if name in ("O", "Oh"):
        return _Z, "C", 4
    if name == "Td":
        return _Z, "S", 4
    if name in ("T", "Th"):
        return _DIAGONAL, "C", 3
    kind, n, suffix = family(name)
    if kind == "S" and n > 2 and (n // 2) % 2 == 0:  # S4, S8, S12: no proper rotation of that order
        return _Z, "S", n
    if kind == "D" and suffix == "d" and n % 2 == 0:  # D2d, D4d, D6d: S_2n about z
        return _Z, "S", 2 * n
    if kind == "S":  # S6 = C3 x Ci, S10, ...: the proper C_{n/2}
        return (_Z, "C", n // 2) if n > 2 else None
    return (_Z, "C", n) if n > 1 else None


def _find(ops: list[Operation], classes: list[list[int]], test) -> int | None:
    return next((c for c, members in enumerate(classes) if any(test(ops[k]) for k in members)), None)


def roles(name: str, matrices: np.ndarray, classes: list[list[int]]) -> Roles:
    """The classes of the standard group that name its irreps."""
    ops = operations(matrices)
    inversion = _find(ops, classes, lambda op: op.is_inversion)
    sigma_h = _find(ops, classes, lambda op: op.is_mirror and op.along(_Z))
    if sigma_h is not None and len(classes[sigma_h]) > 1:
        sigma_h = None  # the three coordinate planes of Th and Oh
    principal = None
    element = _principal_element(name)
    if element is not None:
        direction, letter, n = element
        principal = _find(
            ops, classes, lambda op: op.along(direction) and op.symbol(direction) == (letter, n, 1)
        )
    phase, secondary, axes = principal, None, None
    if name in CUBIC:  # every one-dimensional irrep is an A; C4 (S4 in Td) gives the subscripts
        secondary = principal if name in ("O", "Oh", "Td") else None
        principal = None
    elif name in _D2_LIKE:
        found = [_find(ops, classes, lambda op, d=d: op.det > 0 and op.along(d)) for d in (_Z, _Y, _X)]
        axes = (found[0], found[1], found[2])
    else:  # C2' (along x, else the one class of twofold axes normal to z), else sigma_v
        tests = (
            lambda op: op.det > 0 and op.angle > 3 and op.along(_X),
            lambda op: op.det > 0 and op.angle > 3 and abs(float(op.axis @ _Z)) < 1e-6,
            lambda op: op.is_mirror and op.along(_Y),
            lambda op: op.is_mirror and abs(float(op.axis @ _Z)) < 1e-6,
        )
        secondary = next((c for test in tests if (c := _find(ops, classes, test)) is not None), None)
    return Roles(principal, phase, secondary, inversion, sigma_h, axes)


# -- classes ------------------------------------------------------------------------------------------


def _reference(ops: list[Operation], members: list[int]) -> np.ndarray:
    """The direction a class is named about: z, else the body diagonal, a face diagonal, x, y."""
    for direction in (_Z, _DIAGONAL, np.array([1.0, 1.0, 0.0]) / math.sqrt(2), _X, _Y):
        if any(ops[k].along(direction) for k in members):
            return direction
    return ops[members[0]].axis  # e.g. the C2'' axes of D8, between x and the face diagonal


def _class_name(
    name: str, ops: list[Operation], members: list[int], vertical_classes: int
) -> tuple[str, tuple]:
    """The name of one class and its place in the table (E, rotations, i, S_n, mirrors).

    ``vertical_classes``: how many classes of mirrors containing z the group has.
    """
    first = ops[members[0]]
    size = f"{len(members)}" if len(members) > 1 else ""
    if first.is_identity:
        return "E", (0,)
    if first.is_inversion:
        return "i", (2,)
    if first.is_mirror:
        plane = {0: "xy", 1: "xz", 2: "yz"}
        normal = next((k for k, d in enumerate((_Z, _Y, _X)) if any(ops[m].along(d) for m in members)), None)
        if name in _D2_LIKE:
            return f"sigma({plane[normal]})", (4, normal)
        if name == "C2v":
            return f"sigma_v({plane[normal]})", (4, normal)
        if normal == 0:
            return f"{size}sigma_h", (4, 0)
        if name in CUBIC or family(name)[2] == "d":
            return f"{size}sigma_d", (4, 2)
        if vertical_classes == 1 or normal == 1:  # the one class, or the class of the plane xz
            return f"{size}sigma_v", (4, 1)
        return f"{size}sigma_d", (4, 2)
    direction = _reference(ops, members)
    symbols = [ops[k].symbol(direction) for k in members if ops[k].along(direction)]
    letter, n, k = min(symbols, key=lambda s: s[2])
    if name in _D2_LIKE:
        axis = next(a for a, d in zip("zyx", (_Z, _Y, _X), strict=True) if first.along(d))
        return f"C2({axis})", (1, 0, "zyx".index(axis))
    on_z = direction is _Z
    if letter == "C" and n == 2 and not on_z and direction is not _DIAGONAL:
        x_axis = any(op.det > 0 and op.angle > 3 and op.along(_X) for op in ops)  # else one class: C2'
        primes = "'" if name in CUBIC or not x_axis or any(ops[m].along(_X) for m in members) else "''"
        return f"{size}C2{primes}", (1, 1, 2 if name in CUBIC else 0, len(primes))
    power = f"^{k}" if k > 1 else ""
    if letter == "S":
        return f"{size}S{n}{power}", (3, n, k)
    if name in CUBIC:
        return f"{size}C{n}{power}", (1, 1, -n, 0, k)
    return f"{size}C{n}{power}", (1, 0, k / n)


def class_names(name: str, matrices: np.ndarray, classes: list[list[int]]) -> tuple[list[int], list[str]]:
    """The published order of the classes of the standard group (indices into ``classes``) and their names.

    Examples
    --------
    >>> from symmetry_tasks.symmetry.point_groups import standard_matrices
    >>> from symmetry_tasks.symmetry.characters import conjugacy_classes
    >>> m = standard_matrices("D4h")
    >>> order, names = class_names("D4h", m, conjugacy_classes(m))
    >>> [names[c] for c in order]
    ['E', '2C4', 'C2', "2C2'", "2C2''", 'i', '2S4', 'sigma_h', '2sigma_v', '2sigma_d']
    """
    ops = operations(matrices)
    vertical = sum(
        ops[members[0]].is_mirror and abs(float(ops[members[0]].axis @ _Z)) < 1e-6 for members in classes
    )
    named = [_class_name(name, ops, members, vertical) for members in classes]
    order = sorted(range(len(classes)), key=lambda c: (named[c][1], named[c][0]))
    return order, [n for n, _ in named]


# -- irreps -------------------------------------------------------------------------------------------


def _cycle_steps(value: complex, n: int) -> int:
    """k such that the character (divided by its dimension) is :math:`e^{2\\pi i k/n}`."""
    return round(cmath.phase(value) / (2 * math.pi) * n) % n


def _letter(
    row: np.ndarray, dimension: int, name: str, r: Roles, orders: dict[int, int]
) -> tuple[str, str, int | None]:
    """(prefix, letter, index) of one irrep before the parity mark."""
    if bool((np.abs(row.imag) > 1e-9).any()):
        n = orders[r.phase]
        steps = _cycle_steps(complex(row[r.phase]), n)
        return ("1" if steps <= n // 2 else "2"), "E", min(steps, n - steps)
    if dimension == 1 and r.axes is not None:
        kept = [k for k, c in zip((1, 2, 3), r.axes, strict=True) if row[c].real > 0]
        return ("", "A", None) if len(kept) == 3 else ("", "B", kept[0])
    index = None
    if r.secondary is not None and dimension in (1, 3):
        index = 1 if row[r.secondary].real > 0 else 2
    if dimension == 1:
        antisymmetric = r.principal is not None and row[r.principal].real < 0
        return "", ("B" if antisymmetric else "A"), index
    if dimension == 2:
        if r.principal is not None and name not in CUBIC:
            n = orders[r.principal]
            ratio = max(-1.0, min(1.0, float(row[r.principal].real) / 2))
            index = round(math.acos(ratio) / (2 * math.pi) * n)
        return "", "E", index
    return "", ("T" if dimension == 3 else f"G{dimension}"), index


def mulliken_labels(name: str, characters: np.ndarray, r: Roles, orders: dict[int, int]) -> list[str]:
    """The Mulliken label of each row of ``characters`` (irreps x classes) of the standard group.

    ``orders`` maps the principal and phase classes to the order of their elements.
    """
    parts = []
    for row in characters:
        dimension = round(float(row[0].real))
        prefix, letter, index = _letter(row, dimension, name, r, orders)
        mark = ""
        if r.inversion is not None:
            mark = "g" if row[r.inversion].real > 0 else "u"
        elif r.sigma_h is not None:
            mark = "'" if row[r.sigma_h].real / dimension > 0 else "''"
        parts.append([prefix, letter, index, mark])
    alone = [len({e[2] for e in parts if e[1] == entry[1] and e[3] == entry[3]}) == 1 for entry in parts]
    for entry, drop in zip(parts, alone, strict=True):  # subscripts only where they tell irreps apart
        if drop:
            entry[2] = None
    return [f"{p}{letter}{'' if i is None else i}{mark}" for p, letter, i, mark in parts]


def irrep_sort_key(label: str) -> tuple:
    """Published order: g before u, ′ before ″, then A, B, E, T, then the subscript."""
    core = label.lstrip("12")
    rank = "ABETG".index(core[0]) if core[0] in "ABETG" else 9
    kind = 2 if core.endswith("''") else 1 if core.endswith("'") else 0
    return (core.endswith("u"), kind, rank, core, label)
