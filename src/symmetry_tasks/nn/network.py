r"""A gated equivariant point-convolution network on e3nn irreps, with fused tensor products.

Each layer is a point convolution followed by a gate:

.. math::

    y_a = \frac{1}{\sqrt{2}} \Big( W x_a + \frac{1}{\sqrt{n}} \sum_{b \neq a,\ r_{ab} < r_\max}
          \mathrm{TP}\big(x_b,\ s(r_{ab}) Y(\hat r_{ab});\ w(r_{ab})\big) \Big),

where :math:`Y` are the spherical harmonics of the edge direction, :math:`s` a smooth cutoff, :math:`w` the
path weights produced by a radial MLP, :math:`W` a self-interaction mixing equal irreps, and
:math:`n` the typical number of neighbours. The gate applies :math:`\mathrm{silu}` to the scalars and
multiplies every ``l > 0`` irrep by the sigmoid of its own gate scalar.

Speed. With multiplicity one and a handful of points, e3nn's per-path modules spend their time in
dispatch. Here every path of a layer is fused: for the fixed edge set the Clebsch-Gordan coefficients
(from :func:`e3nn.o3.wigner_3j`) are contracted with :math:`Y` once per geometry into a tensor
:math:`B_{eqk}`, and a forward pass is one gather, one batched product and one sum over edges:

.. math::

    \mathrm{TP}_{ek} = \sum_q x_{b(e),\,i(q)}\ w_{e,\,p(q)}\ B_{eqk},
    \qquad B_{eqk} = \sum_j C^{p(q)}_{i(q)\,j\,k}\ Y_{ej},

where :math:`q` runs over (path, input component) pairs. Geometries are cached by value, so training on
fixed positions computes :math:`Y` and :math:`B` once.
"""

from __future__ import annotations

import functools
import math
from collections import OrderedDict
from dataclasses import dataclass

import torch
from e3nn import o3
from e3nn.math import normalize2mom, soft_one_hot_linspace

from .._checks import as_features, as_points
from ..signals import LMAX, signal_irreps

#: Input, hidden and output irreps of the tutorial's network: the signals up to ``LMAX``.
DEFAULT_IRREPS = o3.Irreps(signal_irreps(LMAX))

_GEOMETRY_CACHE_SIZE = 4
#: Initial scale of the last layer's weights.
OUTPUT_INIT_SCALE = 0.1


@functools.cache
def _normalized(activation: str) -> normalize2mom:
    """``silu`` or ``sigmoid`` rescaled to unit second moment on a standard normal input (built once)."""
    return normalize2mom(getattr(torch.nn.functional, activation), dtype=torch.float64)


def _path_allowed(ir_1: o3.Irrep, ir_2: o3.Irrep, ir_out: o3.Irrep, parity: bool) -> bool:
    if parity:
        return ir_out in ir_1 * ir_2
    return abs(ir_1.l - ir_2.l) <= ir_out.l <= ir_1.l + ir_2.l


class _FusedConvolution(torch.nn.Module):
    """One point convolution with all tensor-product paths fused, plus a self-interaction."""

    def __init__(
        self,
        irreps_in: o3.Irreps,
        irreps_sh: o3.Irreps,
        irreps_out: o3.Irreps,
        number_of_basis: int,
        radial_neurons: int,
        num_neighbors: float,
        parity: bool,
        init_scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.irreps_in, self.irreps_out = irreps_in, irreps_out
        self.num_neighbors = num_neighbors
        dtype = torch.float64

        # Paths (input instance, sh instance, output instance) and the fused Clebsch-Gordan tensor.
        paths = [
            (i, j, k)
            for k, (_, ir_out) in enumerate(irreps_out)
            for i, (_, ir_in) in enumerate(irreps_in)
            for j, (_, ir_sh) in enumerate(irreps_sh)
            if _path_allowed(ir_in, ir_sh, ir_out, parity)
        ]
        fan_in = [sum(1 for *_, k_ in paths if k_ == k) for k in range(len(irreps_out))]
        in_slices, sh_slices, out_slices = irreps_in.slices(), irreps_sh.slices(), irreps_out.slices()
        blocks, component, path_of = [], [], []
        for p, (i, j, k) in enumerate(paths):
            l1, l2, l3 = irreps_in[i].ir.l, irreps_sh[j].ir.l, irreps_out[k].ir.l
            cg = o3.wigner_3j(l1, l2, l3, dtype=dtype) * math.sqrt((2 * l3 + 1) / fan_in[k])
            block = torch.zeros(2 * l1 + 1, irreps_sh.dim, irreps_out.dim, dtype=dtype)
            block[:, sh_slices[j], out_slices[k]] = cg
            blocks.append(block)
            component += range(in_slices[i].start, in_slices[i].stop)
            path_of += [p] * (2 * l1 + 1)
        self.register_buffer("cg", torch.cat(blocks))  # (Q, sh, out)
        self.register_buffer("component", torch.tensor(component))  # (Q,) input component of q
        self.register_buffer("path_of", torch.tensor(path_of))  # (Q,) path of q
        self.num_paths = len(paths)

        # Radial MLP: edge length basis -> one weight per path and edge.
        self.radial_in = torch.nn.Parameter(torch.randn(number_of_basis, radial_neurons, dtype=dtype))
        self.radial_out = torch.nn.Parameter(
            init_scale * torch.randn(radial_neurons, self.num_paths, dtype=dtype)
        )
        self.act = _normalized("silu")

        # Self-interaction: one weight for each (input, output) pair of equal irreps.
        pairs = [
            (i, k)
            for k, (_, ir_out) in enumerate(irreps_out)
            for i, (_, ir_in) in enumerate(irreps_in)
            if ir_in == ir_out or (not parity and ir_in.l == ir_out.l)
        ]
        si_fan_in = [sum(1 for _, k_ in pairs if k_ == k) for k in range(len(irreps_out))]
        masks = torch.zeros(len(pairs), irreps_in.dim, irreps_out.dim, dtype=dtype)
        for r, (i, k) in enumerate(pairs):
            l = irreps_out[k].ir.l
            masks[r, in_slices[i], out_slices[k]] = torch.eye(2 * l + 1, dtype=dtype) / math.sqrt(
                si_fan_in[k]
            )
        self.register_buffer("si_masks", masks)
        self.si_weight = torch.nn.Parameter(init_scale * torch.randn(len(pairs), dtype=dtype))

    def kernel(self, edge_sh: torch.Tensor) -> torch.Tensor:
        """:math:`B_{eqk}` for edges with spherical harmonics ``edge_sh`` of shape (E, sh)."""
        return torch.einsum("qjk,ej->eqk", self.cg, edge_sh)

    def forward(self, x: torch.Tensor, geometry: _Geometry, kernel: torch.Tensor) -> torch.Tensor:
        """Convolve features ``x`` of shape (N, in) over the edges of ``geometry``; ``kernel`` is its B."""
        hidden = self.act(geometry.radial_basis @ self.radial_in / math.sqrt(self.radial_in.shape[0]))
        weights = hidden @ self.radial_out / math.sqrt(self.radial_out.shape[0])  # (E, paths)
        gathered = x[geometry.src][:, self.component] * weights[:, self.path_of]  # (E, Q)
        messages = torch.bmm(gathered.unsqueeze(1), kernel).squeeze(1)  # (E, out)
        convolved = geometry.scatter @ messages / math.sqrt(self.num_neighbors)
        self_interaction = x @ torch.einsum("r,rio->io", self.si_weight, self.si_masks)
        return (convolved + self_interaction) / math.sqrt(2.0)


class _Gate(torch.nn.Module):
    r"""``[s, g, v] -> [silu(s), sigmoid(g) * v]`` with one gate scalar per gated irrep."""

    def __init__(self, irreps_hidden: o3.Irreps) -> None:
        super().__init__()
        self.n_scalars = sum(mul for mul, ir in irreps_hidden if ir.l == 0)
        gated = o3.Irreps([(mul, ir) for mul, ir in irreps_hidden if ir.l > 0])
        self.n_gates = gated.num_irreps
        self.irreps_out = o3.Irreps([(mul, ir) for mul, ir in irreps_hidden if ir.l == 0]) + gated
        scalars = o3.Irreps(f"{self.n_scalars + self.n_gates}x0e")
        self.irreps_in = scalars + gated
        gated_irreps = [ir for mul, ir in gated for _ in range(mul)]
        gate_of = [g for g, ir in enumerate(gated_irreps) for _ in range(ir.dim)]
        self.register_buffer("gate_of", torch.tensor(gate_of, dtype=torch.long))
        self.scalar_act = _normalized("silu")
        self.gate_act = _normalized("sigmoid")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scalars = x[:, : self.n_scalars]
        gates = x[:, self.n_scalars : self.n_scalars + self.n_gates]
        gated = x[:, self.n_scalars + self.n_gates :]
        return torch.cat([self.scalar_act(scalars), gated * self.gate_act(gates)[:, self.gate_of]], dim=1)


@dataclass(frozen=True)
class _Geometry:
    """What the network needs of the positions: edges, their harmonics, radial basis, the edge sum."""

    src: torch.Tensor  # (E,) source point of each edge
    edge_sh: torch.Tensor  # (E, sh) cutoff * Y(r_ab / |r_ab|)
    radial_basis: torch.Tensor  # (E, number_of_basis)
    scatter: torch.Tensor  # (N, E) sums edges into their destination point
    kernels: list[torch.Tensor]  # B_eqk of each convolution


class EquivariantNetwork(torch.nn.Module):
    r"""Gated equivariant point-convolution network: ``model(features, positions) -> outputs``.

    ``EquivariantNetwork()`` is the tutorial's network: irreps ``0e+1o+2e+3o+4e+5o`` in, hidden and out,
    edge harmonics up to ``l = 5``, radial basis cut off at ``max_radius = 3``.

    Parameters
    ----------
    irreps_in, irreps_hidden, irreps_out : str or e3nn.o3.Irreps
        Representations of input features, of each hidden layer (after the gate) and of the output.
    lmax : int
        Band limit of the edge spherical harmonics.
    layers : int
        Number of gated layers before the final (linear) convolution.
    max_radius : float
        Points farther apart than this do not interact.
    number_of_basis, radial_neurons : int
        Size of the radial basis and of the hidden layer of the radial MLP.
    num_neighbors : float
        Typical number of neighbours; the edge sum is divided by its square root.
    parity : bool
        ``True``: equivariant under O(3) (paths respect parity). ``False``: the parity-free variant the
        original tutorial used, equivariant under rotations only (SO(3)); every path allowed by the
        triangle rule is used, whatever its parity.

    Examples
    --------
    >>> import torch
    >>> from symmetry_tasks.shapes import square
    >>> _ = torch.manual_seed(0)
    >>> model = EquivariantNetwork()
    >>> features = torch.zeros(4, model.irreps_in.dim, dtype=torch.float64)
    >>> features[:, 0] = 1.0
    >>> model(features, square()).shape
    torch.Size([4, 36])
    """

    def __init__(
        self,
        irreps_in: str | o3.Irreps = DEFAULT_IRREPS,
        irreps_hidden: str | o3.Irreps = DEFAULT_IRREPS,
        irreps_out: str | o3.Irreps = DEFAULT_IRREPS,
        *,
        lmax: int = LMAX,
        layers: int = 2,
        max_radius: float = 3.0,
        number_of_basis: int = 3,
        radial_neurons: int = 100,
        num_neighbors: float = 3.0,
        parity: bool = True,
    ) -> None:
        super().__init__()
        if not isinstance(layers, int) or isinstance(layers, bool) or layers < 0:
            raise ValueError(f"layers must be a non-negative int, got {layers!r}")
        if not (isinstance(max_radius, (int, float)) and math.isfinite(max_radius) and max_radius > 0):
            raise ValueError(f"max_radius must be a finite positive number, got {max_radius!r}")
        self.irreps_in = o3.Irreps(irreps_in)
        self.irreps_hidden = o3.Irreps(irreps_hidden)
        self.irreps_out = o3.Irreps(irreps_out)
        self.irreps_sh = o3.Irreps(signal_irreps(lmax))
        self.max_radius = float(max_radius)
        self.number_of_basis = number_of_basis
        self.parity = parity
        self._geometries: OrderedDict[bytes, _Geometry] = OrderedDict()

        convolution = dict(
            irreps_sh=self.irreps_sh,
            number_of_basis=number_of_basis,
            radial_neurons=radial_neurons,
            num_neighbors=num_neighbors,
            parity=parity,
        )
        self.convolutions = torch.nn.ModuleList()
        self.gates = torch.nn.ModuleList()
        irreps = self.irreps_in
        for _ in range(layers):
            gate = _Gate(self.irreps_hidden)
            self.convolutions.append(_FusedConvolution(irreps, irreps_out=gate.irreps_in, **convolution))
            self.gates.append(gate)
            irreps = gate.irreps_out
        # The last layer starts small, so that the first outputs are as small as the target signals.
        last = _FusedConvolution(
            irreps, irreps_out=self.irreps_out, init_scale=OUTPUT_INIT_SCALE, **convolution
        )
        self.convolutions.append(last)

    def geometry(self, positions: torch.Tensor) -> _Geometry:
        r"""Edges of all pairs closer than ``max_radius``, with their harmonics and radial basis.

        Positions that do not require a gradient are cached by value (a few recent ones).
        """
        key = positions.detach().numpy().tobytes() if not positions.requires_grad else None
        if key is not None and key in self._geometries:
            self._geometries.move_to_end(key)
            return self._geometries[key]
        n = positions.shape[0]
        distances = torch.cdist(positions.detach(), positions.detach())
        dst, src = ((distances < self.max_radius) & ~torch.eye(n, dtype=torch.bool)).nonzero().T
        vectors = positions[dst] - positions[src]
        lengths = vectors.norm(dim=1)
        cutoff = _smooth_cutoff(lengths / self.max_radius)
        edge_sh = cutoff[:, None] * o3.spherical_harmonics(
            self.irreps_sh, vectors, True, normalization="component"
        )
        radial_basis = soft_one_hot_linspace(
            lengths, 0.0, self.max_radius, self.number_of_basis, basis="smooth_finite", cutoff=True
        ) * math.sqrt(self.number_of_basis)
        scatter = torch.zeros(n, len(dst), dtype=torch.float64)
        scatter[dst, torch.arange(len(dst))] = 1.0
        kernels = [convolution.kernel(edge_sh) for convolution in self.convolutions]
        geometry = _Geometry(
            src=src, edge_sh=edge_sh, radial_basis=radial_basis, scatter=scatter, kernels=kernels
        )
        if key is not None:
            self._geometries[key] = geometry
            if len(self._geometries) > _GEOMETRY_CACHE_SIZE:
                self._geometries.popitem(last=False)
        return geometry

    def forward(self, features: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        r"""Apply the network.

        Parameters
        ----------
        features : torch.Tensor
            float64, shape :math:`(N, \dim \mathrm{irreps\_in})`.
        positions : torch.Tensor
            float64, shape :math:`(N, 3)`, distinct finite points.

        Returns
        -------
        torch.Tensor
            float64, shape :math:`(N, \dim \mathrm{irreps\_out})`.
        """
        positions = as_points(positions)
        features = as_features(features, self.irreps_in.dim, positions.shape[0])
        geometry = self.geometry(positions)
        x = features
        for convolution, gate, kernel in zip(self.convolutions, self.gates, geometry.kernels, strict=False):
            x = gate(convolution(x, geometry, kernel))
        return self.convolutions[-1](x, geometry, geometry.kernels[-1])


def _smooth_cutoff(x: torch.Tensor) -> torch.Tensor:
    r"""1 for :math:`x \le 1/2`, 0 for :math:`x \ge 1`, a half cosine in between."""
    u = (2 * (x - 1)).clamp(-1, 0)
    return (1 - torch.cos(math.pi * u)) / 2
