r"""Perovskites :math:`ABX_3` with their octahedra tilted in Glazer's notation.

The ideal perovskite is cubic (:math:`Pm\bar 3m`, 221): :math:`B` at the corners of the cube of edge
:math:`a`, :math:`A` at its centre and :math:`X` at the middle of its edges, so that every :math:`B` sits in
an octahedron of six :math:`X`, shared by corners with its neighbours. Glazer (1972) describes the tilts of
the octahedra by a symbol such as ``a+b-b-``: one letter and one sign per axis :math:`x, y, z`. The sign
says how the tilts about that axis follow each other *along* it: ``+`` all in the same sense (in phase),
``-`` alternating (anti-phase), ``0`` no tilt. Perpendicular to the axis they always alternate, as the
corners they share require. Repeated letters mean equal tilt angles, distinct letters unequal ones.

The construction, for small tilts with rigid octahedra: the octahedron on the :math:`B` site of cell
:math:`n = (n_x, n_y, n_z)` turns by the rotation :math:`R_n = \exp([\omega_n]_\times)` of rotation vector

.. math::

    \omega_n = \big(s_x(n)\, \alpha_x,\ s_y(n)\, \alpha_y,\ s_z(n)\, \alpha_z\big), \qquad
    s_x(n) = \begin{cases} (-1)^{n_y + n_z} & + \\ (-1)^{n_x + n_y + n_z} & - \end{cases}

(likewise for :math:`y` and :math:`z`). To first order in the angles this is the product of the three
rotations about :math:`x`, :math:`y` and :math:`z`; unlike that product it does not depend on an order of
the axes, so the structure keeps every symmetry the tilt pattern has (:math:`a^-a^-a^-` turns every
octahedron about a body diagonal). Each :math:`X` is shared by two octahedra, which would put it at the
ends of two slightly different rotated bonds; it goes to their midpoint. The :math:`B` and :math:`A` sites
and the cell stay as in the cubic structure.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence

import numpy as np
import torch
from ase import Atoms
from scipy.spatial.transform import Rotation

from .structures import check_atoms

#: Glazer's 23 tilt systems (Glazer 1972, numbered 1 to 23 in this order).
GLAZER_SYSTEMS = (
    "a+b+c+",
    "a+b+b+",
    "a+a+a+",
    "a+b+c-",
    "a+a+c-",
    "a+b+b-",
    "a+a+a-",
    "a+b-c-",
    "a+a-c-",
    "a+b-b-",
    "a+a-a-",
    "a-b-c-",
    "a-b-b-",
    "a-a-a-",
    "a0b+c+",
    "a0b+b+",
    "a0b+c-",
    "a0b+b-",
    "a0b-c-",
    "a0b-b-",
    "a0a0c+",
    "a0a0c-",
    "a0a0a0",
)
#: Edge of the cubic cell in Å, a round pseudo-cubic value, near SrTiO3's 3.905 Å and CaTiO3's 3.83 Å.
LATTICE_CONSTANT = 4.0
#: The species (A, B, X) by default; calcium titanate, the mineral perovskite, which is a+b-b- (Pnma).
SPECIES = ("Ca", "Ti", "O")
#: Tilt angle in degrees of each letter when no angles are given; distinct letters, distinct angles.
DEFAULT_ANGLES = {"a": 8.0, "b": 6.0, "c": 4.0}
#: The largest tilt angle accepted, in degrees; beyond it the small-angle construction is not sound.
MAX_ANGLE = 30.0
_AXES = "xyz"


def parse_tilts(tilts: object) -> tuple[tuple[str, str], ...]:
    """The (letter, sign) of each axis x, y, z of one of Glazer's 23 symbols.

    Raises
    ------
    TypeError
        If ``tilts`` is not a ``str``.
    ValueError
        If it is not one of ``GLAZER_SYSTEMS``.

    Examples
    --------
    >>> parse_tilts("a+b-b-")
    (('a', '+'), ('b', '-'), ('b', '-'))
    """
    if not isinstance(tilts, str):
        raise TypeError(f"tilts must be a Glazer symbol such as 'a+b-b-', got {type(tilts).__name__}")
    if tilts not in GLAZER_SYSTEMS:
        raise ValueError(
            f"{tilts!r} is not one of Glazer's 23 tilt systems: {', '.join(GLAZER_SYSTEMS)} "
            "(a letter and a sign +, - or 0 for each of x, y and z)"
        )
    return tuple((letter, sign) for letter, sign in re.findall(r"([abc])([+\-0])", tilts))


def general_system(tilts: str) -> str:
    """The Glazer system with the same signs and a distinct letter for every tilted axis.

    Every system is a special case of its general one (equal angles where the general one has
    distinct letters), so its symmetry operations include those of the general one.

    Examples
    --------
    >>> general_system("a+a-a-"), general_system("a0b+b+"), general_system("a0a0c-")
    ('a+b-c-', 'a0b+c+', 'a0a0c-')
    """
    signs = [sign for _, sign in parse_tilts(tilts)]
    return "".join(("a" if sign == "0" else "abc"[axis]) + sign for axis, sign in enumerate(signs))


def tilt_angles(tilts: str, angles: Sequence[float] | None = None) -> tuple[float, float, float]:
    """The tilt angles (degrees) about x, y, z, checked against the symbol.

    Without ``angles``, each tilted axis gets the ``DEFAULT_ANGLES`` of its letter.

    Raises
    ------
    ValueError
        If an angle is not finite, negative, or above ``MAX_ANGLE``; an axis the symbol leaves
        untilted (``0``) gets a non-zero angle, or a tilted one gets zero; repeated letters get different
        angles, or distinct letters equal ones.

    Examples
    --------
    >>> tilt_angles("a0b-b-")
    (0.0, 6.0, 6.0)
    >>> tilt_angles("a+b-b-", (10, 5, 5))
    (10.0, 5.0, 5.0)
    """
    axes = parse_tilts(tilts)
    if angles is None:
        return tuple(0.0 if sign == "0" else DEFAULT_ANGLES[letter] for letter, sign in axes)
    if isinstance(angles, str) or not isinstance(angles, Sequence) or len(angles) != 3:
        raise ValueError(f"angles must be three numbers (degrees about x, y, z), got {angles!r}")
    values = []
    for axis, value in zip(_AXES, angles, strict=True):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"the angle about {axis} must be a finite number of degrees, got {value!r}")
        if not 0 <= value <= MAX_ANGLE:
            raise ValueError(
                f"the angle about {axis} must be in [0, {MAX_ANGLE:g}] degrees (the sign of a tilt is set by "
                f"the pattern, and the construction holds for small tilts), got {value!r}"
            )
        values.append(float(value))
    for axis, (_, sign), value in zip(_AXES, axes, values, strict=True):
        if (sign == "0") != (value == 0):
            state = "untilted (0)" if sign == "0" else f"tilted ({sign})"
            raise ValueError(f"{tilts} has {axis} {state}, but its angle is {value!r}")
    for first in range(3):
        for second in range(first + 1, 3):
            (l1, s1), (l2, s2) = axes[first], axes[second]
            if "0" in (s1, s2):
                continue
            same_letter, same_angle = l1 == l2, values[first] == values[second]
            if same_letter and not same_angle:
                raise ValueError(
                    f"{tilts} repeats the letter {l1} for {_AXES[first]} and {_AXES[second]}, so their angles "
                    f"must be equal, got {values[first]!r} and {values[second]!r}"
                )
            if same_angle and not same_letter:
                raise ValueError(
                    f"{tilts} has distinct letters {l1} and {l2} for {_AXES[first]} and {_AXES[second]}, so "
                    f"their angles must differ (equal ones make another tilt system), got {values[first]!r} twice"
                )
    return tuple(values)


def tilt_signs(tilts: str, cells: np.ndarray) -> np.ndarray:
    r"""The sign :math:`s_i(n)` of the tilt about each axis for the octahedra of integer ``cells`` (M, 3).

    :math:`(-1)^{n_j + n_k}` in phase (``+``) and :math:`(-1)^{n_x + n_y + n_z}` anti-phase (``-``), with
    :math:`j, k` the other two axes; zero for an untilted axis. Shape :math:`(M, 3)`.

    Examples
    --------
    >>> tilt_signs("a+b-b-", np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]])).tolist()
    [[1, 1, 1], [1, -1, -1], [-1, -1, -1]]
    """
    cells = np.asarray(cells, dtype=np.int64)
    total = cells.sum(axis=1)
    signs = np.zeros(cells.shape, dtype=np.int64)
    for axis, (_, sign) in enumerate(parse_tilts(tilts)):
        if sign == "+":
            signs[:, axis] = (-1) ** (total - cells[:, axis])
        elif sign == "-":
            signs[:, axis] = (-1) ** total
    return signs


def _as_supercell(supercell: object, tilts: str) -> int:
    if isinstance(supercell, bool) or not isinstance(supercell, numbers.Integral) or supercell < 1:
        raise ValueError(f"supercell must be a positive int, got {supercell!r}")
    if tilts != "a0a0a0" and supercell % 2:
        raise ValueError(
            f"tilts alternate from one octahedron to the next, so {tilts} needs an even supercell, got {supercell}"
        )
    return int(supercell)


def _as_length(value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"lattice_constant must be a positive number of Å, got {value!r}")
    return float(value)


def cubic_cells(atoms: Atoms, lattice_constant: float = LATTICE_CONSTANT) -> np.ndarray:
    """The integer cell :math:`n` of every atom of an (ideal or tilted) perovskite, shape (N, 3).

    Read off the positions: :math:`B` at :math:`a n`, :math:`X` at :math:`a (n + e_i / 2)`, :math:`A` at
    :math:`a (n + (1, 1, 1) / 2)`, all within a quarter of :math:`a`.
    """
    return np.floor(atoms.get_positions() / lattice_constant + 0.25).astype(np.int64)


def perovskite(
    tilts: str = "a0a0a0",
    angles: Sequence[float] | None = None,
    supercell: int = 2,
    *,
    lattice_constant: float = LATTICE_CONSTANT,
    species: tuple[str, str, str] = SPECIES,
) -> Atoms:
    r"""A perovskite :math:`ABX_3` supercell with its octahedra tilted in Glazer's notation.

    Parameters
    ----------
    tilts : str
        One of ``GLAZER_SYSTEMS``, e.g. ``"a+b-b-"`` (x in phase; y and z anti-phase, equal).
    angles : sequence of three floats, optional
        Tilt angles in degrees about x, y and z, in :math:`[0, 30]`: zero exactly where the symbol says
        ``0``, equal where it repeats a letter, different where its letters differ. By default each letter
        has its ``DEFAULT_ANGLES`` entry.
    supercell : int
        The cubic cell repeated this many times along each axis; even unless ``tilts`` is ``a0a0a0``.
    lattice_constant : float
        Edge :math:`a` of the cubic cell in Å (``LATTICE_CONSTANT``); B–X bonds are :math:`a / 2`.
    species : tuple of three str
        Chemical symbols of A, B and X.

    Returns
    -------
    ase.Atoms
        :math:`5\,m^3` atoms for ``supercell`` :math:`m`, five per cubic cell in the order A, B, X (along
        x, y, z); the cell is :math:`m a` along each axis, periodic.

    Raises
    ------
    TypeError
        If ``tilts`` is not a ``str``.
    ValueError
        For a symbol that is not one of Glazer's, angles that break the rules above, a bad supercell or
        lattice constant, or atoms that overlap (see :func:`~symmetry_tasks.crystals.check_atoms`).

    Examples
    --------
    >>> from symmetry_tasks.crystals import space_group
    >>> atoms = perovskite("a+b-b-", (10, 6, 6))
    >>> len(atoms), atoms.get_chemical_formula(), space_group(atoms)
    (40, 'Ca8O24Ti8', SpaceGroup(number=62, symbol='Pnma'))
    """
    degrees = np.radians(tilt_angles(tilts, angles))
    size = _as_supercell(supercell, tilts)
    a = _as_length(lattice_constant)
    if not (isinstance(species, tuple) and len(species) == 3 and all(isinstance(s, str) for s in species)):
        raise ValueError(f"species must be three chemical symbols (A, B, X), got {species!r}")
    unit = Atoms(
        [species[0], species[1], species[2], species[2], species[2]],
        scaled_positions=[(0.5, 0.5, 0.5), (0, 0, 0), (0.5, 0, 0), (0, 0.5, 0), (0, 0, 0.5)],
        cell=np.eye(3) * a,
        pbc=True,
    )
    atoms = unit.repeat(size)
    cells = cubic_cells(atoms, a)
    grid = np.stack(np.meshgrid(*[np.arange(size)] * 3, indexing="ij"), axis=-1).reshape(-1, 3)
    rotations = Rotation.from_rotvec(tilt_signs(tilts, grid) * degrees).as_matrix()  # (size^3, 3, 3)

    def octahedron(n: np.ndarray) -> np.ndarray:
        wrapped = np.mod(n, size)
        return rotations[(wrapped[:, 0] * size + wrapped[:, 1]) * size + wrapped[:, 2]]

    positions = atoms.get_positions()
    ideal = positions / a - cells  # (1/2, 0, 0) for the X along x, and so on
    for axis in range(3):
        bond = np.zeros(3)
        bond[axis] = 1.0
        rows = np.flatnonzero(np.isclose(ideal, 0.5 * bond).all(axis=1))
        here, there = octahedron(cells[rows]), octahedron(cells[rows] + bond.astype(np.int64))
        positions[rows] += 0.25 * a * np.einsum("mij,j->mi", here - there, bond)
    atoms.set_positions(positions)
    return check_atoms(atoms)


#: The parts of a field on a :math:`2 \times 2 \times 2` pattern of sites, by the number of axes along
#: which their sign alternates: the same everywhere, alternating along one axis, along two (an in-phase
#: tilt about the third axis, which alternates across it), along all three (anti-phase).
PHASES = ("uniform", "one axis", "in-phase", "anti-phase")


def phase_parts(values: torch.Tensor, cells: np.ndarray) -> dict[str, torch.Tensor]:
    r"""Split a field on sites of integer cells by how it alternates from cell to cell.

    With :math:`q \in \{0, 1\}^3`, the part of wavevector :math:`\pi q` is
    :math:`(-1)^{q \cdot n}\, c_q` with :math:`c_q` the mean of :math:`(-1)^{q \cdot n} v_n` over the sites;
    the parts are summed over the :math:`q` with the same number of ones and named by ``PHASES``. For
    the sites of a :math:`2 \times 2 \times 2` supercell, one per cell, the four parts add up to the field.

    Parameters
    ----------
    values : torch.Tensor
        Shape :math:`(M, d)`, one row per site.
    cells : numpy.ndarray
        Shape :math:`(M, 3)`, the integer cell of each site (see :func:`cubic_cells`).

    Examples
    --------
    >>> cells = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)])
    >>> field = torch.tensor((-1.0) ** cells.sum(axis=1))[:, None] + 2.0
    >>> {name: float(part.abs().max()) for name, part in phase_parts(field, cells).items()}
    {'uniform': 2.0, 'one axis': 0.0, 'in-phase': 0.0, 'anti-phase': 1.0}
    """
    cells = np.asarray(cells, dtype=np.int64)
    if values.dim() != 2 or cells.shape != (len(values), 3):
        raise ValueError(
            f"values (M, d) and cells (M, 3) must match, got {tuple(values.shape)} and {cells.shape}"
        )
    parts = {name: torch.zeros_like(values) for name in PHASES}
    for q in np.ndindex(2, 2, 2):
        signs = torch.tensor((-1.0) ** (cells @ np.array(q)), dtype=values.dtype)[:, None]
        parts[PHASES[sum(q)]] += signs * (signs * values).mean(dim=0)
    return parts
