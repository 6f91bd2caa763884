r"""Names of the point groups: Schoenflies and Hermann–Mauguin, settings, crystal systems, checking a name.

(The names of a group's classes and irreps, ``2C4`` or ``B1g``, are in ``labels``.)

The 32 crystallographic point groups are :data:`NAMES`, in the order of the crystal systems. Besides them
the package knows the axial groups :math:`C_n, C_{nv}, C_{nh}, S_{2n}, D_n, D_{nh}, D_{nd}` up to
:math:`n = 12` (:data:`MAX_AXIAL_ORDER`). Hermann–Mauguin names are written in ASCII with ``-`` for the bar:
``4/mmm``, ``m-3m``, ``-42m``, ``-6m2``. An axis order of two digits is written in parentheses, so that
a symbol reads one way: :math:`D_{6d}` is ``-(12)2m`` (not ``-122m``, which also reads as
:math:`\bar 1 2 2 m`), :math:`D_{10}` is ``(10)22``, :math:`D_{5h}` is ``-(10)m2``. Where no digit follows
it the order is also accepted bare, as input: ``-10m2``, ``12/mmm``.

**Settings.** Six groups have several settings in the International Tables, one orientation each:
``-42m``/``-4m2`` (:math:`D_{2d}`), ``321``/``312`` (:math:`D_3`), ``3m1``/``31m`` (:math:`C_{3v}`),
``-3m1``/``-31m`` (:math:`D_{3d}`), ``-6m2``/``-62m`` (:math:`D_{3h}`) and ``mm2``/``2mm``/``m2m``
(:math:`C_{2v}`); :data:`SETTINGS` lists them, the default first. The Schoenflies name and the short
symbol (``32``, ``3m``, ``-3m``) give the default setting, as the Bilbao Crystallographic Server does.

**Aliases** accepted as input: the full symbols (``2/m2/m2/m``, ``4/m2/m2/m``, ``-32/m``, ``6/m2/m2/m``,
``4/m-32/m``, ...), the old cubic symbols ``m3`` and ``m3m``, ``C3i`` for :math:`S_6`, and
:math:`S_n` with odd :math:`n` for :math:`C_{nh}` (``S3`` is :math:`C_{3h}`). The icosahedral groups
(``I``, ``Ih``) are refused with a message saying why: they are not crystallographic, and not known here.

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
#: The settings of the International Tables for the groups that have several; Schoenflies name -> the
#: symbols, the default setting first. Each symbol names one orientation (see :func:`setting_frame`).
SETTINGS = {
    "C2v": ("mm2", "2mm", "m2m"),
    "D2d": ("-42m", "-4m2"),
    "D3": ("321", "312"),
    "C3v": ("3m1", "31m"),
    "D3d": ("-3m1", "-31m"),
    "D3h": ("-6m2", "-62m"),
}
#: Full and old symbols, accepted as input for the default setting.
_HM_ALIASES = {
    "2/m2/m2/m": "D2h", "4/m2/m2/m": "D4h", "-32/m": "D3d", "-32/m1": "D3d", "6/m2/m2/m": "D6h",
    "2/m-3": "Th", "4/m-32/m": "Oh", "m3": "Th", "m3m": "Oh", "C3i": "S6",
}  # fmt: skip
#: Full symbols of the other settings.
_SETTING_ALIASES = {"-312/m": "-31m"}
_ICOSAHEDRAL = ("I", "Ih", "532", "-53m", "-5-32/m", "m-3-5", "-3-5m")
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
    even, k, k2 = n % 2 == 0, _order(n), _order(2 * n)
    if kind == "S":  # S_{2m}: -m for odd m, -(2m) for even m
        m = n // 2
        return f"-{_order(m)}" if m % 2 else f"-{k}"
    if kind == "C":
        return {"": k, "v": f"{k}mm" if even else f"{k}m", "h": f"{k}/m" if even else f"-{k2}"}[suffix]
    if suffix == "":
        return f"{k}22" if even else f"{k}2"
    if suffix == "h":
        return f"{k}/mmm" if even else f"-{k2}m2"
    return f"-{k2}2m" if even else f"-{k}m"


def _order(n: int) -> str:
    """An axis order: in parentheses if it has two digits."""
    return f"({n})" if n > 9 else f"{n}"


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
        symbol = hermann_mauguin(name)
        known.setdefault(symbol, name)
        if not re.search(r"\)\d", symbol):  # the order in parentheses reads one way bare too: 12/mmm
            known.setdefault(symbol.replace("(", "").replace(")", ""), name)
    settings = {symbol: name for name, symbols in SETTINGS.items() for symbol in symbols}
    odd_s = {f"S{n}": f"C{n}h" for n in range(3, MAX_AXIAL_ORDER + 1, 2)}
    return known | settings | _HM_ALIASES | {a: settings[s] for a, s in _SETTING_ALIASES.items()} | odd_s


def setting(name: str) -> str | None:
    """The symbol of :data:`SETTINGS` that ``name`` is, or ``None``: ``"-4m2"`` for ``"-4m2"``,
    ``"-31m"`` for its full symbol ``"-312/m"``, ``None`` for ``"D2d"`` or ``"-42m"`` (the default).

    Examples
    --------
    >>> setting("-4m2"), setting("-312/m"), setting("-42m"), setting("D3h"), setting("2mm")
    ('-4m2', '-31m', None, None, '2mm')
    """
    symbol = _SETTING_ALIASES.get(name, name)
    for symbols in SETTINGS.values():
        if symbol in symbols[1:]:
            return symbol
    return None


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
    if name in NAMES:
        return name
    if name in _ICOSAHEDRAL:
        raise ValueError(
            f"{name!r} is an icosahedral group: not crystallographic (no lattice has a fivefold axis), "
            "and not known here. Known: the 32 crystallographic point groups and the axial groups"
        )
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
