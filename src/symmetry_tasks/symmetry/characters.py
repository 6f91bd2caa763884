r"""Character tables computed from the matrices of a point group; products, reality, reductions of O(3).

See :func:`character_table` for the method and the conventions.
"""

from __future__ import annotations

import itertools
import math
import weakref
from dataclasses import dataclass, field
from functools import cache

import mpmath
import numpy as np
import torch
from e3nn import o3

from .._checks import as_lmax
from .elements import F64, multiplication_table, operations
from .frames import canonical_frame, standard_index
from .naming import class_names, irrep_sort_key, mulliken_labels, roles
from .point_groups import PointGroup, as_group, standard_matrices

#: A computed character, a multiplicity or a projection counts as exact (an integer, a sum of roots of
#: unity, a fixed vector) within this: far above the rounding of the computations (about 1e-14), far
#: below the distance between two distinct exact values (at least 0.26 for the characters of the groups
#: here: sums of at most 3 roots of unity of order at most 12).
_EXACT = 1e-9


@dataclass(frozen=True)
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
    characters : torch.Tensor
        complex128, shape (irreps, classes).
    functions : dict of str to list of str
        Linear, rotation and quadratic basis functions of each irrep, in the caller's coordinates.
    frame : torch.Tensor
        The canonical frame :math:`R` (float64, :math:`3 \\times 3`): class names and labels are those of
        ``point_group(group.name)``, whose :math:`z` and :math:`x` axes :math:`R` takes to this group's
        principal and secondary axes.
    square_classes : list of int
        For each class, the class of the squares :math:`g^2` of its elements.
    """

    group: PointGroup = field(repr=False)
    classes: list[str]
    class_sizes: list[int]
    class_members: list[list[int]] = field(repr=False)
    irreps: list[str]
    characters: torch.Tensor = field(repr=False)
    functions: dict[str, list[str]] = field(repr=False)
    frame: torch.Tensor = field(repr=False)
    square_classes: list[int] = field(repr=False)

    @property
    def dimensions(self) -> list[int]:
        """The dimension of each irrep, which is its character on the identity."""
        return [round(float(c.real)) for c in self.characters[:, 0]]

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
        sizes = torch.tensor(self.class_sizes, dtype=torch.complex128)
        values = (self.characters[:, self.square_classes] * sizes).sum(dim=1) / self.group.order
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
        return sum(self.characters[self.irreps.index(part)] for part in self.resolve(label).split("+"))

    def character(self, label: str) -> torch.Tensor:
        """The character of irrep ``label`` on every element of the group, complex128, shape :math:`(|G|,)`.

        A complex pair (``"1E+2E"``, or just ``"E"``) has the real sum of both characters.
        """
        return self.class_character(label)[self.class_of]

    @property
    def class_of(self) -> torch.Tensor:
        """The class of each element, long, shape :math:`(|G|,)`."""
        out = torch.empty(self.group.order, dtype=torch.long)
        for c, members in enumerate(self.class_members):
            out[members] = c
        return out

    def decompose_character(self, values: torch.Tensor) -> dict[str, int]:
        r"""Multiplicities :math:`m_\Gamma = \frac{1}{|G|}\sum_C |C|\,\chi_\Gamma(C)^* \chi(C)` of a character given on the classes.

        Raises ``ValueError`` if they are not non-negative integers (``values`` is not a character).
        """
        sizes = torch.tensor(self.class_sizes, dtype=torch.complex128)
        raw = (self.characters.conj() * sizes * torch.as_tensor(values, dtype=torch.complex128)).sum(dim=1)
        counts = raw / self.group.order
        rounded = counts.real.round()
        if float((counts - rounded).abs().max()) > _EXACT or bool((rounded < 0).any()):
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
        return self.decompose_character(self.class_character(first) * self.class_character(second))

    def symmetric_square(self, label: str) -> dict[str, int]:
        r"""The symmetric part of :math:`\Gamma \otimes \Gamma`, character :math:`(\chi(g)^2 + \chi(g^2))/2`."""
        chi = self.class_character(label)
        return self.decompose_character((chi**2 + chi[self.square_classes]) / 2)

    def antisymmetric_square(self, label: str) -> dict[str, int]:
        r"""The antisymmetric part of :math:`\Gamma \otimes \Gamma`, character :math:`(\chi(g)^2 - \chi(g^2))/2`.

        Examples
        --------
        >>> character_table("Oh").antisymmetric_square("T1u")
        {'T1g': 1}
        """
        chi = self.class_character(label)
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


@cache
def _sums_of_roots(dimension: int, order: int) -> np.ndarray:
    r"""Every sum of ``dimension`` ``order``-th roots of unity, each value once, exact to the last bit.

    Each root :math:`e^{2\pi i k/n}` is correctly rounded (so conjugate roots are exact conjugates);
    each part of a sum is rounded once (:func:`math.fsum`, so it does not depend on the order
    of the terms), and a part within rounding of a multiple of :math:`\frac12` is that multiple:
    :math:`i + (-i)` is 0, :math:`\cos(2\pi/3)` is :math:`-\frac12`, and :math:`2\cos(2\pi/5)` comes out
    the same in every table that holds it.
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


def _exact(characters: np.ndarray, orders: np.ndarray) -> np.ndarray:
    r"""``characters`` (irreps x classes) snapped to the exact algebraic values they approximate.

    :math:`\chi_\Gamma(g)` is the trace of a matrix :math:`\rho(g)` with :math:`\rho(g)^n = 1` (:math:`n`
    the order of :math:`g`): a sum of :math:`d_\Gamma` :math:`n`-th roots of unity. Each computed value is
    replaced by the nearest such sum, so that the orthogonality relations hold to rounding (about
    :math:`10^{-15}`) on every machine, whatever its linear algebra rounds. Raises ``RuntimeError`` if a
    value is not within :data:`_EXACT` of one (a bug, never bad input).
    """
    exact = np.empty(characters.shape, dtype=np.complex128)
    dimensions = np.round(characters[:, 0].real).astype(int)
    for (r, c), value in np.ndenumerate(characters):
        candidates = _sums_of_roots(int(dimensions[r]), int(orders[c]))
        nearest = int(np.argmin(np.abs(candidates - value)))
        if abs(candidates[nearest] - value) > _EXACT:
            raise RuntimeError(
                f"character {value} is no sum of {dimensions[r]} roots of unity of order {orders[c]}"
            )
        exact[r, c] = candidates[nearest]
    return exact


def _burnside(table: np.ndarray, classes: list[list[int]]) -> np.ndarray:
    """The characters (irreps x classes, complex, exact by :func:`_exact`) from the class multiplication constants."""
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
    return _exact(np.array(rows), orders)


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
    class_of = np.empty(len(matrices), dtype=int)
    for c, members in enumerate(classes):
        class_of[members] = c
    squares = [int(class_of[table[members[0], members[0]]]) for members in classes]
    functions = _basis_functions(matrices, labels, characters[:, class_of])
    return _Standard(classes, names, labels, characters, squares, functions)


# -- basis functions ----------------------------------------------------------------------------------


def _quadratic(**entries: complex) -> np.ndarray:
    q = np.zeros((3, 3), dtype=np.complex128)
    index = {"x": 0, "y": 1, "z": 2}
    for key, value in entries.items():
        a, b = index[key[0]], index[key[1]]
        q[a, b] += value / (1 if a == b else 2)
        if a != b:
            q[b, a] += value / 2
    return q.flatten()


@cache
def _function_candidates() -> tuple[tuple[tuple[str, ...], str, np.ndarray], ...]:
    """Families of functions (names, space, coefficient rows): partners of 3- and 2-dimensional irreps, then single functions."""
    i = 1j
    linear = {"x": [1, 0, 0], "y": [0, 1, 0], "z": [0, 0, 1], "x+iy": [1, i, 0], "x-iy": [1, -i, 0]}
    quadratic = {
        "x^2+y^2": _quadratic(xx=1, yy=1),
        "z^2": _quadratic(zz=1),
        "x^2-y^2": _quadratic(xx=1, yy=-1),
        "xy": _quadratic(xy=1),
        "xz": _quadratic(xz=1),
        "yz": _quadratic(yz=1),
        "x^2": _quadratic(xx=1),
        "y^2": _quadratic(yy=1),
        "2z^2-x^2-y^2": _quadratic(zz=2, xx=-1, yy=-1),
        "x^2+y^2+z^2": _quadratic(xx=1, yy=1, zz=1),
        "xz+iyz": _quadratic(xz=1, yz=i),
        "xz-iyz": _quadratic(xz=1, yz=-i),
        "(x+iy)^2": _quadratic(xx=1, yy=-1, xy=2 * i),
        "(x-iy)^2": _quadratic(xx=1, yy=-1, xy=-2 * i),
    }
    axial = {f"R{k[0]}" + (k[1:].replace("iy", "iRy") if len(k) > 1 else ""): v for k, v in linear.items()}
    tables = {"linear": linear, "axial": axial, "quadratic": quadratic}
    families = [
        (("x", "y", "z"), "linear"),
        (("Rx", "Ry", "Rz"), "axial"),
        (("xy", "xz", "yz"), "quadratic"),
        (("2z^2-x^2-y^2", "x^2-y^2"), "quadratic"),
        (("x", "y"), "linear"),
        (("Rx", "Ry"), "axial"),
        (("xz", "yz"), "quadratic"),
        (("x^2-y^2", "xy"), "quadratic"),
    ]
    singles = [((k,), "linear") for k in ("z", "x", "y", "x+iy", "x-iy")]
    singles += [((k,), "axial") for k in ("Rz", "Rx", "Ry", "Rx+iRy", "Rx-iRy")]
    quadratic_singles = ("x^2", "y^2", "z^2", "x^2+y^2", "x^2-y^2", "xy", "xz", "yz", "xz+iyz", "xz-iyz")
    quadratic_singles += ("(x+iy)^2", "(x-iy)^2", "x^2+y^2+z^2")
    singles += [((k,), "quadratic") for k in quadratic_singles]
    return tuple(
        (names, space, np.array([tables[space][n] for n in names], dtype=np.complex128))
        for names, space in (*families, *singles)
    )


def _actions(matrices: np.ndarray) -> dict[str, np.ndarray]:
    """The matrices of :math:`f \\mapsto f \\circ g` on the coefficients of each space of functions."""
    transposed = matrices.transpose(0, 2, 1)
    det = np.linalg.det(matrices)[:, None, None]
    quadratic = np.einsum("gab,gcd->gacbd", transposed, transposed).reshape(-1, 9, 9)
    return {"linear": transposed, "axial": det * transposed, "quadratic": quadratic}


def _in_span(vectors: np.ndarray, basis: list[np.ndarray]) -> bool:
    matrix = np.stack(basis, axis=1)
    solution = np.linalg.lstsq(matrix, vectors.T, rcond=None)[0]
    return float(np.abs(matrix @ solution - vectors.T).max()) < _EXACT


def _basis_functions(matrices: np.ndarray, labels: list[str], chi: np.ndarray) -> dict[str, list[str]]:
    """Functions of each irrep; ``chi`` holds the characters on every element (irreps x elements)."""
    actions = _actions(matrices)
    order = len(matrices)
    projectors = {
        space: np.einsum("rg,gij->rij", chi.conj() * chi[:, :1].real / order, action)
        for space, action in actions.items()
    }
    functions: dict[str, list[str]] = {label: [] for label in labels}
    claimed: dict[str, list[np.ndarray]] = {space: [] for space in actions}

    def offer(names: tuple[str, ...], space: str, vectors: np.ndarray, rows: list[int]) -> None:
        projector = sum(projectors[space][r] for r in rows)
        if float(np.abs(vectors @ projector.T - vectors).max()) > _EXACT:
            return
        if claimed[space] and _in_span(vectors, claimed[space]):
            return
        claimed[space] += list(vectors)
        for r in rows:
            functions[labels[r]].append(names[0] if len(names) == 1 else f"({', '.join(names)})")

    dimensions = [round(float(c.real)) for c in chi[:, 0]]
    for names, space, vectors in _function_candidates():
        for r, dimension in enumerate(dimensions):
            if len(names) == dimension:  # a d-dimensional irrep lists d partners together
                offer(names, space, vectors, [r])
    for r, label in enumerate(labels):  # complex pairs with no function: the real pair spanning both
        if label.startswith("1E") and not functions[label]:
            partner = labels.index(f"2{label[1:]}")
            for names, space, vectors in _function_candidates():
                if len(names) == 2:
                    offer(names, space, vectors, [r, partner])
    return functions


_MONOMIALS = {
    "linear": ("x", "y", "z"),
    "axial": ("Rx", "Ry", "Rz"),
    "quadratic": ("x^2", "xy", "xz", "y^2", "yz", "z^2"),
}


def turned_functions(functions: dict[str, list[str]], frame: np.ndarray) -> dict[str, list[str]]:
    r"""The basis functions of the standard table carried into a turned copy's frame :math:`R`.

    A function :math:`f` of the standard group becomes :math:`f \circ R^T` for the group
    :math:`R g R^T`: a linear or axial :math:`v \cdot r` becomes :math:`(R v) \cdot r` (:math:`R` is a
    rotation), a quadratic :math:`r^T Q r` becomes :math:`r^T R Q R^T r`. Each is written as a polynomial
    in the caller's :math:`x, y, z` (coefficients to 4 decimals), real ones with a positive leading
    coefficient; partners stay together, ``"(x, y)"``. Where every coefficient is a whole or half
    multiple of the smallest, the smallest is scaled to 1: ``x - y`` rather than ``0.7071x - 0.7071y``.

    Examples
    --------
    >>> quarter = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    >>> turned_functions({"Eu": ["(x, y)"], "B1g": ["x^2-y^2"], "B2g": ["xy"]}, quarter)
    {'Eu': ['(y, x)'], 'B1g': ['x^2-y^2'], 'B2g': ['xy']}
    """
    known = {
        n: (space, row)
        for names, space, rows in _function_candidates()
        for n, row in zip(names, rows, strict=True)
    }
    out: dict[str, list[str]] = {}
    for label, entries in functions.items():
        out[label] = []
        for entry in entries:
            pair = entry.startswith("(") and ", " in entry
            names = entry[1:-1].split(", ") if pair else [entry]
            turned = [_turn(*known[n], frame) for n in names]
            sizes = np.abs(np.concatenate([c for _, c in turned]))
            smallest = sizes[sizes > _EXACT].min()
            ratios = 2 * sizes / smallest
            if np.abs(ratios - ratios.round()).max() < 1e-6:  # whole or half multiples of the smallest: 1
                turned = [(space, c / smallest) for space, c in turned]
            texts = [_polynomial(space, c) for space, c in turned]
            out[label].append(f"({', '.join(texts)})" if pair else texts[0])
    return out


def _turn(space: str, row: np.ndarray, frame: np.ndarray) -> tuple[str, np.ndarray]:
    """The coefficients of :math:`f \\circ R^T` on the monomials of ``space``."""
    if space != "quadratic":
        return space, frame @ row
    q = frame @ row.reshape(3, 3) @ frame.T
    return space, np.array([q[0, 0], 2 * q[0, 1], 2 * q[0, 2], q[1, 1], 2 * q[1, 2], q[2, 2]])


def _polynomial(space: str, coefficients: np.ndarray) -> str:
    """``x^2-y^2`` from coefficients on the monomials; a complex function as ``A+i(B)``."""
    real, imag = coefficients.real, coefficients.imag
    if np.abs(imag).max() < _EXACT:
        leading = real[np.abs(real) > _EXACT][0]
        return _terms(space, real * np.sign(leading))
    if np.abs(real).max() < _EXACT:
        return f"i({_terms(space, imag)})"
    return f"{_terms(space, real)}+i({_terms(space, imag)})"


def _terms(space: str, values: np.ndarray) -> str:
    text = ""
    for value, monomial in zip(values, _MONOMIALS[space], strict=True):
        if abs(value) < _EXACT:
            continue
        size = round(abs(float(value)), 4)
        number = "" if size == 1 else f"{size:g}"
        text += ("-" if value < 0 else "+" if text else "") + number + monomial
    return text


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
    frame, index = canonical_frame(group), standard_index(group)
    position = np.empty(len(index), dtype=int)
    position[index] = np.arange(len(index))  # element j of the standard group is element position[j] here
    members = [sorted(position[c].tolist()) for c in standard.classes]
    if torch.equal(frame, torch.eye(3, dtype=F64)):
        functions = standard.functions
    else:
        functions = turned_functions(standard.functions, frame.numpy())
    return CharacterTable(
        group=group,
        classes=list(standard.names),
        class_sizes=[len(m) for m in members],
        class_members=members,
        irreps=list(standard.labels),
        characters=torch.tensor(standard.characters, dtype=torch.complex128),
        functions=functions,
        frame=frame,
        square_classes=list(standard.squares),
    )


def _spherical_character(angles: torch.Tensor, dets: torch.Tensor, ir: o3.Irrep) -> torch.Tensor:
    r"""Character :math:`p^{[\det g < 0]}\,\sin((l + \frac12)\theta) / \sin(\theta / 2)` of an e3nn irrep."""
    half = angles / 2
    safe = torch.where(half.abs() < 1e-9, torch.ones_like(half), half.sin())
    chi = torch.where(
        half.abs() < 1e-9, torch.full_like(half, 2 * ir.l + 1.0), ((2 * ir.l + 1) * half).sin() / safe
    )
    return torch.where(dets < 0, ir.p * chi, chi)


def _class_angles(table: CharacterTable) -> tuple[torch.Tensor, torch.Tensor]:
    ops = operations(table.group.matrices[[m[0] for m in table.class_members]].detach().numpy())
    angles = torch.tensor([op.angle for op in ops], dtype=F64)
    return angles, torch.tensor([op.det for op in ops], dtype=F64)


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


def as_irrep(ir: object) -> o3.Irrep:
    """``ir`` as an e3nn irrep; ``ValueError`` quoting it if it is not one."""
    try:
        return o3.Irrep(ir)
    except (ValueError, TypeError, AssertionError) as error:
        raise ValueError(f"not an e3nn irrep such as '2e' or '3o': {ir!r} ({error})") from None
