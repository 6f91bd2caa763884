r"""Character tables computed from the matrices of a point group: classes, irreps, characters, basis functions.

*Classes* come from conjugation :math:`h g h^{-1}`. *Characters* come from Burnside's algorithm: the
central characters :math:`\omega_\Gamma(K_j) = |C_j|\,\chi_\Gamma(C_j)/d_\Gamma` of the class sums
:math:`K_j K_k = \sum_l c_{jkl} K_l` are the common eigenvectors of the class-multiplication matrices
:math:`(A_j)_{kl} = c_{jkl}`; one seeded random combination :math:`\sum_j r_j A_j` separates them all. The
dimensions follow from :math:`\sum_j |C_j|\,|\chi_\Gamma(C_j)|^2 = |G|`. Point groups have at most 48
elements, so this exact, dependency-free computation takes milliseconds; a library of space-group irreps
would bring a large dependency for no gain.

*Mulliken labels* follow the published rules: A/B (symmetric/antisymmetric under the principal rotation),
E and T for dimensions 2 and 3, g/u for the inversion, ' and '' for :math:`\sigma_h`, subscripts 1/2 for
the :math:`C_2'` axes (else the :math:`\sigma_v` planes), and for :math:`D_2`-like groups B1/B2/B3 for the
C2 axis (z, y, x) that is kept. A complex-conjugate pair of one-dimensional irreps is 1E/2E, 1E taking
:math:`e^{+2\pi i/n}` on :math:`C_n`.

*Basis functions* are found by projection. As in published tables, a function :math:`f` is acted on as
:math:`f \mapsto f \circ g`, and it is listed for :math:`\Gamma` when
:math:`P_\Gamma f = \frac{d_\Gamma}{|G|}\sum_g \chi_\Gamma(g)^* (f\circ g)` equals :math:`f`.
"""

from __future__ import annotations

import cmath
import math
import weakref
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import torch
from e3nn import o3

from ..equivariance import wigner_D

if TYPE_CHECKING:
    from .point_groups import PointGroup

F64 = torch.float64
_TOL = 1e-6
_AXES = {"x": (1.0, 0.0, 0.0), "y": (0.0, 1.0, 0.0), "z": (0.0, 0.0, 1.0)}


@dataclass(frozen=True)
class CharacterTable:
    """The character table of a point group.

    Attributes
    ----------
    group : PointGroup
    classes : list of str
        Class names, e.g. ``"2C4"``, ``"sigma_h"``, ``"C2(z)"``.
    class_sizes : list of int
    class_members : list of list of int
        Indices into ``group.matrices`` of each class.
    irreps : list of str
        Mulliken labels in ASCII, e.g. ``"A1g"``, ``"Eu"``, ``"1E"``.
    characters : torch.Tensor
        complex128, shape (irreps, classes).
    functions : dict of str to list of str
        Linear, rotation and quadratic basis functions of each irrep.
    """

    group: PointGroup = field(repr=False)
    classes: list[str]
    class_sizes: list[int]
    class_members: list[list[int]] = field(repr=False)
    irreps: list[str]
    characters: torch.Tensor = field(repr=False)
    functions: dict[str, list[str]] = field(repr=False)

    @property
    def dimensions(self) -> list[int]:
        """The dimension of each irrep, which is its character on the identity."""
        return [round(float(c.real)) for c in self.characters[:, 0]]

    @property
    def real_irreps(self) -> list[str]:
        """The labels of the irreps over the reals, with complex pairs joined as ``"1E+2E"``."""
        labels = []
        for label in self.irreps:
            if label.startswith("1E"):
                labels.append(f"{label}+2{label[1:]}")
            elif not label.startswith("2E"):
                labels.append(label)
        return labels

    def resolve(self, label: str) -> str:
        """``label`` checked against the irreps; a complex pair's shared name (``"E"``, ``"Eg"``) becomes
        ``"1E+2E"``, ``"1Eg+2Eg"``.

        Raises ``ValueError`` naming the label and the table's irreps if there is no such irrep.
        """
        if label in self.irreps or label in self.real_irreps:
            return label
        if f"1{label}" in self.irreps and f"2{label}" in self.irreps:
            return f"1{label}+2{label}"
        raise ValueError(
            f"{self.group.name} has no irrep {label!r}; its irreps are {self.irreps} "
            f"(over the reals: {self.real_irreps})"
        )

    def character(self, label: str) -> torch.Tensor:
        """The character of irrep ``label`` on every element of the group, complex128, shape :math:`(|G|,)`.

        A complex pair (``"1E+2E"``, or just ``"E"``) has the real sum of both characters.
        """
        label = self.resolve(label)
        if "+" in label:
            first, second = label.split("+")
            return self.character(first) + self.character(second)
        row = self.characters[self.irreps.index(label)]
        values = torch.zeros(self.group.order, dtype=torch.complex128)
        for k, members in enumerate(self.class_members):
            values[members] = row[k]
        return values


# -- classes -----------------------------------------------------------------------------------------


def _conjugacy_classes(group: PointGroup) -> list[list[int]]:
    g = group.matrices
    seen: set[int] = set()
    classes = []
    for a in range(group.order):
        if a in seen:
            continue
        members = sorted({group.index(h @ g[a] @ h.T) for h in g})
        seen.update(members)
        classes.append(members)
    return classes


@dataclass(frozen=True)
class _Element:
    det: int
    order: int  # order of g itself
    axis: torch.Tensor  # oriented rotation axis (zero for E and i)
    n: int  # g is C_n^k (proper) or S_n^k (improper) about ``axis``
    power: int  # k


#: Orients every axis: ``axis @ _REFERENCE > 0`` (no symmetry axis is perpendicular to it).
_REFERENCE = torch.tensor([0.1 * math.sqrt(2.0), 0.1 * math.sqrt(3.0), 1.0], dtype=F64)


def _element(g: torch.Tensor) -> _Element:
    det = round(float(torch.linalg.det(g)))
    order = 1
    power = g.clone()
    while not torch.allclose(power, torch.eye(3, dtype=F64), atol=1e-9):
        power = power @ g
        order += 1
    rotation = det * g  # proper part; for S_n = sigma_h R(phi), -g = R(phi + pi)
    values, vectors = torch.linalg.eig(rotation)
    if torch.allclose(rotation, torch.eye(3, dtype=F64), atol=1e-9):
        return _Element(det, order, torch.zeros(3, dtype=F64), 1 if det > 0 else 2, 1)
    axis = vectors[:, (values - 1).abs().argmin()].real
    axis = axis / axis.norm()
    if float(axis @ _REFERENCE) < 0:
        axis = -axis
    # angle of the proper part about the oriented axis, in [0, 2 pi)
    reference = torch.linalg.cross(axis, torch.tensor([0.3, -0.7, 0.2], dtype=F64))
    reference = reference / reference.norm()
    turned = rotation @ reference
    angle = math.atan2(float(axis @ torch.linalg.cross(reference, turned)), float(reference @ turned))
    angle %= 2 * math.pi
    if det < 0:
        angle = (angle - math.pi) % (2 * math.pi)  # the rotation of S_n that follows sigma_h
    fraction = Fraction(angle / (2 * math.pi)).limit_denominator(60)
    if fraction == 0:  # a mirror: sigma = S_1
        return _Element(det, order, axis, 1, 1)
    return _Element(det, order, axis, fraction.denominator, fraction.numerator)


def _along(axis: torch.Tensor, direction: str) -> bool:
    return abs(abs(float(axis @ torch.tensor(_AXES[direction], dtype=F64))) - 1) < 1e-6


@dataclass(frozen=True)
class _Frame:
    principal: torch.Tensor | None  # principal axis
    principal_class: int | None  # class of the principal element (for A/B)
    d2_axes: dict[str, torch.Tensor] | None  # three perpendicular C2 axes, nothing of higher order: by name
    cubic: bool  # four C3 axes: T, Td, Th, O, Oh

    @property
    def d2_like(self) -> bool:
        return self.d2_axes is not None


def _d2_axes(axes: list[torch.Tensor]) -> dict[str, torch.Tensor]:
    """Names z, y, x for three perpendicular C2 axes, given in the order of their elements.

    An axis along a coordinate axis takes its name; the others take the names left, z before x before y
    (the order in which :func:`~symmetry_tasks.symmetry.point_group` generates them), with a prime: a
    :math:`D_{2h}` turned by 45 degrees about z has the axes z, x' (along (1, 1, 0)) and y'.
    """
    named = {d: a for a in axes for d in "zyx" if _along(a, d)}
    rest = [a for a in axes if not any(a is b for b in named.values())]
    for name, axis in zip([d for d in "zxy" if d not in named], rest, strict=True):
        named[f"{name}'"] = axis
    return dict(sorted(named.items(), key=lambda item: "zyx".index(item[0][0])))


def _frame(group: PointGroup, classes: list[list[int]], elements: list[_Element]) -> _Frame:
    has_inversion = any(e.det < 0 and e.order == 2 and float(e.axis.norm()) == 0 for e in elements)
    proper = [(e.n, k) for k, e in enumerate(elements) if e.det > 0 and e.order > 1]
    improper = [(e.n, k) for k, e in enumerate(elements) if e.det < 0 and e.n > 2]
    top_proper = max((n for n, _ in proper), default=1)
    candidates = proper
    if not has_inversion and any(n > top_proper for n, _ in improper):
        candidates = [(n, k) for n, k in improper if n > top_proper]
    if not candidates:
        return _Frame(None, None, None, False)
    top = max(order for order, _ in candidates)
    best = [k for order, k in candidates if order == top]
    # prefer z, then the smallest power, as the principal element
    best.sort(key=lambda k: (not _along(elements[k].axis, "z"), elements[k].power, k))
    chosen = best[0]
    axes: dict[tuple[float, ...], torch.Tensor] = {}
    for k in sorted(best):  # in the order of the elements
        axes.setdefault(tuple(round(float(v), 6) + 0.0 for v in elements[k].axis), elements[k].axis)
    d2_axes = _d2_axes(list(axes.values())) if top == 2 and not improper and len(axes) == 3 else None
    cubic = sum(1 for e in elements if e.det > 0 and e.n == 3) >= 8
    class_of = next(c for c, members in enumerate(classes) if chosen in members)
    return _Frame(elements[chosen].axis, class_of, d2_axes, cubic)


def _reference_axes(
    classes: list[list[int]], elements: list[_Element], frame: _Frame
) -> dict[str, list[torch.Tensor]]:
    """The C2' axes, and for groups without them the sigma_v normals, that the class names refer to.

    Of the classes of C2 axes (or mirror normals) perpendicular to the principal axis, the one holding x is
    C2' (sigma_v). In another orientation it is the one holding the first such element: as
    :meth:`~symmetry_tasks.symmetry.PointGroup.transformed` keeps the order of the elements, a turned group
    gets the same labels as the group in the standard orientation.
    """
    out: dict[str, list[torch.Tensor]] = {"C2'": [], "sigma_v": []}
    if frame.principal is None or frame.cubic or frame.d2_axes is not None:
        return out
    for key, det in (("C2'", 1), ("sigma_v", -1)):
        perpendicular = [
            members
            for members in classes
            if elements[members[0]].det == det
            and elements[members[0]].order == 2
            and elements[members[0]].n <= 2
            and all(abs(float(elements[k].axis @ frame.principal)) < 1e-6 for k in members)
            and float(elements[members[0]].axis.norm()) > 0
        ]
        if perpendicular:
            nearest = min(
                perpendicular, key=lambda c: (not any(_along(elements[k].axis, "x") for k in c), c[0])
            )
            out[key] = [elements[k].axis for k in nearest]
        if out["C2'"]:
            break
    return out


def _d2_name(axis: torch.Tensor, axes: dict[str, torch.Tensor]) -> str:
    return next(name for name, a in axes.items() if abs(abs(float(axis @ a)) - 1) < 1e-6)


def _class_name(
    members: list[int], elements: list[_Element], frame: _Frame, reference: dict[str, list[torch.Tensor]]
) -> str:
    """Name of a class. ``reference["C2'"]`` holds the C2' axes and ``reference["sigma_v"]`` the normals of
    the sigma_v class of a group without C2' axes (see :func:`_reference_axes`)."""
    e = elements[members[0]]
    size = f"{len(members)}" if len(members) > 1 else ""
    if e.order == 1:
        return "E"
    if e.det < 0 and float(e.axis.norm()) == 0:
        return "i"
    principal = frame.principal

    def among(axes: list[torch.Tensor]) -> bool:
        return any(abs(abs(float(elements[k].axis @ a)) - 1) < 1e-6 for k in members for a in axes)

    on_principal = principal is not None and among([principal])
    if e.det > 0 and e.n == 2:
        if frame.d2_axes is not None:
            return f"C2({_d2_name(e.axis, frame.d2_axes)})"
        if frame.cubic:  # 3 C2 about the cube's axes, 6 C2' about the face diagonals (O, Oh)
            return f"{size}C2" if len(members) == 3 else f"{size}C2'"
        if principal is None or on_principal:
            return f"{size}C2"
        return f"{size}C2'" if among(reference["C2'"]) else f"{size}C2''"
    if e.det < 0 and e.n == 1:  # a mirror; its axis is the normal
        plane = {"z": "xy", "y": "xz", "x": "yz"}
        normal = next((d for d in "zyx" if _along(e.axis, d)), None)
        if frame.d2_axes is not None:
            name = _d2_name(e.axis, frame.d2_axes)
            others = [n for n in frame.d2_axes if n != name]
            return f"sigma({''.join(sorted(others, key=lambda n: 'xyz'.index(n[0])))})"
        if frame.cubic:  # 3 coordinate planes (Th, Oh) are sigma_h; the 6 diagonal planes sigma_d
            return f"{size}sigma_h" if len(members) == 3 else f"{size}sigma_d"
        if principal is None or on_principal:
            return f"{size}sigma_h"
        if reference["C2'"]:  # sigma_v contains a C2' axis, sigma_d bisects them
            contains = any(abs(float(elements[k].axis @ a)) < 1e-6 for k in members for a in reference["C2'"])
            return f"{size}sigma_v" if contains else f"{size}sigma_d"
        if len(members) == 1 and normal in ("x", "y"):
            return f"sigma_v({plane[normal]})"
        if among(reference["sigma_v"]):
            return f"{size}sigma_v"
        return "sigma_v'" if len(members) == 1 else f"{size}sigma_d"
    symbol = "C" if e.det > 0 else "S"
    power = min(elements[k].power for k in members)
    if symbol == "S" and e.n % 2 == 1 and power % 2 == 0:  # S3^5 = sigma_h C3^2 (S3^2 would be C3^2)
        power += e.n
    return f"{size}{symbol}{e.n}" + (f"^{power}" if power > 1 else "")


def _class_key(name: str, members: list[int], elements: list[_Element], cubic: bool) -> tuple:
    """E, proper rotations, i, S_n, mirrors.

    Proper rotations go by increasing angle, as in published tables (C4, C2, C4^3; principal C2 before
    C2' before C2''); in cubic groups by decreasing n (8C3 before 3C2).
    """
    e = min((elements[k] for k in members), key=lambda element: element.power)
    kind = 0 if name == "E" else 1 if e.det > 0 else 2 if name == "i" else 3 if e.n > 1 else 4
    bare = name.lstrip("0123456789")
    symbol, _, where = bare.partition("(")
    primes = symbol.count("'")
    axis = {"z": 0, "y": 1, "x": 2, "xy": 0, "xz": 1, "yz": 2}.get(where.rstrip(")").replace("'", ""), 0)
    mirror = (
        ["sigma_h", "sigma_v", "sigma_d"].index(bare[:7])
        if bare[:7] in ("sigma_h", "sigma_v", "sigma_d")
        else 0
    )
    turn = (-e.n if cubic else Fraction(e.power, e.n)) if kind == 1 else e.n
    return (kind, turn, primes, mirror, axis, name)


# -- characters --------------------------------------------------------------------------------------


def _characters(group: PointGroup, classes: list[list[int]]) -> torch.Tensor:
    n = len(classes)
    class_of = torch.empty(group.order, dtype=torch.long)
    for c, members in enumerate(classes):
        class_of[members] = c
    table = torch.tensor(
        [[group.index(a @ b) for b in group.matrices] for a in group.matrices], dtype=torch.long
    )  # table[a, b] = index of a b
    constants = torch.zeros(n, n, n, dtype=torch.complex128)  # c[j, k, l]
    for l, members in enumerate(classes):
        z = members[0]
        for j, cj in enumerate(classes):
            for x in cj:
                # y = x^-1 z; its class
                y = int((table[x] == z).nonzero()[0])
                constants[j, class_of[y], l] += 1
    weights = torch.rand(n, dtype=F64, generator=torch.Generator().manual_seed(1)).to(torch.complex128)
    combined = torch.einsum("j,jkl->kl", weights, constants)
    _, vectors = torch.linalg.eig(combined)
    sizes = torch.tensor([len(c) for c in classes], dtype=F64)
    identity = next(c for c, members in enumerate(classes) if 0 in members)
    rows = []
    for w in vectors.T:
        w = w / w[identity]
        dimension = math.sqrt(group.order / float((w.abs() ** 2 / sizes).sum()))
        rows.append(dimension * w / sizes)
    characters = torch.stack(rows)
    characters = torch.complex(_snap(characters.real), _snap(characters.imag))
    return characters


def _snap(values: torch.Tensor) -> torch.Tensor:
    rounded = values.round()
    return torch.where((values - rounded).abs() < 1e-9, rounded, values)


# -- labels ------------------------------------------------------------------------------------------


def _labels(
    characters: torch.Tensor,
    classes: list[list[int]],
    names: list[str],
    elements: list[_Element],
    frame: _Frame,
) -> list[str]:
    def class_where(predicate) -> int | None:
        return next((c for c, members in enumerate(classes) if predicate(members)), None)

    inversion = class_where(lambda m: elements[m[0]].det < 0 and float(elements[m[0]].axis.norm()) == 0)
    sigma_h = next((c for c, name in enumerate(names) if name == "sigma_h"), None)
    principal_c2 = next((c for c, name in enumerate(names) if name == "C2"), None)
    secondary = next((c for c, name in enumerate(names) if name.endswith("C2'")), None)
    if secondary is None:
        secondary = next(
            (c for c, name in enumerate(names) if name.endswith("C2''") and "C2'" not in names), None
        )
    if secondary is None:
        secondary = class_where(
            lambda m: (
                elements[m[0]].det < 0
                and elements[m[0]].order == 2
                and float(elements[m[0]].axis.norm()) > 0
                and any(_along(elements[k].axis, "y") for k in m)
            )
        )
    if secondary is None:
        secondary = next((c for c, name in enumerate(names) if "sigma_v" in name or "sigma_d" in name), None)
    if secondary == principal_c2:
        secondary = None
    p = frame.principal_class
    order = elements[classes[p][0]].order if p is not None else 1

    parts = []
    for row in characters:
        dimension = round(float(row[0].real))
        complex_row = bool((row.imag.abs() > 1e-9).any())
        kind = ""
        if inversion is not None:
            kind = "g" if float(row[inversion].real) > 0 else "u"
        elif sigma_h is not None:
            kind = "'" if float(row[sigma_h].real) / dimension > 0 else "''"
        if complex_row:
            value = complex(row[p])
            steps = round(cmath.phase(value) / (2 * math.pi) * order) % order
            letter, prefix, index = "E", ("1" if steps <= order // 2 else "2"), min(steps, order - steps)
        elif dimension == 1:
            value = float(row[p].real) if p is not None and not frame.cubic else 1.0
            letter, prefix, index = ("A" if value > 0 else "B"), "", None
            if frame.d2_axes is not None:
                axis_names = sorted(frame.d2_axes, key=lambda n: "zyx".index(n[0]))
                kept = [
                    d
                    for d, axis in zip("123", axis_names, strict=True)
                    if float(row[names.index(f"C2({axis})")].real) > 0
                ]
                letter, index = ("A", None) if len(kept) == 3 else ("B", int(kept[0]))
            elif secondary is not None:
                index = 1 if float(row[secondary].real) > 0 else 2
        else:
            letter, prefix = ("E" if dimension == 2 else "T" if dimension == 3 else f"G{dimension}"), ""
            value = float(row[p].real) if p is not None else 0.0
            if dimension == 2:
                ratio = max(-1.0, min(1.0, value / 2))
                index = round(math.acos(ratio) / (2 * math.pi) * order) if order > 2 else None
            else:
                index = 1 if value > 0 else 2
        parts.append([prefix, letter, index, kind])
    # subscripts only where they tell irreps apart
    needed = [len({e[2] for e in parts if e[1] == entry[1] and e[3] == entry[3]}) > 1 for entry in parts]
    for entry, keep in zip(parts, needed, strict=True):
        if not keep:
            entry[2] = None
    return [
        f"{prefix}{letter}{'' if index is None else index}{kind}" for prefix, letter, index, kind in parts
    ]


def _sort_key(label: str) -> tuple:
    core = label.lstrip("12")
    letter = core[0]
    rank = "ABETG".index(letter) if letter in "ABETG" else 9
    kind = 2 if core.endswith("''") else 1 if core.endswith("'") else 0
    parity = 1 if core.endswith("u") else 0
    return (parity, kind, rank, core, label)


# -- basis functions ---------------------------------------------------------------------------------


def _function_candidates() -> list[tuple[list[str], str, list[torch.Tensor]]]:
    """Families of functions (names, space, coefficient vectors): partners of 3- and 2-dimensional irreps, then single functions."""
    i = 1j
    lin = {"x": [1, 0, 0], "y": [0, 1, 0], "z": [0, 0, 1], "x+iy": [1, i, 0], "x-iy": [1, -i, 0]}

    def quad(**entries: complex) -> list[complex]:
        q = torch.zeros(3, 3, dtype=torch.complex128)
        index = {"x": 0, "y": 1, "z": 2}
        for key, value in entries.items():
            a, b = index[key[0]], index[key[1]]
            q[a, b] += value / (1 if a == b else 2)
            if a != b:
                q[b, a] += value / 2
        return q.flatten().tolist()

    quadratic = {
        "x^2+y^2": quad(xx=1, yy=1),
        "z^2": quad(zz=1),
        "x^2-y^2": quad(xx=1, yy=-1),
        "xy": quad(xy=1),
        "xz": quad(xz=1),
        "yz": quad(yz=1),
        "x^2": quad(xx=1),
        "y^2": quad(yy=1),
        "2z^2-x^2-y^2": quad(zz=2, xx=-1, yy=-1),
        "x^2+y^2+z^2": quad(xx=1, yy=1, zz=1),
        "xz+iyz": quad(xz=1, yz=i),
        "xz-iyz": quad(xz=1, yz=-i),
        "(x+iy)^2": quad(xx=1, yy=-1, xy=2 * i),
        "(x-iy)^2": quad(xx=1, yy=-1, xy=-2 * i),
    }
    rotation = {f"R{k[0]}" + (k[1:].replace("iy", "iRy") if len(k) > 1 else ""): v for k, v in lin.items()}
    families: list[tuple[list[str], str, dict]] = [
        (["x", "y", "z"], "linear", lin),
        (["Rx", "Ry", "Rz"], "axial", rotation),
        (["xy", "xz", "yz"], "quadratic", quadratic),
        (["2z^2-x^2-y^2", "x^2-y^2"], "quadratic", quadratic),
        (["x", "y"], "linear", lin),
        (["Rx", "Ry"], "axial", rotation),
        (["xz", "yz"], "quadratic", quadratic),
        (["x^2-y^2", "xy"], "quadratic", quadratic),
    ]
    singles = [
        *(([k], "linear", lin) for k in ("z", "x", "y", "x+iy", "x-iy")),
        *(([k], "axial", rotation) for k in ("Rz", "Rx", "Ry", "Rx+iRy", "Rx-iRy")),
        *(
            ([k], "quadratic", quadratic)
            for k in ("x^2", "y^2", "z^2", "x^2+y^2", "x^2-y^2", "xy", "xz", "yz")
        ),
        *(([k], "quadratic", quadratic) for k in ("xz+iyz", "xz-iyz", "(x+iy)^2", "(x-iy)^2", "x^2+y^2+z^2")),
    ]
    out = []
    for names, space, table in [*families, *singles]:
        out.append((names, space, [torch.tensor(table[n], dtype=torch.complex128) for n in names]))
    return out


def _action(space: str, g: torch.Tensor) -> torch.Tensor:
    """The matrix of f -> f o g on coefficient vectors of a space of functions."""
    g = g.to(torch.complex128)
    if space == "linear":
        return g.T
    if space == "axial":
        return torch.linalg.det(g) * g.T
    return torch.kron(g.T, g.T)  # q -> g^T q g, on row-major flattened q


def _basis_functions(table_group: PointGroup, labels: list[str], characters_of) -> dict[str, list[str]]:
    functions: dict[str, list[str]] = {label: [] for label in labels}
    claimed: dict[str, list[torch.Tensor]] = {space: [] for space in ("linear", "axial", "quadratic")}
    for names, space, vectors in _function_candidates():
        actions = torch.stack([_action(space, g) for g in table_group.matrices])
        for label in labels:
            chi = characters_of(label)
            dimension = float(chi[0].real)
            if len(names) != round(dimension):  # a d-dimensional irrep lists d partners together
                continue
            projector = dimension / table_group.order * torch.einsum("g,gij->ij", chi.conj(), actions)
            if not all(float((projector @ v - v).abs().max()) < _TOL for v in vectors):
                continue
            span = claimed[space]
            if span and _in_span(vectors, span):
                continue
            claimed[space] += vectors
            functions[label].append(names[0] if len(names) == 1 else f"({', '.join(names)})")
    return functions


def _in_span(vectors: list[torch.Tensor], basis: list[torch.Tensor]) -> bool:
    matrix = torch.stack(basis, dim=1)
    for v in vectors:
        solution = torch.linalg.lstsq(matrix, v[:, None]).solution
        if float((matrix @ solution - v[:, None]).abs().max()) > _TOL:
            return False
    return True


# -- public API --------------------------------------------------------------------------------------


#: Tables already computed, by group object (a group's matrices are not changed after it is made).
_TABLES: weakref.WeakKeyDictionary[PointGroup, CharacterTable] = weakref.WeakKeyDictionary()


def character_table(group: PointGroup) -> CharacterTable:
    """The character table of ``group`` (see the module docstring for the method and conventions).

    Computed once per group object and then reused.

    Examples
    --------
    >>> from symmetry_tasks.symmetry.point_groups import point_group
    >>> t = character_table(point_group("D4h"))
    >>> t.classes
    ['E', '2C4', 'C2', "2C2'", "2C2''", 'i', '2S4', 'sigma_h', '2sigma_v', '2sigma_d']
    >>> t.irreps
    ['A1g', 'A2g', 'B1g', 'B2g', 'Eg', 'A1u', 'A2u', 'B1u', 'B2u', 'Eu']
    >>> t.functions["B1g"], t.functions["Eu"]
    (['x^2-y^2'], ['(x, y)'])
    """
    if group not in _TABLES:
        _TABLES[group] = _compute(group)
    return _TABLES[group]


def _compute(group: PointGroup) -> CharacterTable:
    classes = _conjugacy_classes(group)
    elements = [_element(g) for g in group.matrices]
    frame = _frame(group, classes, elements)
    reference = _reference_axes(classes, elements, frame)
    names = [_class_name(members, elements, frame, reference) for members in classes]
    for c, name in enumerate(names):  # e.g. the two classes 4C3 and 4C3^2 of T
        if name in names[:c] and "^" not in name:
            names[c] = f"{name}^{elements[classes[c][0]].n - 1}"
    order = sorted(range(len(classes)), key=lambda c: _class_key(names[c], classes[c], elements, frame.cubic))
    classes, names = [classes[c] for c in order], [names[c] for c in order]
    frame = _frame(group, classes, elements)  # the same axes, with the class indices of the new order
    characters = _characters(group, classes)
    labels = _labels(characters, classes, names, elements, frame)
    order = sorted(range(len(labels)), key=lambda k: _sort_key(labels[k]))
    labels, characters = [labels[k] for k in order], characters[order]
    if len(set(labels)) != len(labels):
        raise ValueError(f"could not name the irreps of {group.name} uniquely: {labels}")

    def characters_of(label: str) -> torch.Tensor:
        values = torch.zeros(group.order, dtype=torch.complex128)
        for k, members in enumerate(classes):
            values[members] = characters[labels.index(label), k]
        return values

    return CharacterTable(
        group=group,
        classes=names,
        class_sizes=[len(m) for m in classes],
        class_members=classes,
        irreps=labels,
        characters=characters,
        functions=_basis_functions(group, labels, characters_of),
    )


def _spherical_character(group: PointGroup, ir: o3.Irrep) -> torch.Tensor:
    r"""Character of an e3nn irrep on each element: :math:`p^{[\det g < 0]}\,\chi_l(\theta)`."""
    values = []
    for g in group.matrices:
        det = float(torch.linalg.det(g))
        cosine = max(-1.0, min(1.0, float(((det * g).trace() - 1) / 2)))
        theta = math.acos(cosine)
        chi = 2 * ir.l + 1 if theta < 1e-9 else math.sin((ir.l + 0.5) * theta) / math.sin(theta / 2)
        values.append(chi * (ir.p if det < 0 else 1))
    return torch.tensor(values, dtype=torch.complex128)


def decompose(group: PointGroup, irrep: str | o3.Irrep) -> dict[str, int]:
    """Multiplicity of each irrep of ``group`` in the e3nn irrep (harmonics of degree l, parity p).

    Examples
    --------
    >>> from symmetry_tasks.symmetry.point_groups import point_group
    >>> decompose(point_group("D4h"), "2e")
    {'A1g': 1, 'B1g': 1, 'B2g': 1, 'Eg': 1}
    """
    ir = _as_irrep(irrep)
    table = group.character_table()
    chi = _spherical_character(group, ir)
    out = {}
    for label in table.irreps:
        m = complex((table.character(label).conj() * chi).sum() / group.order)
        if round(m.real) > 0:
            out[label] = round(m.real)
    return out


def correlation(G: PointGroup, H: PointGroup) -> dict[str, dict[str, int]]:
    """How each irrep of ``G`` restricts to its subgroup ``H`` (both in the same orientation).

    Examples
    --------
    >>> from symmetry_tasks.symmetry.point_groups import point_group
    >>> correlation(point_group("D4h"), point_group("D2h"))["B1g"]
    {'Ag': 1}
    """
    G.check_subgroup(H)
    big, small = G.character_table(), H.character_table()
    positions = [G.index(h) for h in H.matrices]
    out = {}
    for label in big.irreps:
        restricted = big.character(label)[positions]
        out[label] = {}
        for sub in small.irreps:
            m = complex((small.character(sub).conj() * restricted).sum() / H.order)
            if round(m.real) > 0:
                out[label][sub] = round(m.real)
    return out


def irrep_projector(group: PointGroup, label: str, ir: str | o3.Irrep) -> torch.Tensor:
    r"""Projector onto the part of e3nn's degree-:math:`l` harmonics ``ir`` that transforms as ``label``.

    .. math::

        P_\Gamma = \frac{d_\Gamma}{|G|} \sum_{g \in G} \chi_\Gamma(g)^*\, D^{\mathrm{ir}}(g),

    with :math:`D^{\mathrm{ir}}(g)` e3nn's (float64) Wigner matrix of ``ir`` for the element :math:`g`
    (including the parity :math:`p` for improper :math:`g`). :math:`P_\Gamma` is real, symmetric and
    idempotent, commutes with every :math:`D(g)`, and the projectors of all of ``group``'s irreps over the
    reals (:attr:`CharacterTable.real_irreps`) sum to the identity. Its trace is the number of components
    of ``ir`` in :math:`\Gamma`, :math:`d_\Gamma` times the multiplicity given by :func:`decompose`.

    A complex-conjugate pair such as :math:`C_4`'s 1E and 2E is one real irrep of dimension 2: project onto
    it with ``label="1E+2E"`` or just ``"E"``, :math:`P = P_{1E} + P_{2E}`. A single complex label is refused,
    since its projector is not real.

    Parameters
    ----------
    group : PointGroup
    label : str
        An irrep of ``group.character_table()``, e.g. ``"B1g"``; a complex pair as ``"1E+2E"`` or ``"E"``.
    ir : str or e3nn.o3.Irrep
        E.g. ``"2e"``: the harmonics of degree :math:`l` and parity :math:`p`.

    Returns
    -------
    torch.Tensor
        float64, shape :math:`(2l+1, 2l+1)`, acting on e3nn's coefficient vectors of degree :math:`l`.

    Raises
    ------
    ValueError
        If ``label`` is not an irrep of ``group``, is a single complex irrep, or ``ir`` is not an e3nn irrep.

    Examples
    --------
    The square's :math:`B_{1g}` part of the :math:`l = 2` harmonics is the line through :math:`x^2 - y^2`,
    the unit vector :math:`(0, 0, -\sqrt{3}/2, 0, -1/2)` in e3nn's basis:

    >>> from symmetry_tasks.symmetry.point_groups import point_group
    >>> p = irrep_projector(point_group("D4h"), "B1g", "2e")
    >>> round(float(p.trace()), 6), p[2:5:2, 2:5:2].round(decimals=4).tolist()
    (1.0, [[0.75, 0.433], [0.433, 0.25]])
    >>> round(float(irrep_projector(point_group("C4"), "E", "1o").trace()), 6)  # (x, y)
    2.0
    """
    ir = _as_irrep(ir)
    table = group.character_table()
    resolved = table.resolve(label)
    chi = table.character(resolved)
    if bool((chi.imag.abs() > 1e-9).any()):
        pair = next(pair for pair in table.real_irreps if resolved in pair.split("+"))
        raise ValueError(
            f"irrep {label!r} of {group.name} is complex and has no real projector; "
            f"project onto the real pair {pair!r}"
        )
    dimension = float(chi[0].real) / (2 if "+" in resolved else 1)  # each of a pair is one-dimensional
    matrices = torch.stack([wigner_D(o3.Irreps([(1, ir)]), g) for g in group.matrices])
    return dimension / group.order * torch.einsum("g,gij->ij", chi.real, matrices)


def _as_irrep(ir: object) -> o3.Irrep:
    try:
        return o3.Irrep(ir)
    except (ValueError, TypeError, AssertionError) as error:
        raise ValueError(f"not an e3nn irrep such as '2e' or '3o': {ir!r} ({error})") from None
