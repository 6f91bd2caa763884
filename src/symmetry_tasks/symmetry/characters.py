r"""Character tables computed from the matrices of a point group; products, squares and reality.

See :func:`character_table` for the method and the conventions. The exact values of the characters come
from ``roots_of_unity``, the basis functions from ``basis_functions``, the names from ``labels``; how the
irreps of O(3) split is in ``reductions``. Everything here runs on numpy: the torch tensors of the public
API are made on first use.
"""

from __future__ import annotations

import functools
import math
import weakref
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from .basis_functions import basis_functions, turned_functions
from .elements import as_array, multiplication_table, operations
from .frames import canonical_frame_array, standard_index
from .labels import class_names, irrep_sort_key, mulliken_labels, roles
from .point_groups import PointGroup, as_group, standard_matrices
from .roots_of_unity import EXACT, snap_to_roots

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True, eq=False)
class CharacterTable:
    """The character table of a point group.

    Attributes
    ----------
    group : PointGroup
    classes : list of str
        Class names, e.g. ``"2C4"``, ``"sigma_h"``, ``"C2(z)"``: those of the standard orientation, for any
        copy of the group (see :attr:`frame`).
    class_sizes : list of int
    class_members : list of list of int
        Indices into ``group.matrices`` of each class.
    irreps : list of str
        Mulliken labels in ASCII, e.g. ``"A1g"``, ``"Eu"``, ``"1E"``.
    character_array : numpy.ndarray
        complex128, shape (irreps, classes), read-only: the characters, exact sums of roots of unity.
    functions : dict of str to list of str
        Linear, rotation and quadratic basis functions of each irrep, in the caller's coordinates.
    frame_array : numpy.ndarray
        The canonical frame :math:`R` (float64, :math:`3 \\times 3`, read-only): class names and labels are
        those of ``point_group(group.name)``, whose :math:`z` and :math:`x` axes :math:`R` takes to this
        group's principal and secondary axes.
    square_classes : list of int
        For each class, the class of the squares :math:`g^2` of its elements.
    """

    group: PointGroup = field(repr=False)
    classes: list[str]
    class_sizes: list[int]
    class_members: list[list[int]] = field(repr=False)
    irreps: list[str]
    character_array: np.ndarray = field(repr=False)
    functions: dict[str, list[str]] = field(repr=False)
    frame_array: np.ndarray = field(repr=False)
    square_classes: list[int] = field(repr=False)

    @functools.cached_property
    def characters(self) -> torch.Tensor:
        """:attr:`character_array` as a torch tensor, complex128, shape (irreps, classes)."""
        import torch

        return torch.tensor(self.character_array, dtype=torch.complex128)

    @functools.cached_property
    def frame(self) -> torch.Tensor:
        """:attr:`frame_array` as a torch tensor, float64, :math:`3 \\times 3`."""
        import torch

        return torch.tensor(self.frame_array, dtype=torch.float64)

    @property
    def dimensions(self) -> list[int]:
        """The dimension of each irrep, which is its character on the identity."""
        return [round(float(c.real)) for c in self.character_array[:, 0]]

    @property
    def real_irreps(self) -> list[str]:
        """The labels of the irreps over the reals, with complex pairs joined as ``"1E+2E"``."""
        return [
            f"{label}+2{label[1:]}" if label.startswith("1E") else label
            for label in self.irreps
            if not label.startswith("2E")
        ]

    @property
    def reality(self) -> dict[str, int]:
        r"""The Frobenius–Schur indicator :math:`\frac{1}{|G|}\sum_g \chi(g^2)` of each irrep.

        1 for a real irrep, 0 for one of a complex-conjugate pair (1E, 2E), -1 for a quaternionic one (never
        for a point group).
        """
        sizes = np.array(self.class_sizes, dtype=np.float64)
        values = (self.character_array[:, self.square_classes] * sizes).sum(axis=1) / self.group.order
        return {label: round(float(v.real)) for label, v in zip(self.irreps, values, strict=True)}

    def resolve(self, label: str) -> str:
        """``label`` checked against the irreps; a complex pair's shared name (``"E"``, ``"Eg"``) becomes
        ``"1E+2E"``, ``"1Eg+2Eg"``.

        Raises ``ValueError`` naming the label and the table's irreps if there is no such irrep.
        """
        if not isinstance(label, str):
            raise TypeError(f"an irrep label must be a str such as 'B1g', got {type(label).__name__}")
        if label in self.irreps or label in self.real_irreps:
            return label
        if f"1{label}" in self.irreps and f"2{label}" in self.irreps:
            return f"1{label}+2{label}"
        raise ValueError(
            f"{self.group.name} has no irrep {label!r}; its irreps are {self.irreps} "
            f"(over the reals: {self.real_irreps})"
        )

    def class_character(self, label: str) -> torch.Tensor:
        """The character of irrep ``label`` on each class, complex128; a complex pair has the summed character."""
        import torch

        return torch.tensor(self.class_values(label), dtype=torch.complex128)

    def character(self, label: str) -> torch.Tensor:
        """The character of irrep ``label`` on every element of the group, complex128, shape :math:`(|G|,)`.

        A complex pair (``"1E+2E"``, or just ``"E"``) has the real sum of both characters.
        """
        import torch

        return torch.tensor(self.class_values(label)[self.class_index], dtype=torch.complex128)

    def class_values(self, label: str) -> np.ndarray:
        """:meth:`class_character` as a numpy array, complex128, shape (classes,)."""
        return sum(self.character_array[self.irreps.index(part)] for part in self.resolve(label).split("+"))

    @property
    def class_of(self) -> torch.Tensor:
        """The class of each element, long, shape :math:`(|G|,)`."""
        import torch

        return torch.tensor(self.class_index, dtype=torch.long)

    @functools.cached_property
    def class_index(self) -> np.ndarray:
        """:attr:`class_of` as a numpy array of ints, shape :math:`(|G|,)`."""
        out = np.empty(self.group.order, dtype=np.int64)
        for c, members in enumerate(self.class_members):
            out[members] = c
        out.flags.writeable = False
        return out

    def decompose_character(self, values: object) -> dict[str, int]:
        r"""Multiplicities :math:`m_\Gamma = \frac{1}{|G|}\sum_C |C|\,\chi_\Gamma(C)^* \chi(C)` of a character given on the classes.

        ``values`` may be a torch tensor, a numpy array or a list, shape (classes,).
        Raises ``ValueError`` if they are not non-negative integers (``values`` is not a character).
        """
        sizes = np.array(self.class_sizes, dtype=np.float64)
        chi = as_array(values, np.complex128)
        counts = (self.character_array.conj() * sizes * chi).sum(axis=1) / self.group.order
        rounded = counts.real.round()
        if float(np.abs(counts - rounded).max()) > EXACT or bool((rounded < 0).any()):
            raise ValueError(f"not a character of {self.group.name}: multiplicities {counts.tolist()}")
        return {label: int(m) for label, m in zip(self.irreps, rounded.tolist(), strict=True) if m > 0}

    def product(self, first: str, second: str) -> dict[str, int]:
        """The product of two irreps, decomposed: ``{"Ag": 1, ...}``.

        Examples
        --------
        >>> t = character_table("D4h")
        >>> t.product("Eg", "Eu")
        {'A1u': 1, 'A2u': 1, 'B1u': 1, 'B2u': 1}
        """
        return self.decompose_character(self.class_values(first) * self.class_values(second))

    def symmetric_square(self, label: str) -> dict[str, int]:
        r"""The symmetric part of :math:`\Gamma \otimes \Gamma`, character :math:`(\chi(g)^2 + \chi(g^2))/2`."""
        chi = self.class_values(label)
        return self.decompose_character((chi**2 + chi[self.square_classes]) / 2)

    def antisymmetric_square(self, label: str) -> dict[str, int]:
        r"""The antisymmetric part of :math:`\Gamma \otimes \Gamma`, character :math:`(\chi(g)^2 - \chi(g^2))/2`.

        Examples
        --------
        >>> character_table("Oh").antisymmetric_square("T1u")
        {'T1g': 1}
        """
        chi = self.class_values(label)
        return self.decompose_character((chi**2 - chi[self.square_classes]) / 2)


# -- the standard table of each name -------------------------------------------------------------------


def conjugacy_classes(matrices: np.ndarray) -> list[list[int]]:
    """The conjugacy classes of a group of matrices, as sorted lists of indices, in order of first element."""
    table = multiplication_table(matrices)
    inverse = np.argmin(table, axis=1)  # table[a, inverse[a]] is the identity, index 0
    conjugates = table[table[:, np.arange(len(matrices))], inverse[:, None]]  # [h, g] -> h g h^-1
    classes, seen = [], set()
    for g in range(len(matrices)):
        if g not in seen:
            members = sorted(set(conjugates[:, g].tolist()))
            seen.update(members)
            classes.append(members)
    return classes


def _element_orders(table: np.ndarray) -> np.ndarray:
    """The order of every element: the least :math:`k \\ge 1` with :math:`g^k = e` (index 0)."""
    elements = np.arange(len(table))
    orders, power = np.ones(len(table), dtype=int), elements
    while (power != 0).any():
        orders += power != 0
        power = np.where(power != 0, table[power, elements], 0)
    return orders


def _burnside(table: np.ndarray, classes: list[list[int]]) -> np.ndarray:
    """The characters (irreps x classes, complex, exact by :func:`~.roots_of_unity.snap_to_roots`) from the class multiplication constants."""
    n, order = len(classes), len(table)
    class_of = np.empty(order, dtype=int)
    for c, members in enumerate(classes):
        class_of[members] = c
    inverse = np.argmin(table, axis=1)
    constants = np.zeros((n, n, n))  # c[j, k, l]: pairs x in C_j, x^-1 z in C_k, for a fixed z in C_l
    for l, members in enumerate(classes):
        np.add.at(constants, (class_of, class_of[table[inverse, members[0]]], l), 1.0)
    weights = np.random.default_rng(1).random(n)
    _, vectors = np.linalg.eig(np.einsum("j,jkl->kl", weights, constants))
    sizes = np.array([len(c) for c in classes], dtype=np.float64)
    identity = int(class_of[0])
    rows = []
    for w in vectors.T:
        w = w / w[identity]
        dimension = math.sqrt(order / float((np.abs(w) ** 2 / sizes).sum()))
        rows.append(dimension * w / sizes)
    orders = _element_orders(table)[[members[0] for members in classes]]
    return snap_to_roots(np.array(rows), orders)


@dataclass(frozen=True)
class _Standard:
    classes: list[list[int]]  # indices into standard_matrices(name), in the published order
    names: list[str]
    labels: list[str]
    characters: np.ndarray  # complex, irreps x classes
    squares: list[int]
    functions: dict[str, list[str]]


@cache
def _standard(name: str) -> _Standard:
    matrices = standard_matrices(name)
    table = multiplication_table(matrices)
    classes = conjugacy_classes(matrices)
    order, names = class_names(name, matrices, classes)
    classes, names = [classes[c] for c in order], [names[c] for c in order]
    characters = _burnside(table, classes)
    r = roles(name, matrices, classes)
    ops = operations(matrices)
    orders = {c: ops[classes[c][0]].order for c in (r.principal, r.phase) if c is not None}
    labels = mulliken_labels(name, characters, r, orders)
    if len(set(labels)) != len(labels):
        raise ValueError(f"could not name the irreps of {name} uniquely: {labels}")  # a bug, not bad input
    rows = sorted(range(len(labels)), key=lambda k: irrep_sort_key(labels[k]))
    labels, characters = [labels[k] for k in rows], characters[rows]
    characters.flags.writeable = False
    class_of = np.empty(len(matrices), dtype=int)
    for c, members in enumerate(classes):
        class_of[members] = c
    squares = [int(class_of[table[members[0], members[0]]]) for members in classes]
    functions = basis_functions(matrices, labels, characters[:, class_of])
    return _Standard(classes, names, labels, characters, squares, functions)


# -- public API ---------------------------------------------------------------------------------------


_TABLES: weakref.WeakKeyDictionary[PointGroup, CharacterTable] = weakref.WeakKeyDictionary()


def character_table(group: PointGroup | str) -> CharacterTable:
    r"""The character table of ``group``, a :class:`PointGroup` or a name.

    *Classes* come from conjugation :math:`h g h^{-1}`, read off the multiplication table. *Characters* come
    from Burnside's algorithm: the central characters :math:`\omega_\Gamma(K_j) = |C_j|\,\chi_\Gamma(C_j)/d_\Gamma`
    of the class sums :math:`K_j K_k = \sum_l c_{jkl} K_l` are the common eigenvectors of the
    class-multiplication matrices :math:`(A_j)_{kl} = c_{jkl}`; one seeded random combination
    :math:`\sum_j r_j A_j` separates them all. The dimensions follow from
    :math:`\sum_j |C_j|\,|\chi_\Gamma(C_j)|^2 = |G|`.

    *Names* are given once per group name, in the standard orientation of :func:`point_group`, and carried
    to any other copy of the group through its :func:`canonical_frame`, so a turned group has the same
    table. Classes: :math:`C_n^k` and :math:`S_n^k` about the principal axis (the smallest power :math:`k`
    of the class), :math:`C_2'` (the class of the half turn about :math:`x`) and :math:`C_2''`,
    :math:`i`, :math:`\sigma_h`, :math:`\sigma_v` (the class of the plane :math:`xz`) and :math:`\sigma_d`,
    with the count of elements in front; ``C2(z)`` and ``sigma(xy)`` in :math:`D_2, D_{2h}`,
    ``sigma_v(xz)`` in :math:`C_{2v}`; in the cubic groups ``4C3`` holds the counterclockwise turn about
    :math:`(1, 1, 1)` and ``6C2'``, ``6sigma_d`` the face diagonals. Irreps (Mulliken): A/B symmetric or
    antisymmetric under the principal rotation (:math:`S_{2n}` in :math:`S_4, D_{2d}` and the like); E,
    T for dimensions 2, 3; g/u under the inversion, else ′/″ (``'``, ``''``) under :math:`\sigma_h`;
    subscripts 1/2 under :math:`C_2'`, else :math:`\sigma_v` (:math:`C_4`, or :math:`S_4` in
    :math:`T_d`, for the cubic groups); :math:`E_k` by the character :math:`2\cos(2\pi k/n)` on
    :math:`C_n`; B1/B2/B3 in :math:`D_2`-like groups for the irreps that keep the :math:`C_2` about z, y,
    x. A complex-conjugate pair is 1E/2E, 1E taking :math:`e^{+2\pi i k/n}` on the principal rotation (on
    :math:`C_3` about :math:`(1, 1, 1)` in :math:`T, T_h`). Subscripts appear only where they tell irreps
    apart.

    *Basis functions* are written in the caller's frame and found by projection. As in published tables, a
    function :math:`f` is acted on as :math:`f \mapsto f \circ g`, and it is listed for :math:`\Gamma` when
    :math:`P_\Gamma f = \frac{d_\Gamma}{|G|}\sum_g \chi_\Gamma(g)^* (f\circ g)` equals :math:`f`. A
    complex-conjugate pair with no complex function of its own lists the real pair that spans both
    (:math:`T`'s 1E and 2E: :math:`(2z^2 - x^2 - y^2, x^2 - y^2)`).

    Each name's table is computed once per process (about 3 ms for :math:`O_h`), a group object's table
    once per object (about 3 ms more for a turned :math:`O_h`, for its functions); ``benchmarks/bench_tables.py``
    measures them.

    Examples
    --------
    >>> t = character_table("D4h")
    >>> t.classes
    ['E', '2C4', 'C2', "2C2'", "2C2''", 'i', '2S4', 'sigma_h', '2sigma_v', '2sigma_d']
    >>> t.irreps
    ['A1g', 'A2g', 'B1g', 'B2g', 'Eg', 'A1u', 'A2u', 'B1u', 'B2u', 'Eu']
    >>> t.functions["B1g"], t.functions["Eu"]
    (['x^2-y^2'], ['(x, y)'])
    """
    group = as_group(group)
    if group not in _TABLES:
        _TABLES[group] = _table(group)
    return _TABLES[group]


def _table(group: PointGroup) -> CharacterTable:
    standard = _standard(group.name)
    frame, index = canonical_frame_array(group), standard_index(group)
    position = np.empty(len(index), dtype=int)
    position[index] = np.arange(len(index))  # element j of the standard group is element position[j] here
    members = [sorted(position[c].tolist()) for c in standard.classes]
    if np.array_equal(frame, np.eye(3)):
        functions = standard.functions
    else:
        functions = turned_functions(standard.functions, frame)
    return CharacterTable(
        group=group,
        classes=list(standard.names),
        class_sizes=[len(m) for m in members],
        class_members=members,
        irreps=list(standard.labels),
        character_array=standard.characters,
        functions=functions,
        frame_array=frame,
        square_classes=list(standard.squares),
    )


def format_character(value: complex, digits: int = 3) -> str:
    """A character as short ASCII text: ``1``, ``-1``, ``0.618``, ``i``, ``-0.5+0.866i``.

    Examples
    --------
    >>> [format_character(v) for v in (2, -1.0, 1j, complex(-0.5, 3**0.5 / 2), (5**0.5 - 1) / 2)]
    ['2', '-1', 'i', '-0.5+0.866i', '0.618']
    """
    real, imag = round(value.real, digits) + 0.0, round(value.imag, digits) + 0.0
    text = f"{real:g}"
    if imag == 0:
        return text
    imaginary = {1.0: "i", -1.0: "-i"}.get(imag, f"{imag:g}i")
    return imaginary if real == 0 else f"{text}{'+' if imag > 0 else ''}{imaginary}"
