r"""Exact characters: sums of roots of unity, correctly rounded, and snapping computed values onto them.

A character :math:`\chi_\Gamma(g)` is the trace of a matrix :math:`\rho(g)` with :math:`\rho(g)^n = 1`
(:math:`n` the order of :math:`g`): a sum of :math:`d_\Gamma` :math:`n`-th roots of unity.
:func:`sums_of_roots` lists those sums, each exact to the last bit, and :func:`snap_to_roots` replaces
computed characters by them, so that tables do not depend on how a machine's linear algebra rounds.
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import mpmath
import numpy as np

#: A computed character, a multiplicity or a projection counts as exact (an integer, a sum of roots of
#: unity, a fixed vector) within this: far above the rounding of the computations (about 1e-14), far
#: below the distance between two distinct exact values (at least 0.26 for the characters of the groups
#: here: sums of at most 3 roots of unity of order at most 12).
EXACT = 1e-9


@cache
def sums_of_roots(dimension: int, order: int) -> np.ndarray:
    r"""Every sum of ``dimension`` ``order``-th roots of unity, each value once, exact to the last bit.

    Each root :math:`e^{2\pi i k/n}` is correctly rounded (so conjugate roots are exact conjugates);
    each part of a sum is rounded once (:func:`math.fsum`, so it does not depend on the order
    of the terms), and a part within rounding of a multiple of :math:`\frac12` is that multiple:
    :math:`i + (-i)` is 0, :math:`\cos(2\pi/3)` is :math:`-\frac12`, and :math:`2\cos(2\pi/5)` comes out
    the same in every table that holds it.

    Examples
    --------
    >>> float(sums_of_roots(1, 3)[1].real), sums_of_roots(2, 2).tolist()
    (-0.5, [(2+0j), 0j, (-2+0j)])
    """
    with mpmath.workdps(30):  # each root correctly rounded: sin(2 pi / 3) is the double nearest sqrt(3)/2
        turns = [2 * mpmath.mpf(k) / order for k in range(order)]
        cos = np.array([float(mpmath.cospi(t)) for t in turns])
        sin = np.array([float(mpmath.sinpi(t)) for t in turns])
    rounding = 4 * dimension * np.finfo(np.float64).eps

    def part(terms: np.ndarray) -> float:
        value = math.fsum(terms)
        half = round(2 * value) / 2
        return half if abs(value - half) < rounding else value

    sums = {}
    for c in itertools.combinations_with_replacement(range(order), dimension):
        value = complex(part(cos[list(c)]), part(sin[list(c)]))
        sums.setdefault((round(value.real, 9), round(value.imag, 9)), value)
    return np.array(list(sums.values()))


def snap_to_roots(characters: np.ndarray, orders: np.ndarray) -> np.ndarray:
    r"""``characters`` (irreps x classes) snapped to the exact algebraic values they approximate.

    :math:`\chi_\Gamma(g)` is the trace of a matrix :math:`\rho(g)` with :math:`\rho(g)^n = 1` (:math:`n`
    the order of :math:`g`): a sum of :math:`d_\Gamma` :math:`n`-th roots of unity. Each computed value is
    replaced by the nearest such sum, so that the orthogonality relations hold to rounding (about
    :math:`10^{-15}`) on every machine, whatever its linear algebra rounds. Raises ``RuntimeError`` if a
    value is not within :data:`EXACT` of one (a bug, never bad input).
    """
    exact = np.empty(characters.shape, dtype=np.complex128)
    dimensions = np.round(characters[:, 0].real).astype(int)
    for (r, c), value in np.ndenumerate(characters):
        candidates = sums_of_roots(int(dimensions[r]), int(orders[c]))
        nearest = int(np.argmin(np.abs(candidates - value)))
        if abs(candidates[nearest] - value) > EXACT:
            raise RuntimeError(
                f"character {value} is no sum of {dimensions[r]} roots of unity of order {orders[c]}"
            )
        exact[r, c] = candidates[nearest]
    return exact
