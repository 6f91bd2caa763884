r"""Symmetry breaking, computed: order parameters of a group-subgroup pair, and the Curie floor.

**Order parameters.** To lower the symmetry of an input from :math:`G` to a subgroup :math:`H`, add a
feature that :math:`H` leaves invariant and :math:`G` does not. Within the e3nn irrep :math:`(l, p)` these
are the vectors fixed by the projector :math:`P_H = \frac{1}{|H|} \sum_{h \in H} D^{l,p}(h)` and not by
:math:`P_G`. Each such direction lies in one irrep :math:`\Gamma` of :math:`G` (never the trivial one),
which names it: for :math:`D_{4h} > D_{2h}` and :math:`l = 2` it is :math:`x^2 - y^2`, of irrep
:math:`B_{1g}`.

Both parities of every degree are searched. The harmonics of *natural* parity :math:`p = (-1)^l` (``0e``,
``1o``, ``2e``, ...) are ordinary tensors: a scalar, a vector, :math:`x^2 - y^2`. Those of the other parity
(``0o``, ``1e``, ``2o``, ...) are *pseudo-tensors*: they turn like the same polynomial under rotations,
but every improper element (a mirror, the inversion, a rotoinversion) changes their sign in addition. A
pseudoscalar (``0o``) is a handedness, the chirality of a molecule; a pseudovector (``1e``) is an axial
vector, such as a magnetic field or an angular velocity. They are the order parameters of the chiral and
polar subgroups that no ordinary tensor reaches: :math:`O_h > O` is broken by the pseudoscalar alone.

**The Curie floor.** An equivariant model :math:`f` cannot output less symmetry than its input has: for
every :math:`g` of the input's symmetry group :math:`G` (acting on the points by the permutation
:math:`\pi_g`), :math:`f_{\pi_g(a)} = D(g)\, f_a`. The outputs obeying this form a linear subspace, and
the orthogonal projection of the targets :math:`t` onto it is the group average

.. math::

    \bar t_a = \frac{1}{|G|} \sum_{g \in G} D(g)^{T}\, t_{\pi_g(a)} .

No equivariant model, however trained, reaches a mean squared error below
:math:`\overline{(t - \bar t)^2}`: the Curie floor. For Task 2 it is the plateau the loss stalls on.

The order parameters are computed with numpy (e3nn's Wigner matrices from :mod:`symmetry_tasks.wigner`), so
that the command line needs neither torch nor e3nn; the Curie floor imports them when it is called.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._degrees import as_lmax
from ..polynomials import sh_to_polynomial
from ..wigner import wigner_matrices
from .characters import character_table
from .frames import canonical_frame_array
from .point_groups import PointGroup, as_group
from .projectors import label_projector
from .subgroups import as_subgroup

if TYPE_CHECKING:
    import torch
    from e3nn import o3

#: The highest degree of e3nn's spherical harmonics (``o3.spherical_harmonics``), which write the polynomials.
SH_LMAX = 12

#: A block of projectors counts as zero below this; measured, blocks are below 1.8e-15 or above 0.33
#: (the maximal subgroups of the 32 groups, l <= 10).
_RANK_TOL = 1e-8


@dataclass(frozen=True)
class OrderParameter:
    """One independent symmetry-breaking direction in e3nn's spherical harmonics.

    Computed with numpy; :attr:`irrep` and :attr:`vector` are the e3nn irrep and the torch tensor, made on
    first use.
    """

    l: int  #: the degree of the e3nn irrep it lives in
    p: int  #: the parity of that irrep, 1 (``e``) or -1 (``o``); ``(0, -1)`` is ``0o``, a pseudoscalar
    label: str  #: Mulliken label of the irrep of G it belongs to, e.g. ``B1g``
    array: np.ndarray  #: unit vector of 2l + 1 coefficients in e3nn's basis, numpy float64
    polynomial: str  #: how it turns under rotations, as a Cartesian polynomial, e.g. ``x^2 - y^2``

    @property
    def irrep_name(self) -> str:
        """The e3nn irrep as text, such as ``"2e"`` or ``"0o"``."""
        return f"{self.l}{'e' if self.p == 1 else 'o'}"

    @property
    def irrep(self) -> o3.Irrep:
        """The e3nn irrep it lives in, e.g. ``2e``, or ``0o`` for a pseudoscalar."""
        from e3nn import o3

        return o3.Irrep(self.l, self.p)

    @functools.cached_property
    def vector(self) -> torch.Tensor:
        """:attr:`array` as a torch tensor, float64, shape :math:`(2l + 1,)`."""
        import torch

        return torch.tensor(self.array, dtype=torch.float64)

    @property
    def pseudo(self) -> bool:
        """Whether it is a pseudo-tensor, of parity :math:`p = -(-1)^l` (``0o``, ``1e``, ``2o``, ...).

        A pseudo-tensor turns like :attr:`polynomial` under rotations and changes sign, in addition, under
        every improper element (mirror, inversion, rotoinversion).
        """
        return self.p != (-1) ** self.l

    @property
    def kind(self) -> str:
        """``"scalar"``, ``"vector"``, ``"tensor"`` (:math:`l \\ge 2`), each with ``"pseudo"`` in front for a
        pseudo-tensor: ``"pseudoscalar"`` for ``0o``, ``"pseudovector"`` (an axial vector) for ``1e``.
        """
        noun = {0: "scalar", 1: "vector"}.get(self.l, "tensor")
        return f"pseudo{noun}" if self.pseudo else noun


def _orthonormal_range(projector: np.ndarray) -> np.ndarray:
    """Columns: an orthonormal basis of the range of a symmetric projector, chosen deterministically."""
    values, vectors = np.linalg.eigh((projector + projector.T) / 2)
    basis = vectors[:, values > 0.5]
    if basis.shape[1] == 0:
        return basis
    # deterministic basis: reduce to row echelon form on the coordinates, then orthonormalise
    return np.linalg.qr(_echelon(basis))[0]


def _echelon(basis: np.ndarray) -> np.ndarray:
    """A basis of the same span whose vectors start on distinct coordinates (Gauss-Jordan on the rows)."""
    matrix = basis.T.copy()
    row = 0
    for col in range(matrix.shape[1]):
        if row == matrix.shape[0]:
            break
        pivot = int(np.abs(matrix[row:, col]).argmax()) + row
        if float(abs(matrix[pivot, col])) < 1e-9:
            continue
        matrix[[row, pivot]] = matrix[[pivot, row]]
        matrix[row] = matrix[row] / matrix[row, col]
        for other in range(matrix.shape[0]):
            if other != row:
                matrix[other] = matrix[other] - matrix[other, col] * matrix[row]
        row += 1
    return matrix.T


def _clean(vector: np.ndarray) -> np.ndarray:
    return np.where(np.abs(vector) < 1e-13, 0.0, vector) + 0.0  # no -0.0 or round-off dust


def order_parameters(
    G: PointGroup | str, H: object, lmax: int, parity: bool = True, natural_parity: bool = False
) -> list[OrderParameter]:
    r"""Every independent harmonic component up to ``lmax`` that ``H`` leaves invariant and ``G`` does not.

    Both parities of every degree are searched: the ordinary tensors ``0e, 1o, 2e, ...`` and the
    pseudo-tensors ``0o, 1e, 2o, ...`` (see :attr:`OrderParameter.pseudo`), as an e3nn network accepts
    inputs of either parity.

    Parameters
    ----------
    G : PointGroup or str
        A point group, or the name of one (then in the standard orientation).
    H : PointGroup, SubgroupClass or str
        A subgroup of ``G`` in ``G``'s frame: a group, a class from
        :func:`~symmetry_tasks.symmetry.subgroups`, or a name (see
        :func:`~symmetry_tasks.symmetry.as_subgroup`).
    lmax : int
    parity : bool
        ``False``: use only the rotations of both groups (for networks equivariant under SO(3) only),
        and the harmonics of every degree count once, whatever their parity.
    natural_parity : bool
        ``True``: only the harmonics of natural parity :math:`(l, (-1)^l)`, no pseudo-tensors (for a
        network whose inputs are ordinary tensors).

    Returns
    -------
    list of OrderParameter
        Ordered by degree, ``le`` before ``lo`` (as :func:`~symmetry_tasks.symmetry.reduce_o3`); within an
        e3nn irrep by irrep of G. Within each irrep the basis is fixed in ``H``'s canonical frame (its
        principal axis as :math:`z`): row echelon form there, and a positive leading coefficient of the
        polynomial written in that frame. So ``H`` along :math:`z` or along :math:`x` gets the same
        parameters, turned. ``polynomial`` is written in the caller's frame.

    Raises
    ------
    TypeError
        If ``parity`` or ``natural_parity`` is not a bool, or ``lmax`` not an int.
    ValueError
        If ``lmax`` is negative or above ``SH_LMAX`` (12), or ``H`` is not a subgroup of ``G``.

    Examples
    --------
    >>> [(p.irrep, p.label, p.polynomial) for p in order_parameters("D4h", "D2h:1", 2)]
    [(2e, 'B1g', 'x^2 - y^2')]
    >>> [p.polynomial for p in order_parameters("Oh", "D4h", 2)]
    ['x^2 + y^2 - 2z^2']
    >>> [(p.irrep, p.label, p.kind) for p in order_parameters("D4h", "D4", 1)]
    [(0o, 'A1u', 'pseudoscalar')]
    >>> [(p.irrep, p.label, p.polynomial) for p in order_parameters("D4h", "C4h", 1)]
    [(1e, 'A2g', 'z')]
    >>> order_parameters("D4h", "D4", 2, natural_parity=True)
    []
    """
    lmax = as_lmax(lmax)
    if lmax > SH_LMAX:
        raise ValueError(
            f"lmax = {lmax}: order parameters are written as polynomials with e3nn's spherical harmonics, "
            f"which go up to l = {SH_LMAX}; reduce_o3 counts them at any degree"
        )
    for flag, value in (("parity", parity), ("natural_parity", natural_parity)):
        if not isinstance(value, bool):
            raise TypeError(f"{flag} must be a bool, got {value!r} of type {type(value).__name__}")
    G = as_group(G)
    H = as_subgroup(G, H)
    if not parity:
        G, H = G.rotations(), H.rotations()
    table = character_table(G)
    frame = canonical_frame_array(H)
    turned = not np.array_equal(frame, np.eye(3))
    pseudo = parity and not natural_parity
    degrees = [(l, p) for l in range(lmax + 1) for p in (1, -1) if p == (-1) ** l or pseudo]
    inside = [G.index(h) for h in H.array]
    result = []
    for l, p in degrees:
        matrices = wigner_matrices(l, p, G.array)
        breaking = matrices[inside].mean(axis=0) - matrices.mean(axis=0)
        if float(np.abs(breaking).max()) < _RANK_TOL:
            continue
        to_caller = wigner_matrices(l, p, frame)  # coefficients in H's frame -> the caller's
        for label in table.real_irreps:
            part = label_projector(table, label, matrices)
            for vector in _orthonormal_range(to_caller.T @ part @ breaking @ part @ to_caller).T:
                polynomial = sh_to_polynomial(vector, l)
                if polynomial.startswith("-"):  # a positive leading coefficient in H's frame
                    vector = -vector
                    polynomial = sh_to_polynomial(vector, l)
                vector = _clean(to_caller @ vector)
                if turned:
                    polynomial = sh_to_polynomial(vector, l)
                result.append(OrderParameter(l, p, label, vector, polynomial))
    return result


def symmetric_projection(
    group: PointGroup, targets: torch.Tensor, irreps_out: str | o3.Irreps
) -> torch.Tensor:
    r"""The best output an equivariant model can give on an input with symmetry ``group``.

    The group average :math:`\bar t_a = \frac{1}{|G|}\sum_g D(g)^T t_{\pi_g(a)}`: the orthogonal projection
    of ``targets`` (shape :math:`(N, \dim)`) onto the outputs that keep the input's symmetry.
    ``group.permutations`` must say how each element permutes the points (see
    :func:`~symmetry_tasks.symmetry.symmetry_group`).
    """
    import torch
    from e3nn import o3

    from .._checks import as_features
    from .projectors import representation

    if not isinstance(group, PointGroup):
        raise TypeError(
            f"group must be a PointGroup found by symmetry_group(...), got {type(group).__name__}"
        )
    if group.permutations is None:
        raise ValueError(f"{group.name} carries no point permutations: build it with symmetry_group(...)")
    irreps_out = o3.Irreps(irreps_out)
    targets = as_features(targets, irreps_out.dim, group.permutations.shape[1], name="targets").detach()
    matrices = representation(group, irreps_out)
    return torch.einsum("gnj,gji->ni", targets[group.permutations], matrices) / group.order


def as_input(parameter: OrderParameter, irreps_in: str | o3.Irreps, amplitude: float = 0.1) -> torch.Tensor:
    """``amplitude`` times the order parameter, placed in its block of a feature vector of ``irreps_in``.

    Examples
    --------
    >>> from symmetry_tasks.symmetry.point_groups import point_group
    >>> (p,) = order_parameters(point_group("D4h"), point_group("D2h"), 2)
    >>> as_input(p, "0e + 1o + 2e").numpy().round(3)[4:] + 0.0
    array([ 0.   ,  0.   , -0.087,  0.   , -0.05 ])
    """
    import torch
    from e3nn import o3

    irreps = o3.Irreps(irreps_in)
    block = next(
        (s for (_, ir), s in zip(irreps, irreps.slices(), strict=True) if ir == parameter.irrep), None
    )
    if block is None:
        raise ValueError(f"irreps_in {irreps} has no {parameter.irrep} block for this order parameter")
    features = torch.zeros(irreps.dim, dtype=torch.float64)
    features[block] = amplitude * parameter.vector
    return features


@dataclass(frozen=True)
class CurieFloor:
    """The Curie floor of a problem and what it is made of."""

    floor: float  #: smallest mean squared error any equivariant model can reach
    group: PointGroup  #: symmetry group of the input (positions and features)
    best: torch.Tensor  #: (N, dim) the best symmetric output, :func:`symmetric_projection` of the targets


def curie_floor(
    positions: object,
    features: object,
    targets: object,
    irreps_in: str | o3.Irreps,
    irreps_out: str | o3.Irreps,
    tol: float = 1e-6,
    parity: bool = True,
) -> CurieFloor:
    r"""The smallest mean squared error that *any* equivariant model reaches on this input.

    Finds the symmetry group of the input (positions and features, see
    :func:`~symmetry_tasks.symmetry.symmetry_group`), projects the targets onto the outputs that group allows
    (:func:`symmetric_projection`) and returns the residual :math:`\overline{(t - \bar t)^2}`, averaged
    over all :math:`N \times \dim` entries like :func:`torch.nn.functional.mse_loss`. With
    ``parity=False`` only the rotations of that group count: the floor of a network equivariant under
    SO(3) alone.

    Examples
    --------
    >>> from symmetry_tasks import tasks
    >>> r = tasks.task2(steps=1)
    >>> f = curie_floor(r.positions, r.inputs, r.targets, r.model.irreps_in, r.model.irreps_out)
    >>> f.group.name, round(f.floor, 8)
    ('D4h', 0.00070702)
    """
    from e3nn import o3

    from .._checks import as_features, as_points
    from .detect import symmetry_group

    points = as_points(positions)
    irreps_out = o3.Irreps(irreps_out)
    wanted = as_features(targets, irreps_out.dim, len(points), name="targets").detach()
    group = symmetry_group(points, features, irreps_in, tol=tol)
    if not parity:
        group = group.rotations()
    best = symmetric_projection(group, wanted, irreps_out)
    return CurieFloor(float((wanted - best).pow(2).mean()), group, best)
