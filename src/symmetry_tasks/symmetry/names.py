r"""Names of the point groups: Schoenflies and Hermann–Mauguin, crystal systems, and checking a name.

The 32 crystallographic point groups are :data:`NAMES`, in the order of the crystal systems. Besides them
the package knows the axial groups :math:`C_n, C_{nv}, C_{nh}, S_{2n}, D_n, D_{nh}, D_{nd}` up to
:math:`n = 12` (:data:`MAX_AXIAL_ORDER`). Hermann–Mauguin names are written in ASCII with ``-`` for the bar:
``4/mmm``, ``m-3m``, ``-42m``, ``-6m2``.

Names with :math:`n = 1` other than :math:`C_1` (``C1v``, ``C1h``, ``D1``, ``D1h``, ``D1d``, ``S2``) denote
groups that have names of their own (:math:`C_s, C_s, C_2, C_{2v}, C_{2h}, C_i`); they are refused with the
proper name in the message, so that a group keeps one name.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

#: The 32 crystallographic point groups (Schoenflies names), in the order of :data:`CRYSTAL_SYSTEMS`.
NAMES = (
    "C1", "Ci", "C2", "Cs", "C2h", "D2", "C2v", "D2h",
    "C4", "S4", "C4h", "D4", "C4v", "D2d", "D4h",
    "C3", "S6", "D3", "C3v", "D3d",
    "C6", "C3h", "C6h", "D6", "C6v", "D3h", "D6h",
    "T", "Th", "O", "Td", "Oh",
)  # fmt: skip

#: The seven crystal systems and their point groups, from the least to the most symmetric.
CRYSTAL_SYSTEMS = {
    "triclinic": ("C1", "Ci"),
    "monoclinic": ("C2", "Cs", "C2h"),
    "orthorhombic": ("D2", "C2v", "D2h"),
    "tetragonal": ("C4", "S4", "C4h", "D4", "C4v", "D2d", "D4h"),
    "trigonal": ("C3", "S6", "D3", "C3v", "D3d"),
    "hexagonal": ("C6", "C3h", "C6h", "D6", "C6v", "D3h", "D6h"),
    "cubic": ("T", "Th", "O", "Td", "Oh"),
}

#: Largest :math:`n` of the axial families :math:`C_n, \ldots, D_{nd}` (:math:`S_{2n}` up to :math:`S_{24}`).
MAX_AXIAL_ORDER = 12

CUBIC = CRYSTAL_SYSTEMS["cubic"]
_SPECIAL_HM = {
    "C1": "1", "Ci": "-1", "Cs": "m", "C2v": "mm2", "D2h": "mmm",
    "T": "23", "Th": "m-3", "O": "432", "Td": "-43m", "Oh": "m-3m",
}  # fmt: skip
#: Other settings of the same groups, accepted as input.
_HM_ALIASES = {
    "2mm": "C2v", "m2m": "C2v", "-4m2": "D2d", "-62m": "D3h", "321": "D3", "312": "D3",
    "3m1": "C3v", "31m": "C3v", "-3m1": "D3d", "-31m": "D3d", "2/m2/m2/m": "D2h",
}  # fmt: skip
_IMPROPER_ONE = {"C1v": "Cs", "C1h": "Cs", "D1": "C2", "D1h": "C2v", "D1d": "C2h", "S2": "Ci", "S1": "Cs"}
_AXIAL = re.compile(r"^(C|D|S)(\d+)(h|v|d)?$")


def known_names() -> tuple[str, ...]:
    """Every Schoenflies name known here: :data:`NAMES`, then the axial groups up to :data:`MAX_AXIAL_ORDER`."""
    names = list(NAMES)
    for n in range(2, MAX_AXIAL_ORDER + 1):
        names += [f"C{n}", f"C{n}v", f"C{n}h", f"D{n}", f"D{n}h", f"D{n}d", f"S{2 * n}"]
    return tuple(dict.fromkeys(names))


def hermann_mauguin(name: str) -> str:
    """The Hermann–Mauguin name of a group given by its Schoenflies name.

    Examples
    --------
    >>> [hermann_mauguin(n) for n in ("D4h", "Oh", "D2d", "D3h", "S6", "C3h")]
    ['4/mmm', 'm-3m', '-42m', '-6m2', '-3', '-6']
    """
    name = schoenflies(name)
    if name in _SPECIAL_HM:
        return _SPECIAL_HM[name]
    kind, n, suffix = family(name)
    even = n % 2 == 0
    if kind == "S":  # S_{2m}: -m for odd m, -(2m) for even m
        m = n // 2
        return f"-{m}" if m % 2 else f"-{n}"
    if kind == "C":
        return {"": f"{n}", "v": f"{n}mm" if even else f"{n}m", "h": f"{n}/m" if even else f"-{2 * n}"}[
            suffix
        ]
    return {
        "": f"{n}22" if even else f"{n}2",
        "h": f"{n}/mmm" if even else f"-{2 * n}m2",
        "d": f"-{2 * n}2m" if even else f"-{n}m",
    }[suffix]


def family(name: str) -> tuple[str, int, str]:
    """``(kind, n, suffix)`` of an axial name: ``("D", 4, "h")`` for D4h, ``("S", 4, "")`` for S4.

    The cubic groups and :math:`C_1, C_i, C_s` are ``("C", 1, "")``, ``("S", 2, "")``, ``("S", 1, "")`` and
    ``(name, 0, "")``.
    """
    special = {"C1": ("C", 1, ""), "Ci": ("S", 2, ""), "Cs": ("S", 1, "")}
    if name in special:
        return special[name]
    if name in CUBIC:
        return name, 0, ""
    match = _AXIAL.match(name)
    if match is None:
        raise ValueError(f"not a point group name: {name!r}")
    return match[1], int(match[2]), match[3] or ""


@cache
def _known() -> dict[str, str]:
    """Every accepted spelling and the Schoenflies name it denotes."""
    known = {name: name for name in known_names()}
    for name in list(known):
        known.setdefault(hermann_mauguin(name), name)
    return known | _HM_ALIASES


def schoenflies(name: object) -> str:
    """The Schoenflies name of a point group given in either notation (``"4/mmm"`` or ``"D4h"``).

    Raises
    ------
    TypeError
        If ``name`` is not a ``str``.
    ValueError
        If it names no point group known here; the message suggests the closest names.

    Examples
    --------
    >>> schoenflies("m-3m"), schoenflies("D4h"), schoenflies("-42m")
    ('Oh', 'D4h', 'D2d')
    """
    if not isinstance(name, str):
        raise TypeError(
            f"a point group name must be a str such as 'D4h' or '4/mmm', got {type(name).__name__}"
        )
    if name in NAMES or name in _SPECIAL_HM:
        return name
    if name in _IMPROPER_ONE:
        proper = _IMPROPER_ONE[name]
        raise ValueError(
            f"{name!r} is not the name of a point group: that group is {proper} ({hermann_mauguin(proper)})"
        )
    match = _AXIAL.match(name)
    if match and not (match[1] == "S" and match[3]) and not (match[1] == "C" and match[3] == "d"):
        n = int(match[2])
        if match[1] == "S" and n % 2 == 0 and 4 <= n <= 2 * MAX_AXIAL_ORDER:
            return name
        if match[1] != "S" and 2 <= n <= MAX_AXIAL_ORDER:
            return name
        if match[1] != "S" and n > MAX_AXIAL_ORDER:
            raise ValueError(f"{name!r}: axial groups are known up to n = {MAX_AXIAL_ORDER}")
    known = _known()
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, list(known), n=4, cutoff=0.5)
    close += [k for k in known if k.lower() == name.lower() and k not in close]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"unknown point group {name!r}{hint} Known: the 32 crystallographic groups ({', '.join(NAMES)}) in "
        f"Schoenflies or Hermann-Mauguin notation, and Cn, Cnv, Cnh, S2n, Dn, Dnh, Dnd up to n = {MAX_AXIAL_ORDER}"
    )


def crystal_system(name: str) -> str | None:
    """The crystal system of a crystallographic point group; ``None`` for the other axial groups.

    Examples
    --------
    >>> crystal_system("D4h"), crystal_system("-3m"), crystal_system("D5h")
    ('tetragonal', 'trigonal', None)
    """
    name = schoenflies(name)
    return next((system for system, members in CRYSTAL_SYSTEMS.items() if name in members), None)
