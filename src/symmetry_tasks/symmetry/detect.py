r"""The symmetry group of a point cloud (and of features on its points), found to a relative tolerance.

See :func:`symmetry_group`.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from e3nn import o3

from .._checks import as_features, as_points
from ..equivariance import irreps_matrix
from .frames import search_frame
from .point_groups import PointGroup, identify, standard_matrices

#: Snapping matches the fitted maps to exact elements within this (entry-wise). Distinct elements of the
#: known groups differ by at least 0.37 (measured); fitted maps are within a few ``tol`` of exact ones.
_SNAP = 0.05


def _as_tolerance(tol: object) -> float:
    if isinstance(tol, bool) or not isinstance(tol, (int, float)):
        raise TypeError(f"tol must be a float, got {tol!r} of type {type(tol).__name__}")
    if not 0 < tol <= 1e-2 or math.isnan(tol):
        raise ValueError(f"tol is relative to the size of the cloud and must be in (0, 0.01], got {tol!r}")
    return float(tol)


def _procrustes(
    points: np.ndarray, permutation: np.ndarray, guess: np.ndarray, normal: np.ndarray | None
) -> np.ndarray:
    r"""The orthogonal :math:`Q` minimising :math:`\sum_a |Q r_a - r_{\pi(a)}|^2`.

    For a flat cloud the normal's image is taken from ``guess`` (a virtual point on the normal).
    """
    m = points[permutation].T @ points
    if normal is not None:
        m = m + np.outer(guess @ normal, normal)
    u, _, vt = np.linalg.svd(m)
    return u @ vt


class _Candidates:
    """The symmetry maps found, each a permutation and a fitted matrix, and lookups among them."""

    def __init__(self) -> None:
        self.permutations: list[tuple[int, ...]] = []
        self.matrices: list[np.ndarray] = []
        self.residuals: list[float] = []
        self._by_permutation: dict[tuple[int, ...], list[int]] = {}

    def find(self, permutation: tuple[int, ...], matrix: np.ndarray) -> int | None:
        """The kept map with this permutation and this matrix (a flat cloud has two maps per permutation)."""
        for k in self._by_permutation.get(permutation, []):
            if float(np.abs(self.matrices[k] - matrix).max()) < 0.5:
                return k
        return None

    def add(self, permutation: tuple[int, ...], matrix: np.ndarray, residual: float) -> None:
        if self.find(permutation, matrix) is None:
            self._by_permutation.setdefault(permutation, []).append(len(self.matrices))
            self.permutations.append(permutation)
            self.matrices.append(matrix)
            self.residuals.append(residual)

    def product(self, a: int, b: int) -> int | None:
        """The kept map equal to map ``a`` after map ``b``, if any."""
        pa, pb = self.permutations[a], self.permutations[b]
        return self.find(tuple(pa[i] for i in pb), self.matrices[a] @ self.matrices[b])

    def closed_group(self) -> list[int]:
        """Maps that form a group, best fit first, each added only if the group stays among the kept maps."""
        identity = self.find(tuple(range(len(self.permutations[0]))), np.eye(3))
        group = [identity]
        for candidate in sorted(range(len(self.residuals)), key=lambda k: self.residuals[k]):
            if candidate in group:
                continue
            trial, frontier, ok = list(group), [candidate], True
            trial.append(candidate)
            while frontier and ok:
                fresh = []
                for a in frontier:
                    for b in list(trial):
                        for c in (self.product(a, b), self.product(b, a)):
                            if c is None:
                                ok = False
                            elif c not in trial:
                                trial.append(c)
                                fresh.append(c)
                frontier = fresh
            if ok:
                group = trial
        return group


def symmetry_group(
    positions: object,
    features: object = None,
    irreps: str | o3.Irreps | None = None,
    tol: float = 1e-6,
) -> PointGroup:
    r"""The group of orthogonal maps (about the centroid) that permute the points and carry their features.

    An orthogonal map :math:`g` about the centroid is a symmetry when it permutes the points,
    :math:`g\, r_a = r_{\pi_g(a)}`, and carries their features along, :math:`x_{\pi_g(a)} = D(g)\, x_a`. With
    positions measured in units of the cloud's size (the largest distance from the centroid), the search

    1. proposes maps that take a fixed pair of points onto other pairs at the same distances and angle;
    2. reads each map's permutation off the nearest points and fits the best orthogonal map to it
       (Procrustes), kept when every point lands within ``tol`` and every feature within ``tol`` times the
       largest feature;
    3. builds a group from the kept maps, best fit first, adding a map only when every product it makes is
       a kept map as well, so that the result is closed under composition;
    4. names the group and *snaps* it: the returned matrices are :math:`R\, g\, R^T` for the exact elements
       :math:`g` of ``point_group(name)``, with :math:`R` the canonical frame fitted to the maps; each still
       takes every point to within ``2 * tol`` of its image (or the search raises).

    Scaling the cloud never changes the answer, and the matrices are orthogonal and closed to float64
    precision.

    Parameters
    ----------
    positions : array-like, shape :math:`(N, 3)`
        Distinct points, not all on one line through their centroid.
    features : array-like, shape :math:`(N, \dim)`, optional
        Features of the points, transforming with ``irreps``.
    irreps : str or e3nn.o3.Irreps, optional
        Required with ``features``.
    tol : float
        Relative tolerance in :math:`(0, 0.01]`: a point may land within ``tol`` times the cloud's size
        (its largest distance from the centroid) of its image, a feature within ``tol`` times the largest
        feature entry.

    Returns
    -------
    PointGroup
        Exact matrices :math:`R\, g\, R^T` (``frame`` :math:`R`, :math:`g` in ``point_group(name)``, in its
        order), with ``permutations``: element :math:`g` maps point :math:`a` to ``permutations[g, a]``.

    Raises
    ------
    ValueError
        For bad input (shapes, NaN, a tolerance outside the range), points that coincide within the
        tolerance, points on one line (an infinite group), or a group that is not known (icosahedral).
    TypeError
        If ``tol`` is not a number.

    Examples
    --------
    >>> from symmetry_tasks.shapes import square, rectangle
    >>> symmetry_group(square()).name, symmetry_group(rectangle() * 1e-3).name
    ('D4h', 'D2h')
    """
    tol = _as_tolerance(tol)
    points = as_points(positions, distinct=False)
    points = (points - points.mean(dim=0)).numpy()
    size = float(np.linalg.norm(points, axis=1).max())
    if size == 0.0:
        raise ValueError("the points all coincide: their symmetry group is O(3), which is infinite")
    unit = points / size
    gaps = np.linalg.norm(unit[:, None] - unit[None], axis=2) + 2 * np.eye(len(unit))
    if float(gaps.min()) <= 2 * tol:
        i, j = np.unravel_index(int(gaps.argmin()), gaps.shape)
        raise ValueError(
            f"positions has coincident points (within tol = {tol:g} of the cloud's size): rows {i} and {j}, "
            f"{points[i].tolist()} and {points[j].tolist()}"
        )
    carried = None
    if features is not None:
        if irreps is None:
            raise ValueError("features need their irreps, e.g. irreps='0e+1o+2e'")
        irreps = o3.Irreps(irreps)
        carried = as_features(features, irreps.dim, len(unit)).detach()
    vt = np.linalg.svd(unit)[2]
    off_line = np.linalg.norm(unit - np.outer(unit @ vt[0], vt[0]), axis=1)
    if float(off_line.max()) <= tol:
        raise ValueError(
            "the points lie on one line through their centroid: their symmetry group is infinite (C_inf_v or D_inf_h)"
        )
    normal = vt[2] if float(np.abs(unit @ vt[2]).max()) <= tol else None
    candidates = _search(unit, normal, tol, carried, irreps)
    chosen = candidates.closed_group()
    fitted = np.stack([candidates.matrices[k] for k in chosen])
    name = identify(fitted)
    frame, index = search_frame(fitted, name, tol=_SNAP)
    order = np.argsort(index)  # fitted map order[j] is standard element j
    snapped = frame @ standard_matrices(name) @ frame.T
    permutations = torch.tensor([candidates.permutations[chosen[k]] for k in order], dtype=torch.long)
    moved = np.einsum("gij,aj->gai", snapped, unit)
    residual = float(np.linalg.norm(moved - unit[permutations.numpy()], axis=2).max())
    if residual > 2 * tol:  # measured: at most 0.98 tol, with noise up to tol on every point
        raise ValueError(f"the {name} found moves a point by {residual:.2g} (tol {tol:g}) once made exact")
    return PointGroup(name, snapped, permutations, frame)


def _search(unit: np.ndarray, normal: np.ndarray | None, tol: float, features, irreps) -> _Candidates:
    """Every orthogonal map that takes the frame pair onto a matching pair and fits all points (and features)."""
    crosses = np.linalg.norm(np.cross(unit[:, None], unit[None]), axis=2)
    first, second = np.unravel_index(int(crosses.argmax()), crosses.shape)
    source = np.stack([unit[first], unit[second], np.cross(unit[first], unit[second])])
    inverse = np.linalg.inv(source)
    lengths = np.linalg.norm(unit, axis=1)
    dot = float(unit[first] @ unit[second])
    near_first = np.flatnonzero(np.abs(lengths - lengths[first]) <= 2 * tol)
    near_second = np.flatnonzero(np.abs(lengths - lengths[second]) <= 2 * tol)
    scale = float(features.abs().max()) if features is not None else 0.0
    found = _Candidates()
    for a in near_first:
        for b in near_second:
            if abs(float(unit[a] @ unit[b]) - dot) > 6 * tol:
                continue
            for sign in (1.0, -1.0):
                image = np.stack([unit[a], unit[b], sign * np.cross(unit[a], unit[b])])
                u, _, vt = np.linalg.svd((inverse @ image).T)
                guess = u @ vt  # the orthogonal map nearest to the one taking the pair onto (a, b)
                distances = np.linalg.norm((unit @ guess.T)[:, None] - unit[None], axis=2)
                permutation = distances.argmin(axis=1)
                if len(set(permutation.tolist())) != len(unit):
                    continue
                matrix = _procrustes(unit, permutation, guess, normal)
                residual = float(np.linalg.norm(unit @ matrix.T - unit[permutation], axis=1).max())
                if residual > tol:
                    continue
                if features is not None:
                    moved = features @ irreps_matrix(irreps, torch.tensor(matrix, dtype=torch.float64)).T
                    if float((moved - features[torch.tensor(permutation)]).abs().max()) > tol * scale:
                        continue
                found.add(tuple(permutation.tolist()), matrix, residual)
    return found
