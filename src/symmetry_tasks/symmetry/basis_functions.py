r"""The basis functions of a character table: which linear, axial and quadratic functions each irrep holds.

A function :math:`f` is acted on as :math:`f \mapsto f \circ g`, as in published tables; it is listed for
the irrep :math:`\Gamma` when the projector of :math:`\Gamma` fixes it (see
:func:`~symmetry_tasks.symmetry.character_table`). :func:`turned_functions` carries the functions of the
standard table into a turned copy's frame, written as polynomials in the caller's :math:`x, y, z`.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .roots_of_unity import EXACT


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
    return float(np.abs(matrix @ solution - vectors.T).max()) < EXACT


def basis_functions(matrices: np.ndarray, labels: list[str], chi: np.ndarray) -> dict[str, list[str]]:
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
        if float(np.abs(vectors @ projector.T - vectors).max()) > EXACT:
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
            smallest = sizes[sizes > EXACT].min()
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
    if np.abs(imag).max() < EXACT:
        leading = real[np.abs(real) > EXACT][0]
        return _terms(space, real * np.sign(leading))
    if np.abs(real).max() < EXACT:
        return f"i({_terms(space, imag)})"
    return f"{_terms(space, real)}+i({_terms(space, imag)})"


def _terms(space: str, values: np.ndarray) -> str:
    text = ""
    for value, monomial in zip(values, _MONOMIALS[space], strict=True):
        if abs(value) < EXACT:
            continue
        size = round(abs(float(value)), 4)
        number = "" if size == 1 else f"{size:g}"
        text += ("-" if value < 0 else "+" if text else "") + number + monomial
    return text
