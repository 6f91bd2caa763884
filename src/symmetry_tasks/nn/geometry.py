r"""What a point convolution needs of the positions: the edges, their harmonics and their radial basis.

For positions :math:`r_a`, the edges are the ordered pairs :math:`(b \to a)` with
:math:`0 < |r_b - r_a| < r_\max`, as in e3nn's ``gate_points_2101`` (source :math:`b`, destination :math:`a`,
edge vector :math:`r_{ab} = r_b - r_a`). Each edge carries

.. math::

    \mathrm{attr}_{ab} = s(|r_{ab}| / r_\max)\, Y(\hat r_{ab}), \qquad
    \mathrm{basis}_{ab} = \mathrm{soft\_one\_hot}(|r_{ab}|;\ 0, r_\max, n_B),

with :math:`s` e3nn's smooth cutoff (``gate_points_2101.smooth_cutoff``: 1 up to :math:`r_\max / 2`, 0 from
:math:`r_\max`), :math:`Y` the spherical harmonics up to ``lmax`` (``component`` normalisation) and e3nn's
Gaussian radial basis of :math:`n_B` functions (:func:`e3nn.math.soft_one_hot_linspace`, ``cutoff=False``).
``gate_points_2101`` multiplies the basis by :math:`\sqrt{n_B}` and its radial MLP divides by it again;
here neither happens. Every tensor follows the dtype and device of the positions, and a :class:`Geometry`
holds :math:`O(E)` numbers: no dense point-by-edge matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from e3nn.math import soft_one_hot_linspace
from e3nn.nn.models.gate_points_2101 import smooth_cutoff

from .._checks import as_lmax, check_distinct
from .harmonics import SphericalHarmonics


@dataclass(frozen=True)
class Geometry:
    """The edges of a point cloud and what the network reads of them. Build it with
    :meth:`EquivariantNetwork.geometry <symmetry_tasks.nn.EquivariantNetwork.geometry>`.
    """

    n_points: int  #: number of points N
    src: torch.Tensor  #: (E,) source point b of each edge
    dst: torch.Tensor  #: (E,) destination point a of each edge, where its message is summed
    attr: torch.Tensor  #: (E, (lmax + 1)^2) cutoff times spherical harmonics of the edge vector
    basis: torch.Tensor  #: (E, number_of_basis) radial basis of the edge length
    settings: tuple[int, float, int]  #: (lmax, max_radius, number_of_basis) it was built with

    @property
    def n_edges(self) -> int:
        """Number of edges E."""
        return int(self.src.shape[0])


class EdgeEmbedding(torch.nn.Module):
    r"""``embed(positions) -> Geometry`` for fixed ``lmax``, ``max_radius`` and ``number_of_basis``.

    Parameters
    ----------
    lmax : int
        Highest degree of the edge harmonics.
    max_radius : float
        Points at this distance or farther are not connected.
    number_of_basis : int
        Number of radial basis functions :math:`n_B`.
    harmonics : torch.nn.Module, optional
        Maps edge vectors (E, 3) to their harmonics :math:`(E, (l_\max + 1)^2)`; by default
        :class:`SphericalHarmonics`, the fast evaluation of e3nn's.
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

    @property
    def settings(self) -> tuple[int, float, int]:
        """``(lmax, max_radius, number_of_basis)``."""
        return self.lmax, self.max_radius, self.number_of_basis

    def forward(self, positions: torch.Tensor) -> Geometry:
        """The geometry of finite ``positions`` of shape (N, 3); raises ``ValueError`` if two coincide."""
        points = positions.detach()
        distances = torch.cdist(points, points)
        check_distinct(points, distances)
        src, dst = ((distances < self.max_radius) & (distances > 0)).nonzero().T
        vectors = positions[src] - positions[dst]
        lengths = vectors.norm(dim=1)
        attr = smooth_cutoff(lengths / self.max_radius)[:, None] * self.harmonics(vectors)
        basis = soft_one_hot_linspace(
            lengths, 0.0, self.max_radius, self.number_of_basis, basis="gaussian", cutoff=False
        )
        return Geometry(len(positions), src, dst, attr, basis, self.settings)
