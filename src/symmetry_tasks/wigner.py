r"""e3nn's real basis in numpy: the Wigner matrices :math:`D^l(g)` of O(3), and the harmonics they turn.

e3nn 0.6.0 (``e3nn.o3._wigner``) writes a rotation by its Euler angles about :math:`y, x, y`,
:math:`R = R_y(\alpha) R_x(\beta) R_y(\gamma)`, and represents it on the harmonics of degree :math:`l` by

.. math::

    D^l(R) = e^{\alpha X^l_y}\, e^{\beta X^l_x}\, e^{\gamma X^l_y},

with generators :math:`X^l` (:func:`so3_generators`) made from the :math:`\mathfrak{su}(2)` ladder operators
in the complex basis :math:`|l, m\rangle`, turned real by e3nn's change of basis. An improper element
:math:`g = -R` acts on the irrep of parity :math:`p` as :math:`p\, D^l(R)`, as in
``o3.Irrep(l, p).D_from_matrix``. The spherical harmonics (component normalisation, polar axis :math:`y`)
follow from :math:`Y^l(R\hat y) = D^l(R)\, Y^l(\hat y)` with :math:`Y^l(\hat y) = \sqrt{2l+1}\, e_l`.

Here the same generators are built with numpy in complex128, each exponential is taken in the eigenbasis
of its generator (eigenvalues the integers :math:`-l, \dots, l`), and the angles come from ``arctan2`` alone
(no ``arccos``, which loses half the digits near the poles), so every matrix is accurate to a few
:math:`10^{-15}`, for any orthogonal matrix, without torch or e3nn.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ._degrees import as_lmax

#: Largest :math:`\max |g g^T - 1|` accepted of an orthogonal matrix.
ORTHOGONAL_TOL = 1e-9


def _su2_generators(l: int) -> np.ndarray:
    r"""e3nn's ``su2_generators(l)``: :math:`(J_x, J_z, -J_y)` times :math:`i`, in the basis :math:`|l, m\rangle`."""
    m = np.arange(-l, l)
    raising = np.diag(-np.sqrt(l * (l + 1) - m * (m + 1.0)), k=-1)
    m = np.arange(-l + 1, l + 1)
    lowering = np.diag(np.sqrt(l * (l + 1) - m * (m - 1.0)), k=1)
    m = np.arange(-l, l + 1)
    return np.stack([0.5 * (raising + lowering), np.diag(1j * m), -0.5j * (raising - lowering)])


def _real_to_complex(l: int) -> np.ndarray:
    """e3nn's ``change_basis_real_to_complex(l)``, complex128, shape :math:`(2l+1, 2l+1)`."""
    q = np.zeros((2 * l + 1, 2 * l + 1), dtype=np.complex128)
    for m in range(-l, 0):
        q[l + m, l + abs(m)] = 1 / 2**0.5
        q[l + m, l - abs(m)] = -1j / 2**0.5
    q[l, l] = 1
    for m in range(1, l + 1):
        q[l + m, l + abs(m)] = (-1) ** m / 2**0.5
        q[l + m, l - abs(m)] = 1j * (-1) ** m / 2**0.5
    return (-1j) ** l * q  # e3nn's factor, which makes the Clebsch-Gordan coefficients real


def so3_generators(l: int) -> np.ndarray:
    r"""e3nn's generators :math:`X^l_x, X^l_y, X^l_z` of rotations about :math:`x, y, z`, real antisymmetric.

    Float64, shape :math:`(3, 2l+1, 2l+1)`, read-only; for :math:`l = 1` the generators of
    :math:`R_x, R_y, R_z` acting on :math:`(x, y, z)`.

    Examples
    --------
    >>> so3_generators(1)[2].round().astype(int).tolist()  # d/dt of a turn about z: (x, y) -> (-y, x)
    [[0, -1, 0], [1, 0, 0], [0, 0, 0]]
    """
    return _generators(as_lmax(l))


@functools.cache
def _generators(l: int) -> np.ndarray:
    q = _real_to_complex(l)
    x = q.conj().T @ _su2_generators(l) @ q
    generators = np.ascontiguousarray(x.real)
    generators.flags.writeable = False  # computed once per degree, shared
    return generators


@functools.cache
def _eigenbasis(l: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenvalues (the integers :math:`m`) and eigenvectors of the Hermitian :math:`i X^l_\mathrm{axis}`."""
    values, vectors = np.linalg.eigh(1j * _generators(l)[axis])
    return np.round(values), vectors


def _turns(l: int, axis: int, angles: np.ndarray) -> np.ndarray:
    r""":math:`e^{\theta X^l_\mathrm{axis}}` for each angle :math:`\theta`, shape :math:`(n, 2l+1, 2l+1)`."""
    values, vectors = _eigenbasis(l, axis)
    # e^{theta X} = V e^{-i theta Lambda} V^H, written 1 + V (e^{-i theta Lambda} - 1) V^H: exact at theta = 0
    phases = np.expm1(-1j * angles[:, None] * values)
    return np.eye(2 * l + 1) + ((vectors * phases[:, None, :]) @ vectors.conj().T).real


def euler_angles(rotations: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""e3nn's Euler angles :math:`\alpha, \beta, \gamma` of proper rotations, :math:`R = R_y(\alpha) R_x(\beta) R_y(\gamma)`.

    As ``o3.matrix_to_angles``, with :math:`\beta` from ``arctan2`` rather than ``arccos``.

    Parameters
    ----------
    rotations : array-like, shape :math:`(3, 3)` or :math:`(n, 3, 3)`

    Returns
    -------
    tuple of numpy.ndarray
        :math:`\alpha, \beta, \gamma`, each of shape :math:`(n,)` (:math:`n = 1` for one matrix).

    Raises
    ------
    ValueError
        If a matrix is not a rotation (orthogonal with determinant 1).

    Examples
    --------
    A quarter turn about :math:`y` leaves :math:`y` in place (:math:`\beta = 0`), and is all :math:`\gamma`:

    >>> [float(a[0]) for a in euler_angles([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]])]
    [0.0, 0.0, 1.5707963267948966]
    """
    stack, _ = as_orthogonal_stack(rotations)
    improper = np.flatnonzero(np.linalg.det(stack) < 0)
    if len(improper):
        raise ValueError(f"matrix {stack[improper[0]].tolist()} is improper (determinant -1), not a rotation")
    return _euler_angles(stack)


def _euler_angles(rotations: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`euler_angles` of a checked stack of rotations, shape :math:`(n, 3, 3)`."""
    alpha, beta = _polar_angles(rotations[:, :, 1])  # R y = R_y(alpha) R_x(beta) y
    rest = np.swapaxes(_rotations_yx(alpha, beta), 1, 2) @ rotations  # R_y(gamma), to rounding
    gamma = np.arctan2(rest[:, 0, 2], rest[:, 0, 0])
    return alpha, beta, gamma


def _polar_angles(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The :math:`\alpha, \beta` of directions :math:`u = R_y(\alpha) R_x(\beta)\, \hat y
    = (\sin\alpha \sin\beta, \cos\beta, \cos\alpha \sin\beta)`, shape :math:`(n, 3)`, up to length."""
    return np.arctan2(u[:, 0], u[:, 2]), np.arctan2(np.hypot(u[:, 0], u[:, 2]), u[:, 1])


def _rotations_yx(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    r""":math:`R_y(\alpha) R_x(\beta)`, shape :math:`(n, 3, 3)`."""
    ca, sa, cb, sb = np.cos(alpha), np.sin(alpha), np.cos(beta), np.sin(beta)
    zero = np.zeros_like(alpha)
    return np.stack(
        [
            np.stack([ca, sa * sb, sa * cb], axis=-1),
            np.stack([zero, cb, -sb], axis=-1),
            np.stack([-sa, ca * sb, ca * cb], axis=-1),
        ],
        axis=-2,
    )


def as_orthogonal_stack(matrices: object) -> tuple[np.ndarray, bool]:
    r"""``matrices`` (one :math:`3 \times 3` matrix or a stack of them) as a float64 stack, checked orthogonal.

    Returns the stack, shape :math:`(n, 3, 3)`, and whether a single matrix was given.

    Raises
    ------
    ValueError
        If the shape is not :math:`(3, 3)` or :math:`(n, 3, 3)`, or a matrix is not orthogonal to
        :data:`ORTHOGONAL_TOL`.
    """
    stack = np.asarray(matrices, dtype=np.float64)
    single = stack.shape == (3, 3)
    stack = stack.reshape(1, 3, 3) if single else stack
    if stack.ndim != 3 or stack.shape[1:] != (3, 3):
        raise ValueError(
            f"expected a 3x3 matrix or a stack of shape (n, 3, 3), got shape {np.shape(matrices)}"
        )
    if len(stack):
        errors = np.abs(stack @ np.swapaxes(stack, 1, 2) - np.eye(3)).max(axis=(1, 2))
        worst = int(errors.argmax())
        if not errors[worst] < ORTHOGONAL_TOL:
            raise ValueError(
                f"matrix {stack[worst].tolist()} is not orthogonal: max |g g^T - 1| = {errors[worst]:.3g}"
            )
    return stack, single


def wigner_matrices(l: int, p: int, matrices: object) -> np.ndarray:
    r"""e3nn's :math:`D^{l,p}(g)` for orthogonal matrices :math:`g`, float64 (``o3.Irrep(l, p).D_from_matrix``).

    Parameters
    ----------
    l : int
        The degree, :math:`l \ge 0`.
    p : int
        The parity, 1 (``"e"``) or -1 (``"o"``): an improper :math:`g = -R` gives :math:`p\, D^l(R)`.
    matrices : array-like, shape :math:`(3, 3)` or :math:`(n, 3, 3)`
        Orthogonal, proper or improper.

    Returns
    -------
    numpy.ndarray
        Shape :math:`(2l+1, 2l+1)` for one matrix, :math:`(n, 2l+1, 2l+1)` for a stack.

    Raises
    ------
    ValueError
        If ``l`` is negative, ``p`` is not :math:`\pm 1`, or a matrix is not orthogonal.

    Examples
    --------
    The inversion on a vector (``1o``) and on an axial vector (``1e``); ``l = 1`` is :math:`(x, y, z)`:

    >>> wigner_matrices(1, -1, -np.eye(3)).diagonal().tolist(), float(wigner_matrices(1, 1, -np.eye(3)).trace())
    ([-1.0, -1.0, -1.0], 3.0)
    >>> turn = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # a quarter turn about z
    >>> bool(np.abs(wigner_matrices(1, -1, turn) - turn).max() < 1e-15)
    True
    """
    l = as_lmax(l)
    if p not in (1, -1) or isinstance(p, bool):
        raise ValueError(f"the parity p must be 1 or -1, got {p!r}")
    stack, single = as_orthogonal_stack(matrices)
    signs = np.where(np.linalg.det(stack) < 0, -1.0, 1.0)
    alpha, beta, gamma = _euler_angles(signs[:, None, None] * stack)
    d = _turns(l, 1, alpha) @ _turns(l, 0, beta) @ _turns(l, 1, gamma)
    d = d * np.where(signs < 0, float(p), 1.0)[:, None, None]
    return d[0] if single else d


def representation_matrices(irreps: list[tuple[int, int]], matrices: object) -> np.ndarray:
    r"""The block-diagonal :math:`D(g)` of a sum of irreps :math:`(l, p)`, one block each, for each matrix.

    Shape :math:`(\dim, \dim)` for one matrix, :math:`(n, \dim, \dim)` for a stack; see :func:`wigner_matrices`.

    Examples
    --------
    >>> representation_matrices([(0, 1), (1, -1), (1, -1)], -np.eye(3)).diagonal().tolist()
    [1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0]
    """
    stack, single = as_orthogonal_stack(matrices)
    distinct = {(l, p): wigner_matrices(l, p, stack) for l, p in dict.fromkeys(irreps)}
    blocks = [distinct[l, p] for l, p in irreps]
    dim = sum(block.shape[-1] for block in blocks)
    result = np.zeros((len(stack), dim, dim))
    start = 0
    for block in blocks:
        end = start + block.shape[-1]
        result[:, start:end, start:end] = block
        start = end
    return result[0] if single else result


def spherical_harmonics(l: int, vectors: object) -> np.ndarray:
    r"""e3nn's :math:`r^l\, Y^l(\hat r)` of each vector, component normalisation (``|Y^l(\hat r)|^2 = 2l+1``).

    The same values as ``o3.spherical_harmonics(l, vectors, normalize=False, normalization="component")``:
    homogeneous polynomials of degree :math:`l` in :math:`(x, y, z)`, the polar axis :math:`y`.

    Parameters
    ----------
    l : int
    vectors : array-like, shape :math:`(n, 3)`

    Returns
    -------
    numpy.ndarray
        float64, shape :math:`(n, 2l+1)`.

    Examples
    --------
    >>> spherical_harmonics(1, [[0.0, 2.0, 0.0]]).round(12).tolist()  # l = 1 is sqrt(3) (x, y, z)
    [[0.0, 3.464101615138, 0.0]]
    >>> spherical_harmonics(2, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])[:, 2].round(12).tolist()  # 2y^2 - x^2 - z^2
    [-1.11803398875, -1.11803398875]
    """
    l = as_lmax(l)
    points = np.asarray(vectors, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 3 or not bool(np.isfinite(points).all()):
        raise ValueError(f"vectors must be finite, of shape (n, 3), got shape {np.shape(vectors)}")
    radii = np.linalg.norm(points, axis=1)
    alpha, beta = _polar_angles(points)
    column = _turns(l, 0, beta)[:, :, l]  # D(alpha, beta, 0) Y(y), Y(y) = sqrt(2l + 1) e_l
    values = math.sqrt(2 * l + 1) * np.einsum("nij,nj->ni", _turns(l, 1, alpha), column)
    return values * (radii**l)[:, None]
