r"""The network rebuilt from e3nn's own modules, with the same weights: the proof that fusion is exact.

For every convolution of an :class:`~symmetry_tasks.nn.EquivariantNetwork` the twin holds

* an :class:`e3nn.o3.TensorProduct` with one ``uvw`` instruction per path, ``shared_weights=False``, fed
  per edge by an :class:`e3nn.nn.FullyConnectedNet` (the radial MLP);
* an :class:`e3nn.o3.Linear` (the self-interaction);

and for every gate an :class:`e3nn.nn.Gate`; the edge harmonics come from
:class:`e3nn.o3.SphericalHarmonics`. Only the edge list, e3nn's cutoff and e3nn's radial basis are
shared with the network. The twin is slow (each path is its own small operation) and exists to be
compared: its outputs and gradients equal the network's to rounding.
"""

from __future__ import annotations

import math

import torch
from e3nn import nn, o3
from e3nn.nn.models.gate_points_2101 import scatter

from .convolution import Convolution
from .gate import GATE_ACTIVATIONS, SCALAR_ACTIVATIONS, Gate
from .geometry import EdgeEmbedding
from .torch_settings import default_dtype


class _TwinConvolution(torch.nn.Module):
    """``Convolution`` as e3nn's TensorProduct + FullyConnectedNet + Linear, with its weights copied."""

    def __init__(self, convolution: Convolution) -> None:
        super().__init__()
        instructions = [(i, j, k, "uvw", True) for i, j, k in convolution.paths]
        self.tensor_product = o3.TensorProduct(
            convolution.irreps_in,
            convolution.irreps_sh,
            convolution.irreps_out,
            instructions,
            shared_weights=False,
            internal_weights=False,
        )
        neurons, self.number_of_basis = convolution.radial_hidden.shape
        self.radial = nn.FullyConnectedNet(
            [self.number_of_basis, neurons, self.tensor_product.weight_numel], torch.nn.functional.silu
        )
        self.linear = o3.Linear(convolution.irreps_in, convolution.irreps_out)
        self.num_neighbors = convolution.num_neighbors
        with torch.no_grad():
            self.radial.layer0.weight.copy_(convolution.radial_hidden.T)
            self.radial.layer1.weight.copy_(convolution.e3nn_radial_weight())
            self.linear.weight.copy_(convolution.linear)

    def forward(self, x: torch.Tensor, geometry: object) -> torch.Tensor:
        # gate_points_2101 scales the basis by sqrt(n_B), which FullyConnectedNet's first layer divides out
        weights = self.radial(geometry.basis * math.sqrt(self.number_of_basis))
        edges = self.tensor_product(x[geometry.src], geometry.attr, weights)
        convolved = scatter(edges, geometry.dst, len(x)) / math.sqrt(self.num_neighbors)
        return (convolved + self.linear(x)) / math.sqrt(2)


def _twin_gate(gate: Gate) -> nn.Gate:
    return nn.Gate(
        gate.irreps_scalars,
        [SCALAR_ACTIVATIONS[ir.p] for _, ir in gate.irreps_scalars],
        gate.irreps_gates,
        [GATE_ACTIVATIONS[ir.p] for _, ir in gate.irreps_gates],
        gate.irreps_gated,
    )


class E3nnTwin(torch.nn.Module):
    """``twin(features, positions)``: an ``EquivariantNetwork`` made of e3nn modules; build it with ``to_e3nn``.

    Parameters
    ----------
    model : EquivariantNetwork
        The network to copy; the twin takes its weights, dtype and device at the time of the call.
    """

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        lmax, max_radius, number_of_basis = model.embedding.settings
        harmonics = o3.SphericalHarmonics(list(range(lmax + 1)), normalize=True, normalization="component")
        self.embedding = EdgeEmbedding(lmax, max_radius, number_of_basis, harmonics)
        with default_dtype(torch.float64):
            self.convolutions = torch.nn.ModuleList(_TwinConvolution(c) for c in model.convolutions)
            self.gates = torch.nn.ModuleList(_twin_gate(gate) for gate in model.gates)
        reference = model.convolutions[0].linear
        self.to(dtype=reference.dtype, device=reference.device)

    def forward(
        self,
        features: torch.Tensor,
        positions: object,
        cell: object = None,
        pbc: object = False,
        edges: object = None,
    ) -> torch.Tensor:
        """Apply the twin to ``features`` (N, dim in) on ``positions`` (N, 3) in ``cell`` periodic along
        ``pbc``, or on an ASE ``Atoms``, on the given ``edges`` if any, as :meth:`EquivariantNetwork.forward
        <symmetry_tasks.nn.EquivariantNetwork.forward>` does on :meth:`EquivariantNetwork.geometry
        <symmetry_tasks.nn.EquivariantNetwork.geometry>`."""
        geometry = self.embedding(positions, cell, pbc, dtype=features.dtype, edges=edges)
        x = features
        for convolution, gate in zip(self.convolutions, self.gates, strict=False):
            x = gate(convolution(x, geometry))
        return self.convolutions[-1](x, geometry)
