r"""What a point convolution needs of the positions: the edges, their harmonics and their radial basis.

For positions :math:`r_a` in a cell whose rows are the lattice vectors (:math:`L`, shape (3, 3), as in ASE),
periodic along the directions ``pbc`` says, the edges are the ordered pairs :math:`(b + S \to a)` of a
source point :math:`b`, shifted by the integer lattice vector :math:`S` along periodic directions, and a
destination point :math:`a`, with

.. math::

    0 < |r_{ab}| < r_\max, \qquad r_{ab} = r_b + S L - r_a,

as in e3nn's ``gate_points_2101`` (source :math:`b`, destination :math:`a`). A point's own periodic images
are edges; the point itself never is. The pairs come from vesin's neighbour list
(:class:`vesin.NeighborList`), in time linear in the number of points, or from the caller (``edges``,
as e3nn's ``edge_index``); the edge vectors are then
computed in torch from the positions and the cell, so that gradients reach both. Each edge carries

.. math::

    \mathrm{attr}_{ab} = s(|r_{ab}| / r_\max)\, Y(\hat r_{ab}), \qquad
    \mathrm{basis}_{ab} = \mathrm{soft\_one\_hot}(|r_{ab}|;\ 0, r_\max, n_B),

with :math:`s` e3nn's smooth cutoff (``gate_points_2101.smooth_cutoff``: 1 up to :math:`r_\max / 2`, 0 from
:math:`r_\max`), :math:`Y` the spherical harmonics up to ``lmax`` (``component`` normalisation) and e3nn's
Gaussian radial basis of :math:`n_B` functions (:func:`e3nn.math.soft_one_hot_linspace`, ``cutoff=False``).
``gate_points_2101`` multiplies the basis by :math:`\sqrt{n_B}` and its radial MLP divides by it again;
here neither happens. Both are evaluated here in a few operations on all edges at once, equal to e3nn's
functions to rounding (the tests compare values and gradients):

.. math::

    s(|r|/r_\max) = \tfrac12 \bigl(1 - \cos \theta\bigr), \quad
    \theta = \tfrac{2\pi}{r_\max} \min\bigl(\max(|r|, \tfrac{r_\max}{2}), r_\max\bigr), \qquad
    \mathrm{soft\_one\_hot}_k(|r|) = \frac{1}{1.12} \exp\Bigl(-\frac{(|r| - \mu_k)^2}{\delta^2}\Bigr),

with :math:`\mu_k = k \delta`, :math:`\delta = r_\max / (n_B - 1)`: the clamp makes :math:`\cos \theta`
exactly :math:`-1` up to :math:`r_\max / 2` and :math:`1` from :math:`r_\max` (e3nn sets these values with
masks), and the factor :math:`1/2` and :math:`\cos\theta` enter the harmonics' matrix product
(:meth:`~symmetry_tasks.nn.SphericalHarmonics.columns`). The lengths :math:`|r|` are computed once for the
three. Every tensor follows the dtype and device of the positions, and a :class:`Geometry` holds
:math:`O(E)` numbers: no dense point-by-point or point-by-edge matrix. Its edge tensors are views of tensors
held by column (one row per coordinate or function, one column per edge), the layout the convolutions read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import vesin
from e3nn.math import soft_one_hot_linspace
from e3nn.nn.models.gate_points_2101 import smooth_cutoff

from .._checks import COINCIDENT, as_cell, as_lmax, as_pbc, as_points
from .harmonics import SphericalHarmonics

#: Most periodic images of one point within ``max_radius`` that a cell may give (beyond, "too small").
MAX_IMAGES = 10_000


@dataclass(frozen=True)
class Geometry:
    """The edges of a point cloud or a periodic structure, and what the network reads of them. Build it with
    :meth:`EquivariantNetwork.geometry <symmetry_tasks.nn.EquivariantNetwork.geometry>`.
    """

    n_points: int  #: number of points N
    src: torch.Tensor  #: (E,) source point b of each edge
    dst: torch.Tensor  #: (E,) destination point a of each edge, where its message is summed
    shifts: torch.Tensor  #: (E, 3) integer lattice shift S of the source's image (zero without a cell)
    vectors: torch.Tensor  #: (E, 3) edge vectors r_b + S L - r_a
    attr: torch.Tensor  #: (E, (lmax + 1)^2) cutoff times spherical harmonics of the edge vector
    basis: torch.Tensor  #: (E, number_of_basis) radial basis of the edge length
    settings: tuple[int, float, int]  #: (lmax, max_radius, number_of_basis) it was built with

    @property
    def n_edges(self) -> int:
        """Number of edges E."""
        return int(self.src.shape[0])


def _periodic_images(cell: torch.Tensor, pbc: tuple[bool, bool, bool], max_radius: float) -> None:
    """Raise a ``ValueError`` if the periodic lattice vectors are singular, or so short that a point would
    have more than :data:`MAX_IMAGES` images within ``max_radius``."""
    if not any(pbc):
        return
    rows = cell.detach().double().cpu()[list(pbc)]
    singular = torch.linalg.svdvals(rows)
    if not float(singular.min()) > 1e-9 * max(1.0, float(singular.max())):
        raise ValueError(
            f"the cell is singular along its periodic directions {pbc}: singular values "
            f"{[round(float(s), 12) for s in singular]}, cell {cell.tolist()}"
        )
    # height of the cell across each periodic lattice vector: 1 / sqrt((G^-1)_kk), G the Gram matrix
    heights = torch.linalg.inv(rows @ rows.T).diagonal().rsqrt()
    images = math.prod(2 * math.ceil(max_radius / float(h)) + 1 for h in heights)
    if images > MAX_IMAGES:
        raise ValueError(
            f"the cell is too small for max_radius {max_radius}: its heights {[round(float(h), 6) for h in heights]} "
            f"would give about {images} periodic images of each point (at most {MAX_IMAGES}); cell {cell.tolist()}"
        )


def neighbor_pairs(
    positions: torch.Tensor,
    cell: torch.Tensor,
    pbc: tuple[bool, bool, bool],
    max_radius: float,
    *,
    shift_dtype: torch.dtype = torch.int64,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Every pair closer than ``max_radius``, from vesin: ``(src, dst, shifts)``, with (E,) and (E, 3) shapes.

    The ``shifts`` are integers held as ``shift_dtype``.

    Raises
    ------
    ValueError
        If two points, or a point and an image of another, are closer than ``1e-9``; or the cell is
        singular or too small (see :data:`MAX_IMAGES`).
    """
    _periodic_images(cell, pbc, max_radius)
    calculator = vesin.NeighborList(cutoff=max_radius, full_list=True, sorted=True)
    points = positions.detach().double().cpu().numpy()
    periodic = any(pbc)
    box = cell.detach().double().cpu().numpy() if periodic else np.zeros((3, 3))  # vesin reads no cell then
    # views into the calculator's memory, copied before it is freed; no shifts asked without periodicity
    pairs, *shifts, distances = calculator.compute(
        points, box, list(pbc), "PSd" if periodic else "Pd", copy=False
    )
    # vesin never pairs a point with itself at zero shift; such a pair would be at distance 0, caught here
    if len(distances) and distances.min() < COINCIDENT:
        first = int(np.flatnonzero(distances < COINCIDENT)[0])
        (a, b), shift = pairs[first].tolist(), (shifts[0][first].tolist() if periodic else [0, 0, 0])
        image = f"row {b}" if shift == [0, 0, 0] else f"row {b} shifted by the lattice vectors {shift}"
        raise ValueError(
            f"positions has coincident points: row {a} and {image} are both at {points[a].tolist()}"
        )
    device = positions.device
    dst, src = torch.from_numpy(pairs.T.astype(np.int64)).to(device).unbind()
    if not periodic:
        return src, dst, torch.zeros(len(distances), 3, dtype=shift_dtype, device=device)
    # held by column, as the edge vectors' product reads them
    return src, dst, torch.from_numpy(shifts[0].T.astype(np.int64)).to(device, shift_dtype).T


def given_pairs(
    edges: object,
    n_points: int,
    pbc: tuple[bool, bool, bool],
    *,
    device: torch.device,
    shift_dtype: torch.dtype = torch.int64,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Edges given by the caller, ``(src, dst)`` or ``(src, dst, shifts)`` (a (2, E) ``edge_index`` as e3nn's
    ``gate_points_2101`` takes it is the first form), checked and returned as ``neighbor_pairs`` returns
    its own: ``(src, dst, shifts)``, shapes (E,), (E,) and (E, 3), the shifts held as ``shift_dtype``.

    Raises
    ------
    TypeError
        If ``edges`` is not two or three integer arrays.
    ValueError
        If their shapes disagree, an index is not a point, shifts are missing along a periodic direction
        or nonzero along another.
    """
    try:
        parts = [torch.as_tensor(part, device=device) for part in edges]  # type: ignore[union-attr]
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(
            f"edges must be (src, dst) or (src, dst, shifts) of integer arrays, got {type(edges).__name__}"
        ) from error
    integer = [  # (an empty list is a float tensor: no edges)
        part.numel() == 0 or not (part.is_floating_point() or part.is_complex() or part.dtype == torch.bool)
        for part in parts
    ]
    if len(parts) not in (2, 3) or not all(integer):
        kinds = [str(part.dtype) for part in parts]
        raise TypeError(f"edges must be (src, dst) or (src, dst, shifts) of integer arrays, got {kinds}")
    src, dst, *rest = (part.long() for part in parts)
    if src.dim() != 1 or dst.shape != src.shape or (rest and rest[0].shape != (len(src), 3)):
        shapes = [tuple(part.shape) for part in parts]
        raise ValueError(f"edges must have shapes (E,), (E,) and (E, 3) for the shifts, got {shapes}")
    if len(src):
        low, high = torch.stack(torch.aminmax(torch.cat([src, dst]))).tolist()
        if low < 0 or high >= n_points:
            raise ValueError(f"edges name point {low if low < 0 else high}, but there are {n_points} points")
    if not rest:
        if any(pbc):
            raise ValueError(
                f"with periodic directions pbc={pbc}, the edges need their shifts (src, dst, shifts)"
            )
        return src, dst, torch.zeros(len(src), 3, dtype=shift_dtype, device=device)
    shifts = rest[0]
    fixed = [axis for axis in range(3) if not pbc[axis]]
    if fixed and bool(shifts[:, fixed].any()):
        raise ValueError(f"edges shift a point along a direction that is not periodic (pbc={pbc})")
    return src, dst, shifts.to(shift_dtype)


def cutoff_cosines(lengths: torch.Tensor, max_radius: float) -> torch.Tensor:
    r""":math:`\cos\theta` of each of ``lengths`` (E,), with :math:`\theta` clamped as the module's docstring
    says: e3nn's ``smooth_cutoff(lengths / max_radius)`` is :math:`(1 - \cos\theta) / 2`, with its values
    and gradients to rounding (exactly 1 up to ``max_radius / 2`` and 0 from ``max_radius``)."""
    return torch.cos(lengths.clamp(0.5 * max_radius, max_radius) * (2 * math.pi / max_radius))


class EdgeEmbedding(torch.nn.Module):
    r"""``embed(positions, cell, pbc) -> Geometry`` for fixed ``lmax``, ``max_radius`` and ``number_of_basis``.

    Parameters
    ----------
    lmax : int
        Highest degree of the edge harmonics.
    max_radius : float
        Points at this distance or farther are not connected.
    number_of_basis : int
        Number of radial basis functions :math:`n_B`.
    harmonics : torch.nn.Module, optional
        Maps edge vectors (E, 3) to their harmonics :math:`(E, (l_\max + 1)^2)`. By default
        :class:`SphericalHarmonics`, the fast evaluation of e3nn's; e3nn's smooth cutoff is then
        :math:`s = (1 - \cos\theta) / 2`, with :math:`\theta = 2\pi u` and :math:`u` the ratio
        :math:`|r| / r_\max` clamped to :math:`[1/2, 1]` (so exactly 1 up to :math:`r_\max / 2` and 0 from
        :math:`r_\max`, with no mask), multiplied in the harmonics' matrix
        product (:meth:`SphericalHarmonics.columns`), and e3nn's Gaussian basis is :meth:`radial_basis`,
        both equal to e3nn's functions to rounding. Any other module (the e3nn twin gives
        :class:`e3nn.o3.SphericalHarmonics`) is used as ``gate_points_2101`` uses it: its output times e3nn's
        ``smooth_cutoff``, and e3nn's ``soft_one_hot_linspace``, both called as they are.
    """

    def __init__(
        self,
        lmax: int,
        max_radius: float,
        number_of_basis: int,
        harmonics: torch.nn.Module | None = None,
    ) -> None:
        super().__init__()
        if not (isinstance(max_radius, (int, float)) and math.isfinite(max_radius) and max_radius > 0):
            raise ValueError(f"max_radius must be a finite positive number, got {max_radius!r}")
        if isinstance(number_of_basis, bool) or not isinstance(number_of_basis, int) or number_of_basis < 2:
            raise ValueError(f"number_of_basis must be an int >= 2, got {number_of_basis!r}")
        self.lmax = as_lmax(lmax)
        self.harmonics = SphericalHarmonics(self.lmax) if harmonics is None else harmonics
        self.max_radius = float(max_radius)
        self.number_of_basis = number_of_basis
        spacing = self.max_radius / (number_of_basis - 1)
        #: (n_B, 1) centres of the Gaussians, as e3nn's ``torch.linspace(0, max_radius, n_B)``
        centres = torch.linspace(0.0, self.max_radius, number_of_basis, dtype=torch.float64)
        self.register_buffer("centres", centres[:, None], persistent=False)
        self._exponent_factor = -1.0 / spacing**2  # -1 / delta^2
        #: :math:`-\ln 1.12`, added to the Gaussians' exponent for their factor 1 / 1.12
        self.register_buffer(
            "log_scale", torch.tensor(-math.log(1.12), dtype=torch.float64), persistent=False
        )

    @property
    def settings(self) -> tuple[int, float, int]:
        """``(lmax, max_radius, number_of_basis)``."""
        return self.lmax, self.max_radius, self.number_of_basis

    def radial_basis(self, lengths: torch.Tensor) -> torch.Tensor:
        r"""e3nn's ``soft_one_hot_linspace(lengths, 0, max_radius, n_B, basis="gaussian", cutoff=False)`` by
        column: shape :math:`(n_B, E)` for ``lengths`` (E,).

        It is :math:`\exp(-(|r| - \mu_k)^2 / \delta^2 - \ln 1.12)`, :math:`\mu_k = k \delta`,
        :math:`\delta = r_\max / (n_B - 1)`: one subtraction, one fused multiply-add and one exponential.
        """
        offsets = lengths - self.centres
        return torch.addcmul(self.log_scale, offsets, offsets, value=self._exponent_factor).exp()

    def forward(
        self,
        positions: object,
        cell: object = None,
        pbc: object = False,
        *,
        dtype: torch.dtype | None = None,
        edges: object = None,
    ) -> Geometry:
        r"""The geometry of ``positions`` (N, 3) in ``cell`` (3, 3; rows are lattice vectors), periodic along
        ``pbc``; or of an ASE ``Atoms`` given as ``positions`` (its positions, cell and pbc).

        Tensors are converted to ``dtype`` (by default: the positions' own, if floating point, else
        float64) and keep their gradients; the edge vectors are :math:`r_b + S L - r_a` computed in torch.
        The edges are those of vesin's neighbour list, or ``edges`` if given (``(src, dst)``, or ``(src,
        dst, shifts)`` in a periodic cell, checked by ``symmetry_tasks.nn.geometry.given_pairs``); an edge
        at ``max_radius`` or farther then carries nothing, its cutoff being zero, as in e3nn.

        Raises
        ------
        TypeError, ValueError
            Bad positions, cell, pbc or edges (named), coincident points, a singular or too small cell.
        """
        positions, cell, pbc = _unpack_atoms(positions, cell, pbc)
        if dtype is None:
            is_float = isinstance(positions, torch.Tensor) and positions.is_floating_point()
            dtype = positions.dtype if is_float else torch.float64
        points = as_points(positions, dtype=dtype, distinct=False)
        pbc = as_pbc(pbc)
        lattice = as_cell(cell, pbc, dtype=dtype).to(points.device)
        if edges is None:
            src, dst, shifts = neighbor_pairs(points, lattice, pbc, self.max_radius, shift_dtype=dtype)
        else:
            src, dst, shifts = given_pairs(edges, len(points), pbc, device=points.device, shift_dtype=dtype)
        # by column: (3, E) vectors r_b + S L - r_a
        points_t = points.T
        vectors_t = points_t.index_select(1, src) - points_t.index_select(1, dst)
        if any(pbc):
            vectors_t = torch.addmm(vectors_t, lattice.T, shifts.T)
        lengths = torch.linalg.vector_norm(vectors_t, dim=0)
        if edges is not None and len(lengths) and float(lengths.min()) < COINCIDENT:  # (vesin's are checked)
            k = int(torch.argmin(lengths))
            raise ValueError(
                f"edge {k} joins coincident points: row {int(src[k])}, shifted by the lattice vectors "
                f"{shifts[k].long().tolist()}, and row {int(dst[k])}"
            )
        if isinstance(self.harmonics, SphericalHarmonics):
            attr_t = self.harmonics.columns(vectors_t, lengths, cutoff_cosines(lengths, self.max_radius))
            basis_t = self.radial_basis(lengths)
            attr, basis = attr_t.T, basis_t.T
        else:  # e3nn's functions, as gate_points_2101 calls them (the twin)
            attr = smooth_cutoff(lengths / self.max_radius)[:, None] * self.harmonics(vectors_t.T)
            basis = soft_one_hot_linspace(
                lengths, 0.0, self.max_radius, self.number_of_basis, basis="gaussian", cutoff=False
            )
        return Geometry(len(points), src, dst, shifts, vectors_t.T, attr, basis, self.settings)


def _unpack_atoms(positions: object, cell: object, pbc: object) -> tuple[object, object, object]:
    """``(positions, cell, pbc)`` of an ASE ``Atoms`` given as ``positions`` (with no cell nor pbc given too);
    other arguments unchanged."""
    if type(positions).__name__ != "Atoms" or not hasattr(positions, "get_positions"):
        return positions, cell, pbc
    if cell is not None or pbc is not False:
        raise TypeError("with an ASE Atoms, give no cell nor pbc: they are the Atoms' own")
    return positions.get_positions(), positions.cell.array, tuple(bool(p) for p in positions.pbc)
