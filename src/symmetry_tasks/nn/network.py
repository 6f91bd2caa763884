r"""The gated equivariant point-convolution network of the tutorial, on any e3nn irreps.

A network of ``layers`` gated layers and one last convolution:

.. math::

    x^{(t+1)} = \mathrm{Gate}\big(\mathrm{Conv}_t(x^{(t)})\big), \qquad
    y = \mathrm{Conv}_{\mathrm{last}}(x^{(\mathrm{layers})}),

with :class:`~symmetry_tasks.nn.Convolution` (e3nn's fully connected ``uvw`` tensor product with the edge
harmonics, weights from a radial MLP, plus an ``o3.Linear`` self-interaction) and
:class:`~symmetry_tasks.nn.Gate` (e3nn's gate). Each layer asks for the hidden irreps (after the gate) and
the gate scalars they need, exactly as ``e3nn.nn.models.gate_points_2101.Network`` does.
:meth:`EquivariantNetwork.to_e3nn` builds the same function from e3nn's own modules.
"""

from __future__ import annotations

import torch
from e3nn import o3
from e3nn.nn.models.gate_points_2101 import tp_path_exists

from .._checks import as_features
from ..signals import LMAX, signal_irreps
from .autodiff import chain
from .convolution import Convolution
from .gate import Gate
from .geometry import EdgeEmbedding, Geometry
from .twin import E3nnTwin

#: Input, hidden and output irreps of the tutorial's network, the signals up to ``LMAX``.
DEFAULT_IRREPS = o3.Irreps(signal_irreps(LMAX))
#: Initial scale of the last layer's weights, so that the first outputs are as small as the targets.
OUTPUT_INIT_SCALE = 0.1


def _even(irreps: o3.Irreps) -> o3.Irreps:
    """``irreps`` with every parity set to even: how the parity-free network sees them."""
    return o3.Irreps([(mul, (ir.l, 1)) for mul, ir in irreps])


def gate_for(irreps_hidden: o3.Irreps, irreps_in: o3.Irreps, irreps_sh: o3.Irreps) -> Gate:
    """The gate of a layer from ``irreps_in`` to ``irreps_hidden``, with gates of the parity e3nn picks.

    Raises
    ------
    ValueError
        If a hidden irrep has no tensor-product path from ``irreps_in`` and the harmonics (where
        ``gate_points_2101`` would silently drop it).
    """
    missing = [str(ir) for _, ir in irreps_hidden if not tp_path_exists(irreps_in, irreps_sh, ir)]
    if missing:
        raise ValueError(
            f"hidden irreps {', '.join(missing)} cannot be built from {irreps_in} with edge harmonics "
            f"{irreps_sh}: no tensor-product path"
        )
    scalars = o3.Irreps([(mul, ir) for mul, ir in irreps_hidden if ir.l == 0])
    gated = o3.Irreps([(mul, ir) for mul, ir in irreps_hidden if ir.l > 0])
    gate_irrep = "0e" if tp_path_exists(irreps_in, irreps_sh, "0e") else "0o"
    return Gate(scalars, o3.Irreps([(mul, gate_irrep) for mul, _ in gated]), gated)


class EquivariantNetwork(torch.nn.Module):
    r"""Gated equivariant point-convolution network: ``model(features, positions) -> outputs``.

    ``EquivariantNetwork()`` is the tutorial's network: irreps ``0e+1o+2e+3o+4e+5o`` in, hidden and out,
    edge harmonics up to ``l = 5``, two gated layers, ``max_radius = 3``, float64.

    Parameters
    ----------
    irreps_in, irreps_hidden, irreps_out : str or e3nn.o3.Irreps
        Input features, each hidden layer's features (after the gate, before its gate scalars are added),
        and output. Any multiplicities and parities.
    lmax : int
        Highest degree of the edge spherical harmonics.
    layers : int
        Number of gated layers before the last convolution.
    max_radius : float
        Points this far apart or farther do not interact.
    number_of_basis, radial_neurons : int
        Size of the radial basis and of the hidden layer of the radial MLP.
    num_neighbors : float
        Typical number of neighbours; the edge sum is divided by its square root.
    parity : bool
        ``True``: equivariant under O(3). ``False``: the parity-free variant of the original tutorial,
        equivariant under rotations only; every irrep is treated as even, so every path the triangle
        rule allows is used and every scalar is gated as an even one.
    dtype : torch.dtype, optional
        float64 (the default) or float32. The weights are drawn in float64 and then converted, so that a
        seed gives the same network, to rounding, in both.
    device : torch.device or str, optional
        Where the weights and constant tables live (default: the CPU).

    Raises
    ------
    ValueError
        If a hyperparameter is out of range, or an irrep of a layer cannot be built (no tensor-product
        path reaches it); the message names it.

    Examples
    --------
    >>> import torch
    >>> from symmetry_tasks.shapes import square
    >>> _ = torch.manual_seed(0)
    >>> model = EquivariantNetwork("0e + 1e", "4x0e + 2x1o + 0o", "1o", lmax=2)
    >>> features = torch.ones(4, 4, dtype=torch.float64)
    >>> model(features, square()).shape
    torch.Size([4, 3])
    >>> geometry = model.geometry(square())  # reuse the edges while the positions stay put
    >>> bool((model(features, geometry) == model(features, square())).all())
    True
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
        dtype: torch.dtype | None = None,
        device: torch.device | str | None = None,
    ) -> None:
        super().__init__()
        if not isinstance(layers, int) or isinstance(layers, bool) or layers < 0:
            raise ValueError(f"layers must be a non-negative int, got {layers!r}")
        if dtype not in (None, torch.float32, torch.float64):
            raise TypeError(f"dtype must be torch.float32 or torch.float64, got {dtype!r}")
        self.irreps_in = o3.Irreps(irreps_in)
        self.irreps_hidden = o3.Irreps(irreps_hidden)
        self.irreps_out = o3.Irreps(irreps_out)
        self.parity = parity
        self.embedding = EdgeEmbedding(lmax, max_radius, number_of_basis)
        self.irreps_sh = o3.Irreps([(1, (l, (-1) ** l if parity else 1)) for l in range(lmax + 1)])
        options = {
            "number_of_basis": number_of_basis,
            "radial_neurons": radial_neurons,
            "num_neighbors": num_neighbors,
        }
        relabel = (lambda irreps: irreps) if parity else _even
        self.convolutions = torch.nn.ModuleList()
        self.gates = torch.nn.ModuleList()
        irreps = relabel(self.irreps_in)
        for _ in range(layers):
            gate = gate_for(relabel(self.irreps_hidden), irreps, self.irreps_sh)
            self.convolutions.append(
                Convolution(irreps, self.irreps_sh, gate.irreps_sorted, columns=gate.order, **options)
            )
            self.gates.append(gate)
            irreps = gate.irreps_out
        last = Convolution(
            irreps, self.irreps_sh, relabel(self.irreps_out), init_scale=OUTPUT_INIT_SCALE, **options
        )
        self.convolutions.append(last)
        # one order of the edges for all layers (Edges), so that each convolution alone computes what it does here
        per_kind = min(convolution.edges_per_kind for convolution in self.convolutions)
        for convolution in self.convolutions:
            convolution.edges_per_kind = per_kind
        #: The layers in the order they apply, a convolution and a gate per gated layer, then the last convolution.
        self.stages = [layer for pair in zip(self.convolutions, self.gates, strict=False) for layer in pair]
        self.stages.append(last)
        self.to(dtype=dtype or torch.float64, device=device)

    def extra_repr(self) -> str:
        return (
            f"{self.irreps_in} -> {self.irreps_out}, hidden {self.irreps_hidden}, lmax={self.lmax}, "
            f"layers={len(self.gates)}, max_radius={self.max_radius}, parity={self.parity}"
        )

    @property
    def lmax(self) -> int:
        """Highest degree of the edge harmonics."""
        return self.embedding.lmax

    @property
    def max_radius(self) -> float:
        """Points this far apart or farther do not interact."""
        return self.embedding.max_radius

    @property
    def dtype(self) -> torch.dtype:
        """The dtype of the weights, which features and positions must share (float64 unless converted)."""
        return self.convolutions[0].linear.dtype

    def geometry(
        self, positions: object, cell: object = None, pbc: object = False, edges: object = None
    ) -> Geometry:
        r"""The edges of ``positions`` (N, 3) with their harmonics and radial basis, for :meth:`forward`.

        Build it once when the positions stay fixed (as :func:`~symmetry_tasks.training.fit` does); it
        keeps the gradients to the positions and the cell if they require them. Positions and cell
        are converted to the network's dtype. Every edge within ``max_radius`` is found, periodic images
        included, by vesin's neighbour list (``symmetry_tasks.nn.geometry.neighbor_pairs``), unless
        ``edges`` are given.

        Parameters
        ----------
        positions : torch.Tensor or array-like or ase.Atoms
            Shape :math:`(N, 3)`, finite and distinct; or an ASE ``Atoms``, whose positions, cell and
            pbc are taken.
        cell : array-like, optional
            Shape :math:`(3, 3)`, rows the lattice vectors; needed if any direction is periodic.
        pbc : bool or sequence of three bools
            Periodic along each lattice vector (one bool: all three).
        edges : sequence of integer arrays, optional
            The edges :math:`b + S \to a` to use instead of searching: ``(src, dst)`` of shapes
            :math:`(E,)` (or e3nn's ``edge_index``, shape :math:`(2, E)`), or ``(src, dst, shifts)`` with
            the integer lattice shifts :math:`S`, shape :math:`(E, 3)`, in a periodic cell. Edges at
            ``max_radius`` or farther carry nothing, as in e3nn; an edge between coincident points raises.

        Examples
        --------
        >>> import torch
        >>> _ = torch.manual_seed(0)
        >>> model = EquivariantNetwork("0e", "0e + 1o", "1o", lmax=1, max_radius=1.5)
        >>> one_atom = model.geometry([[0.0, 0.0, 0.0]], cell=torch.eye(3), pbc=True)
        >>> one_atom.n_edges  # its own images at distance 1 and sqrt(2)
        18
        >>> pair = model.geometry([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], edges=[[0, 1], [1, 0]])
        >>> pair.src.tolist(), pair.dst.tolist()
        ([0, 1], [1, 0])
        """
        return self.embedding(positions, cell, pbc, dtype=self.dtype, edges=edges)

    def forward(
        self, features: torch.Tensor, positions: object, cell: object = None, pbc: object = False
    ) -> torch.Tensor:
        r"""Apply the network.

        Parameters
        ----------
        features : torch.Tensor
            Shape :math:`(N, \dim \mathrm{irreps\_in})`, the network's dtype.
        positions : torch.Tensor or ase.Atoms or Geometry
            Shape :math:`(N, 3)`, distinct finite points; or an ASE ``Atoms``; or their :meth:`geometry`.
        cell, pbc
            The periodic cell, as for :meth:`geometry` (not with a ``Geometry``).

        Returns
        -------
        torch.Tensor
            Shape :math:`(N, \dim \mathrm{irreps\_out})`.
        """
        if isinstance(positions, Geometry):
            if cell is not None or pbc is not False:
                raise TypeError("a Geometry already holds its cell: give no cell nor pbc with it")
            geometry = positions
        else:
            geometry = self.geometry(positions, cell, pbc)
        if geometry.settings != self.embedding.settings:
            raise ValueError(
                f"the geometry was built with (lmax, max_radius, number_of_basis) = {geometry.settings}, "
                f"this network uses {self.embedding.settings}"
            )
        if geometry.attr.dtype != self.dtype:
            raise TypeError(
                f"the geometry is {geometry.attr.dtype}, this network {self.dtype}: build it again"
            )
        x = as_features(features, self.irreps_in.dim, geometry.n_points, dtype=self.dtype)
        return chain(self.stages, x.T, geometry).T  # the layers hold features by column: (dim, N)

    def to_e3nn(self) -> E3nnTwin:
        """The same network built from e3nn's own modules, carrying a copy of these weights.

        ``twin(features, positions, cell, pbc)`` computes what ``model(features, positions, cell, pbc)`` computes, with
        :class:`e3nn.o3.TensorProduct`, :class:`e3nn.o3.Linear`, :class:`e3nn.nn.Gate`,
        :class:`e3nn.nn.FullyConnectedNet` and :func:`e3nn.o3.spherical_harmonics`; see
        :class:`~symmetry_tasks.nn.E3nnTwin`.
        """
        return E3nnTwin(self)
