r"""Where a point group's symmetry elements point, and what each element is called.

Every element :math:`g` of a point group turns about an axis: a proper element is a rotation
:math:`C_n^k` about it, an improper one a rotoinversion :math:`-C_n^k`, whose axis is that of the
rotation :math:`-g`. A mirror is the rotoinversion :math:`\bar 2`, the plane normal to its axis; the
inversion :math:`\bar 1` has no axis. :func:`symmetry_elements` collects, for one group, the distinct
axes with the highest rotation and rotoinversion about each (their Hermann–Mauguin symbols, such as
``4/m`` or ``-3``), the normals of the mirrors, and whether the inversion is an element: what a
stereogram draws (:func:`symmetry_tasks.plotting.stereogram`).

An axis is a line, and its two ends are one element: :func:`upper_direction` picks the unit vector
along it that points into the upper hemisphere :math:`z > 0` (on the equator :math:`z = 0`, the one
whose first non-zero coordinate is positive). :func:`direction_symbol` writes a direction as the
shortest integer direction :math:`[u\, v\, w]` along it, and :func:`element_name` names one matrix
by its Schoenflies symbol and axis, such as :math:`C_4` about :math:`[0\, 0\, 1]`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .elements import operation, operations
from .point_groups import PointGroup, as_group

__all__ = [
    "DIRECTION_TOL",
    "SymmetryAxis",
    "SymmetryElements",
    "direction_symbol",
    "element_name",
    "symmetry_elements",
    "upper_direction",
]

#: Two unit directions closer than this, entry by entry, are one; a direction whose :math:`|z|` is below
#: it lies in the plane :math:`z = 0`. The axes of exact point-group matrices agree to about
#: :math:`10^{-15}`, and distinct axes of the groups up to :math:`n = 12` differ by more than
#: :math:`10^{-2}`: the tolerance sits far from both.
DIRECTION_TOL = 1e-6

#: The largest integer a direction symbol multiplies a direction by, looking for :math:`[u\, v\, w]`.
_LARGEST_INDEX = 6


def _as_vector(vector: object) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float64)
    if v.shape != (3,):
        raise ValueError(f"a direction must be a vector of 3 entries, got shape {v.shape}")
    if not np.isfinite(v).all() or float(np.linalg.norm(v)) == 0.0:
        raise ValueError(f"a direction must be finite and non-zero, got {v.tolist()}")
    return v


def upper_direction(vector: object) -> np.ndarray:
    r"""The unit vector along ``vector``, of either sense, that points into the upper hemisphere.

    That is :math:`z > 0`; for a vector in the plane :math:`z = 0` (within :data:`DIRECTION_TOL`), the
    one whose first non-zero coordinate is positive. Both ends of an axis give the same direction.

    Parameters
    ----------
    vector : array-like, shape :math:`(3,)`
        Finite and non-zero.

    Returns
    -------
    numpy.ndarray
        float64, shape :math:`(3,)`, unit length.

    Raises
    ------
    ValueError
        If ``vector`` is not three finite numbers, not all zero.

    Examples
    --------
    >>> upper_direction([0, 0, -2]) + 0.0
    array([0., 0., 1.])
    >>> upper_direction([-1, 1, 0]).round(4) + 0.0
    array([ 0.7071, -0.7071,  0.    ])
    """
    v = _as_vector(vector)
    v = v / np.linalg.norm(v)
    if abs(v[2]) > DIRECTION_TOL:
        return v if v[2] > 0 else -v
    leading = v[np.abs(v) > DIRECTION_TOL][0]
    return v if leading > 0 else -v


def direction_symbol(vector: object) -> str:
    r"""``vector`` as the shortest integer direction :math:`[u\, v\, w]` along it, else rounded.

    The integers are found up to 6 times the smallest non-zero entry; a direction that is no such
    multiple (an irrational one, as the axes of a turned group) is written with three decimals of its
    unit vector. The sense is kept: ``[0 0 -1]`` is not ``[0 0 1]``.

    Raises
    ------
    ValueError
        If ``vector`` is not three finite numbers, not all zero.

    Examples
    --------
    >>> direction_symbol([0.0, 0.0, 2.0]), direction_symbol([1, 1, 1]), direction_symbol([1, -0.5, 0])
    ('[0 0 1]', '[1 1 1]', '[2 -1 0]')
    >>> direction_symbol([1.0, math.sqrt(2), 0.0])
    '[0.577 0.816 0.000]'
    """
    v = _as_vector(vector)
    v = v / np.linalg.norm(v)
    for scale in sorted({abs(float(x)) for x in v if abs(x) > 1e-9}):
        ratios = v / scale
        for factor in range(1, _LARGEST_INDEX + 1):
            if np.allclose(ratios * factor, np.round(ratios * factor), atol=DIRECTION_TOL):
                return "[" + " ".join(str(round(float(x)) + 0) for x in ratios * factor) + "]"
    return "[" + " ".join(f"{round(float(x), 3) + 0.0:.3f}" for x in v) + "]"


def element_name(matrix: object) -> tuple[str, str]:
    r"""The Schoenflies symbol of one element (LaTeX), and where it acts.

    A rotation is :math:`C_n^k` and a rotoreflection :math:`S_n^k = \sigma_h C_n^k` about the axis of
    ``symmetry_tasks.symmetry.elements.operation`` (the sense in which the element turns by
    :math:`+2\pi k / n`); a mirror is :math:`\sigma` with its normal, the identity :math:`E` and the
    inversion :math:`i` act nowhere in particular.

    Parameters
    ----------
    matrix : array-like, shape :math:`(3, 3)`
        An orthogonal matrix.

    Returns
    -------
    tuple of str
        ``(symbol, where)``: the LaTeX symbol, and ``"about [u v w]"``, ``"normal [u v w]"`` or ``""``.

    Examples
    --------
    >>> from symmetry_tasks.symmetry.elements import mirror, rotation
    >>> element_name(rotation((0, 0, 1), math.pi / 2))
    ('C_{4}', 'about [0 0 1]')
    >>> element_name(-rotation((1, 1, 1), 2 * math.pi / 3))
    ('S_{6}^{5}', 'about [1 1 1]')
    >>> element_name(mirror((1, -1, 0))), element_name(-np.eye(3))
    (('\\sigma', 'normal [1 -1 0]'), ('i', ''))
    """
    op = operation(np.asarray(matrix, dtype=np.float64))
    if op.is_identity:
        return "E", ""
    if op.is_inversion:
        return "i", ""
    if op.is_mirror:
        return r"\sigma", f"normal {direction_symbol(op.axis)}"
    letter, n, k = op.symbol(op.axis)
    power = f"^{{{k}}}" if k > 1 else ""
    return f"{letter}_{{{n}}}{power}", f"about {direction_symbol(op.axis)}"


@dataclass(frozen=True)
class SymmetryAxis:
    r"""A rotation or rotoinversion axis of a point group, with the highest of each about it."""

    direction: np.ndarray  #: unit vector, from :func:`upper_direction`
    order: int  #: :math:`n` of the highest proper rotation :math:`C_n` about it (1 if none)
    #: :math:`N` of the highest rotoinversion :math:`\bar N = -C_N`, :math:`N \ge 3` (else 0)
    inversion_order: int
    centre: bool  #: the group holds the inversion

    @property
    def symbol(self) -> str:
        r"""The Hermann–Mauguin symbol of the axis, such as ``"2"``, ``"4"``, ``"-4"``, ``"-3"``, ``"-6"``, ``"4/m"``.

        The rotoinversion if it is the higher of the two (:math:`\bar 4` holds :math:`2`); :math:`\bar 3`
        for a threefold axis with a centre; :math:`n/m` for an even axis with a centre.
        """
        if self.inversion_order > self.order:
            return f"-{self.inversion_order}"
        if self.order == 3 and self.inversion_order == 3:
            return "-3"
        if self.centre and self.order % 2 == 0:
            return f"{self.order}/m"
        return str(self.order)


@dataclass(frozen=True)
class SymmetryElements:
    """The rotation axes, mirror planes and inversion of a point group, in the group's frame."""

    #: every axis with an :math:`n \ge 2` rotation or an :math:`N \ge 3` rotoinversion, highest first
    axes: tuple[SymmetryAxis, ...]
    mirrors: tuple[np.ndarray, ...]  #: unit normals of the mirror planes, from :func:`upper_direction`
    inversion: bool  #: the inversion :math:`\bar 1 = -1` is an element


def _key(direction: np.ndarray) -> tuple[int, ...]:
    """A hashable key that is the same for two directions within :data:`DIRECTION_TOL`."""
    return tuple(round(float(x) / DIRECTION_TOL / 10) for x in direction)


def symmetry_elements(group: PointGroup | str) -> SymmetryElements:
    r"""The symmetry elements of ``group`` (a :class:`~symmetry_tasks.symmetry.PointGroup` or a name).

    The rotation of each element :math:`g` is :math:`\det(g)\, g`, by :math:`\theta = 2\pi k / n` about
    its axis: a proper element counts for a :math:`C_n` axis, an improper one for a rotoinversion
    :math:`\bar n` about the axis of :math:`-g` (:math:`\bar 1` the inversion, :math:`\bar 2` a mirror
    across the plane normal to the axis).

    Raises
    ------
    TypeError, ValueError
        If ``group`` is neither a point group nor a point group's name.

    Examples
    --------
    >>> e = symmetry_elements("D4h")
    >>> sorted(a.symbol for a in e.axes), len(e.mirrors), e.inversion
    (['2/m', '2/m', '2/m', '2/m', '4/m'], 5, True)
    >>> [(a.symbol, direction_symbol(a.direction)) for a in symmetry_elements("S4").axes]
    [('-4', '[0 0 1]')]
    """
    group = as_group(group)
    proper: dict[tuple[int, ...], tuple[np.ndarray, int]] = {}
    improper: dict[tuple[int, ...], tuple[np.ndarray, int]] = {}
    mirrors: dict[tuple[int, ...], np.ndarray] = {}
    inversion = False
    for op in operations(group.array):
        if op.is_identity or op.is_inversion:
            inversion |= op.is_inversion
            continue
        n = Fraction(op.angle / (2 * math.pi)).limit_denominator(120).denominator
        direction = upper_direction(op.axis)
        if op.det < 0 and n == 2:
            mirrors[_key(direction)] = direction
            continue
        found = proper if op.det > 0 else improper
        key = _key(direction)
        found[key] = (direction, max(n, found.get(key, (direction, 0))[1]))
    axes = [
        SymmetryAxis(
            direction,
            proper.get(key, (direction, 1))[1],
            improper.get(key, (direction, 0))[1],
            inversion,
        )
        for key, (direction, _) in {**improper, **proper}.items()
    ]
    axes.sort(key=lambda a: (-a.order, -a.inversion_order, tuple(-a.direction[::-1])))
    return SymmetryElements(tuple(axes), tuple(mirrors.values()), inversion)
