r"""How the irreps of O(3), e3nn's harmonics of degree :math:`l` and parity :math:`p`, split over a point group.

The character of the e3nn irrep :math:`(l, p)` on an element that turns by :math:`\theta` is
:math:`p^{[\det g < 0]}\,\sin((l + \frac12)\theta) / \sin(\theta / 2)`; its multiplicities in the irreps of
the group follow from the character table (:meth:`~symmetry_tasks.symmetry.CharacterTable.decompose_character`).
"""

from __future__ import annotations

import numpy as np
from e3nn import o3

from .._checks import as_lmax
from .characters import CharacterTable, character_table
from .elements import operations
from .point_groups import PointGroup


def _spherical_character(angles: np.ndarray, dets: np.ndarray, ir: o3.Irrep) -> np.ndarray:
    r"""Character :math:`p^{[\det g < 0]}\,\sin((l + \frac12)\theta) / \sin(\theta / 2)` of an e3nn irrep."""
    half = angles / 2
    small = np.abs(half) < 1e-9
    safe = np.where(small, 1.0, np.sin(half))
    chi = np.where(small, 2 * ir.l + 1.0, np.sin((2 * ir.l + 1) * half) / safe)
    return np.where(dets < 0, ir.p * chi, chi)


def _class_angles(table: CharacterTable) -> tuple[np.ndarray, np.ndarray]:
    ops = operations(table.group.array[[m[0] for m in table.class_members]])
    return np.array([op.angle for op in ops]), np.array([op.det for op in ops], dtype=np.float64)


def decompose(group: PointGroup | str, irrep: str | o3.Irrep) -> dict[str, int]:
    """Multiplicity of each irrep of ``group`` in the e3nn irrep (harmonics of degree l, parity p).

    Examples
    --------
    >>> decompose("D4h", "2e")
    {'A1g': 1, 'B1g': 1, 'B2g': 1, 'Eg': 1}
    """
    ir = as_irrep(irrep)
    table = character_table(group)
    angles, dets = _class_angles(table)
    return table.decompose_character(_spherical_character(angles, dets, ir))


def reduce_o3(group: PointGroup | str, lmax: int = 10) -> dict[str, dict[str, int]]:
    """How every O(3) irrep up to ``lmax`` splits into irreps of ``group``: ``{"0e": {"A1g": 1}, "0o": ...}``.

    Both parities of each degree, in the order ``0e, 0o, 1e, 1o, ...``.

    Examples
    --------
    >>> reduce_o3("Oh", 2)["2e"], reduce_o3("Oh", 2)["1o"]
    ({'Eg': 1, 'T2g': 1}, {'T1u': 1})
    """
    lmax = as_lmax(lmax)
    table = character_table(group)
    angles, dets = _class_angles(table)
    return {
        f"{l}{p}": table.decompose_character(
            _spherical_character(angles, dets, o3.Irrep(l, 1 if p == "e" else -1))
        )
        for l in range(lmax + 1)
        for p in "eo"
    }


def as_irrep(ir: object) -> o3.Irrep:
    """``ir`` as an e3nn irrep; ``ValueError`` quoting it if it is not one."""
    try:
        return o3.Irrep(ir)
    except (ValueError, TypeError, AssertionError) as error:
        raise ValueError(f"not an e3nn irrep such as '2e' or '3o': {ir!r} ({error})") from None
