r"""Wigner matrices to float64 precision, random rotations, and the equivariance check.

A map :math:`f` from point clouds with features to features is O(3)-equivariant when

.. math::

    f(D_\mathrm{in}(g)\, x,\ g\, r) = D_\mathrm{out}(g)\, f(x, r) \qquad \text{for all } g \in O(3).

:func:`irreps_matrix` builds :math:`D(g)` for any e3nn :class:`~e3nn.o3.Irreps`. e3nn's own
``Irreps.D_from_matrix`` (e3nn 0.6.0) goes through Euler angles and matrix exponentials of the
:math:`\mathfrak{so}(3)` generators, which e3nn builds in torch's *default* dtype: with the default float32
it is accurate to about :math:`10^{-6}` even for a float64 matrix, and to about :math:`10^{-14}` only if the
default dtype is set to float64. Here the same construction is done in numpy float64 whatever the default
dtype (:mod:`symmetry_tasks.wigner`), which keeps float64 accuracy (a few :math:`10^{-15}`) and e3nn's
conventions exactly. Improper :math:`g` act as :math:`p\, D^l(\det(g)\, g)` on an irrep of parity :math:`p`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from e3nn import o3

from .wigner import representation_matrices


def orthogonality_tolerance(dtype: torch.dtype) -> float:
    r"""Largest :math:`\max |g g^T - 1|` accepted of a matrix of ``dtype``: :math:`10^{-9}`, or 64 times the
    dtype's epsilon if that is larger (float32: :math:`7.6 \times 10^{-6}`).

    Examples
    --------
    >>> orthogonality_tolerance(torch.float64), orthogonality_tolerance(torch.float32)
    (1e-09, 7.62939453125e-06)
    """
    return max(1e-9, 64 * torch.finfo(dtype).eps)


def _as_orthogonal(matrix: object) -> torch.Tensor:
    """``matrix`` as float64, checked orthogonal to the tolerance of its own dtype, then made orthogonal to
    float64 rounding (the nearest orthogonal matrix, from its SVD)."""
    dtype = matrix.dtype if isinstance(matrix, torch.Tensor) and matrix.is_floating_point() else torch.float64
    g = torch.as_tensor(matrix, dtype=torch.float64).detach().cpu()
    if g.shape != (3, 3):
        raise ValueError(f"a point-group element must be a 3x3 matrix, got shape {tuple(g.shape)}")
    error = float((g @ g.T - torch.eye(3, dtype=torch.float64)).abs().max())
    if not error < orthogonality_tolerance(dtype):
        raise ValueError(
            f"matrix is not orthogonal: max |g g^T - 1| = {error:.3g} "
            f"(tolerance {orthogonality_tolerance(dtype):.3g} for {dtype}); got {g.tolist()}"
        )
    if dtype == torch.float64:
        return g
    u, _, vh = torch.linalg.svd(g)
    return u @ vh


def irreps_matrix(irreps: str | o3.Irreps, matrix: object) -> torch.Tensor:
    r"""The block-diagonal representation matrix :math:`D(g)` of ``irreps`` for an orthogonal ``matrix``.

    Named for what it takes, an :class:`~e3nn.o3.Irreps` and a matrix, so as not to shadow e3nn's
    :func:`e3nn.o3.wigner_D`, which takes one degree :math:`l` and three Euler angles; it is the
    float64 counterpart of :meth:`e3nn.o3.Irreps.D_from_matrix`: the torch face of
    :func:`~symmetry_tasks.wigner.representation_matrices`.

    Parameters
    ----------
    irreps : str or e3nn.o3.Irreps
    matrix : array-like, shape :math:`(3, 3)`
        Orthogonal, proper or improper, to the tolerance of its dtype
        (:func:`orthogonality_tolerance`); a float32 matrix is made orthogonal in float64 first.

    Returns
    -------
    torch.Tensor
        float64 whatever the dtype of ``matrix``, shape :math:`(\dim, \dim)`.

    Examples
    --------
    >>> g = -torch.eye(3, dtype=torch.float64)  # inversion
    >>> irreps_matrix("1o + 2e + 1e", g).diagonal().round().tolist()
    [-1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    """
    blocks = irreps_blocks(irreps)
    g = _as_orthogonal(matrix)
    return torch.from_numpy(representation_matrices(blocks, g.numpy()))


def irreps_blocks(irreps: str | o3.Irreps) -> list[tuple[int, int]]:
    """The degree and parity :math:`(l, p)` of each copy of each irrep, in order: the diagonal blocks of
    :math:`D(g)`, as :func:`~symmetry_tasks.wigner.representation_matrices` takes them.

    Examples
    --------
    >>> irreps_blocks("2x0e + 1o")
    [(0, 1), (0, 1), (1, -1)]
    """
    return [(ir.l, ir.p) for mul, ir in o3.Irreps(irreps) for _ in range(mul)]


def random_orthogonal(seed: int, improper: bool = False) -> torch.Tensor:
    """A random rotation (times the inversion if ``improper``), reproducible from ``seed``.

    Examples
    --------
    >>> g = random_orthogonal(0, improper=True)
    >>> round(float(torch.linalg.det(g)), 12)
    -1.0
    """
    generator = torch.Generator().manual_seed(seed)
    q, r = torch.linalg.qr(torch.randn(3, 3, dtype=torch.float64, generator=generator))
    q = q * torch.sign(r.diagonal())
    q = q * torch.sign(torch.linalg.det(q))
    return -q if improper else q


def equivariance_tolerance(dtype: torch.dtype, size: int) -> float:
    r"""A relative equivariance error that rounding alone stays below: :math:`64\, \epsilon \sqrt{n}`,
    :math:`\epsilon` the epsilon of ``dtype`` and :math:`n` the ``size`` of the problem (for a network:
    its number of edges).

    Rounding errors of :math:`n` terms add up like a random walk, as :math:`\epsilon \sqrt n`; the factor 64
    leaves room for the depth of the computation.

    Examples
    --------
    >>> f"{equivariance_tolerance(torch.float64, 10_000):.1e}", f"{equivariance_tolerance(torch.float32, 10_000):.1e}"
    ('1.4e-12', '7.6e-04')
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive int, got {size!r}")
    return 64 * torch.finfo(dtype).eps * math.sqrt(size)


def check_equivariance(
    function: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    features: torch.Tensor,
    positions: torch.Tensor,
    irreps_in: str | o3.Irreps,
    irreps_out: str | o3.Irreps,
    *,
    matrices: Sequence[object] | None = None,
    parity: bool = True,
    trials: int = 3,
    tolerance: float | None = 1e-9,
) -> list[float]:
    r"""Relative equivariance errors of ``function``, checked against ``tolerance``.

    Named so as not to shadow e3nn's :func:`e3nn.util.test.assert_equivariant`, which takes a list of
    arguments, also tests translations, and returns the largest componentwise error per case in a
    dictionary: this check takes one map :math:`f(x, r)` and the irreps of its features, and returns one
    relative error per element :math:`g`; with ``tolerance=None`` it only measures.

    For each orthogonal :math:`g` the error is

    .. math::

        \frac{\| f(D_\mathrm{in}(g)\, x,\ g\, r) - D_\mathrm{out}(g)\, f(x, r) \|}{\| f(x, r) \|},

    with ``function(features, positions)`` :math:`= f(x, r)` mapping :math:`(N, \dim_\mathrm{in})` features
    on :math:`(N, 3)` positions to :math:`(N, \dim_\mathrm{out})` outputs.

    Parameters
    ----------
    function, features, positions, irreps_in, irreps_out
        The map, one input, and the representations of its input and output features.
    matrices : sequence of array-like, optional
        The elements :math:`g` to test, each of shape :math:`(3, 3)`. By default ``trials`` seeded random rotations
        (:func:`random_orthogonal`) and, if ``parity``, as many rotations times the inversion.
    tolerance : float or None
        Largest error allowed; ``None`` only measures. :func:`equivariance_tolerance` gives one set by the
        dtype and the size of the problem.

    Returns
    -------
    list of float
        One error per element, in order.

    Raises
    ------
    AssertionError
        Naming the worst error, if it is not below ``tolerance``.
    ValueError
        If a matrix is not orthogonal, or ``function`` returns zero (a relative error is undefined).

    Examples
    --------
    >>> from symmetry_tasks.shapes import square
    >>> def vectors_to_centroid(x, r):
    ...     return (r.mean(0) - r) * x[:, :1]
    >>> x = torch.ones(4, 1, dtype=torch.float64)
    >>> max(check_equivariance(vectors_to_centroid, x, square(), "0e", "1o", tolerance=1e-12)) < 1e-12
    True

    Vectors to the centroid are polar (``1o``), not axial (``1e``): as axial vectors they fail a mirror.

    >>> mirror = torch.diag(torch.tensor([1.0, 1.0, -1.0], dtype=torch.float64))
    >>> errors = check_equivariance(vectors_to_centroid, x, square(), "0e", "1e", matrices=[mirror], tolerance=None)
    >>> [round(error, 12) for error in errors]
    [2.0]
    """
    if matrices is None:
        kinds = (False, True) if parity else (False,)
        matrices = [random_orthogonal(seed, improper) for seed in range(trials) for improper in kinds]
    with torch.no_grad():
        output = function(features, positions)
        scale = float(output.norm())
        if scale == 0.0:
            raise ValueError("the function returned zero output; a relative error is undefined")
        errors = []
        for matrix in matrices:
            g = _as_orthogonal(matrix)  # float64, D built in float64 and then converted
            d_in = irreps_matrix(irreps_in, g).to(features.dtype)
            rotated_first = function(features @ d_in.T, positions @ g.to(positions.dtype).T)
            rotated_after = output @ irreps_matrix(irreps_out, g).to(output.dtype).T
            errors.append(float((rotated_first - rotated_after).norm()) / scale)
    if tolerance is not None and not max(errors) < tolerance:
        raise AssertionError(f"not equivariant: relative error {max(errors):.3g} > tolerance {tolerance:.1g}")
    return errors
