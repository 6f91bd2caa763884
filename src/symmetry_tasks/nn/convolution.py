r"""One point convolution: e3nn's fully connected tensor product with the edge harmonics, fused.

For input features :math:`x_b` (irreps ``irreps_in``) the convolution is

.. math::

    y_a = \frac{1}{\sqrt 2}\Big(\frac{1}{\sqrt n} \sum_{b \to a}
          \mathrm{TP}\big(x_b,\ \mathrm{attr}_{ab};\ W(\mathrm{basis}_{ab})\big) + \mathrm{Lin}(x_a)\Big),

where :math:`n` is the typical number of neighbours and the :class:`~symmetry_tasks.nn.Geometry` gives
the edges. The tensor product is e3nn's :class:`~e3nn.o3.TensorProduct` with one ``uvw`` instruction per
path :math:`p = (i, j, k)` (input irrep :math:`i`, harmonic :math:`j`, output irrep :math:`k`, allowed by the
product rule), so each path has a weight per input channel :math:`u` and output channel :math:`w`:

.. math::

    \mathrm{TP}_{k w m_3} = \sum_{p \to k} \alpha_p \sum_u W_{p u w} \sum_{m_1 m_2}
        C^{p}_{m_1 m_2 m_3}\, x_{i u m_1}\, \mathrm{attr}_{j m_2},
    \qquad \alpha_p^2 = \frac{2 l_k + 1}{\sum_{p' \to k} \mathrm{mul}_{i(p')}},

with :math:`C` from :func:`e3nn.o3.wigner_3j` and e3nn's default normalisation (``irrep_normalization=
"component"``, ``path_normalization="element"``). The weights of every edge come from a radial MLP of its
basis, as e3nn's :class:`~e3nn.nn.FullyConnectedNet` with one hidden layer:
:math:`W = \tfrac{c}{\sqrt h}\, \mathrm{silu}(\sqrt{n_B}\,\mathrm{basis} \cdot \tfrac{W_1}{\sqrt{n_B}}) W_2`,
:math:`c` the constant that gives silu unit second moment and :math:`h` the hidden width.
:math:`\mathrm{Lin}` is e3nn's :class:`~e3nn.o3.Linear`: a mix over channels of equal irreps, each output
divided by the square root of its fan-in.

Fused evaluation. Instead of one small operation per path, a layer is a handful of operations on all
paths and a chunk of edges at once, whose work and memory follow the nonzero Clebsch-Gordan entries and
the weights:

1. coupling: :math:`T_{(k, s, m_3),\,e} = \alpha_p \sum_{m_1 m_2} C^p_{m_1 m_2 m_3}\, x_{\mathrm{src}(e),\,i u m_1}\,
   \mathrm{attr}_{e,\,j m_2}` for each *slot* :math:`s = (p, u)` of a path :math:`p` into output :math:`k`:
   one sparse product with the outer products of features and harmonics, with no output channel
   :math:`w` in it;
2. mixing: :math:`M_{k w m_3,\,e} = \sum_s W_{e,\,(p u w)(s)}\, T_{(k, s, m_3),\,e}`. The outputs of multiplicity
   at most :data:`EXPAND_MULTIPLICITY` (all of them with one channel per irrep), and the scalar ones of
   multiplicity at most :data:`EXPAND_SCALAR_MULTIPLICITY`, are *expanded*: on a chunk
   of at least :data:`BROADCAST_EDGES` edges, each as one broadcast product of its weights and products
   and one sum over its slots; on fewer, all together as one gather of weights and products, one product
   and one indexed sum (fewer operations, more numbers). Each other output is one batched matrix product
   over the edges;
3. :math:`M` is added into the destination points with ``index_add``, onto the self-interaction.

Every constant (:math:`\alpha_p`, :math:`1/\sqrt{2n}`, :math:`c/\sqrt h`) is folded into the table of step 1.
The edges are taken in chunks whose products hold at most :data:`CHUNK_ELEMENTS` numbers, so that the
memory beyond the layer's cache does not grow with the edges. The radial MLP runs on a whole chunk (its
matrix products prefer many edges); step 1 and its gradient take a long chunk in pieces of
:data:`PIECE_EDGES` edges, whose outer products stay in the processor's caches between the passes that
write and read them. The gradient of these steps is written out
(:meth:`Convolution.gradient`, run by :func:`~symmetry_tasks.nn.chain`); it computes again either the
products :math:`T` or the weights :math:`W`, whichever is cheaper (:data:`GEMM_COST`), instead of keeping
them. The output columns may be put in any order (``columns``): the gate then reads its three parts as
contiguous blocks.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import torch
from e3nn import o3
from e3nn.nn.models.gate_points_2101 import tp_path_exists

from .autodiff import EDGES_PER_KIND, PAIRED_EDGES_PER_KIND, EdgeChunk, Edges, chain
from .gate import normalization
from .geometry import Geometry
from .torch_settings import quiet_sparse_csr

#: Most numbers a product of one chunk of edges holds (outer products of features and harmonics, coupled
#: products, mixing weights or terms): beyond, the edges are taken in chunks (:meth:`Convolution._chunks`).
CHUNK_ELEMENTS = 2**20
#: Chunks of more edges take the coupling step and its gradient in pieces of this many (or fewer, if their
#: outer products of features and harmonics would hold more than :data:`CHUNK_ELEMENTS` numbers): the outer
#: products then stay in the processor's caches between the product that makes them and the passes that
#: read them, and no longer bound the chunk, whose radial MLP runs on more edges at once. (One step at 1024
#: points, lmax 5, float64, chunks of 809 edges: 540 ms whole, 500 ms in pieces of 200, 520 ms of 100, the
#: sparse products slower on fewer; then chunks of 1618 and 3236 edges in pieces of 200, 560 -> 520 ms.)
PIECE_EDGES = 200
#: Chunks of at least this many edges mix the expanded outputs one output irrep at a time, in passes over
#: fewer numbers; smaller ones all at once, in fewer operations (:meth:`Convolution._mix_expanded`).
#: (Mixing and its gradient at lmax 5, one channel, per chunk: 0.13 ms all at once and 0.61 ms by irrep on
#: 6 edges, 0.93 and 0.97 ms on 256, 4.2 and 2.4 ms on 809.)
BROADCAST_EDGES = 256
#: How many multiply-adds of a matrix product cost as much as one number of a sparse product or an
#: elementwise pass over the edges (both limited by memory): decides what the gradient computes again.
GEMM_COST = 16
#: Output irreps of at most this multiplicity are mixed as one sum of products over all of them at once;
#: those of more as one batched matrix product each.
EXPAND_MULTIPLICITY = 4
#: ... and scalar outputs of at most this multiplicity, whose terms copy no weight nor product (one
#: component each): the tutorial's layers (one scalar and five gates; a training step at 4 points 7.0 ->
#: 6.0 ms). More of them are batched: expanded weights are made for every edge, batched ones once per kind
#: of edge (:class:`~symmetry_tasks.nn.Edges`), which many channels and crystals use (all scalars
#: expanded: 16 channels at 64 points 496-538 -> 657-695 ms).
EXPAND_SCALAR_MULTIPLICITY = 8


def tensor_product_paths(
    irreps_in: o3.Irreps, irreps_sh: o3.Irreps, irreps_out: o3.Irreps
) -> list[tuple[int, int, int]]:
    """Every ``(i, j, k)`` with ``irreps_out[k]`` in ``irreps_in[i] * irreps_sh[j]``, in e3nn's loop order.

    Examples
    --------
    >>> tensor_product_paths(o3.Irreps("0e + 1o"), o3.Irreps("0e + 1o"), o3.Irreps("1o"))
    [(0, 1, 0), (1, 0, 0)]
    """
    return [
        (i, j, k)
        for i, (_, ir_in) in enumerate(irreps_in)
        for j, (_, ir_sh) in enumerate(irreps_sh)
        for k, (_, ir_out) in enumerate(irreps_out)
        if ir_out in ir_in * ir_sh
    ]


def _grid(*sizes: int) -> list[torch.Tensor]:
    """Flattened index grids of the given sizes (row-major), one per axis."""
    return [axis.flatten() for axis in torch.meshgrid(*(torch.arange(n) for n in sizes), indexing="ij")]


def _csr(
    rows: torch.Tensor, columns: torch.Tensor, values: torch.Tensor, shape: tuple[int, int]
) -> torch.Tensor:
    """The sparse matrix with ``values`` at (``rows``, ``columns``), in CSR form with 32-bit indices (which
    the CPU product uses without converting them on every call)."""
    matrix = torch.sparse_coo_tensor(torch.stack([rows, columns]), values, shape, check_invariants=True)
    with quiet_sparse_csr():
        csr = matrix.coalesce().to_sparse_csr()
        indices = csr.crow_indices().to(torch.int32), csr.col_indices().to(torch.int32)
        return torch.sparse_csr_tensor(*indices, csr.values(), csr.shape, check_invariants=True)


def _fan_in(pairs: Sequence[tuple[int, int]], irreps_in: o3.Irreps) -> dict[int, int]:
    """Sum of the input multiplicities reaching each output instance: e3nn's "element" normalisation."""
    fan_in: defaultdict[int, int] = defaultdict(int)
    for i, k in pairs:
        fan_in[k] += irreps_in[i].mul
    return fan_in


def _sparse_mm(matrix: torch.Tensor, dense: torch.Tensor) -> torch.Tensor:
    """The product of a sparse CSR ``matrix`` and a ``dense`` one, written straight into uninitialised
    memory: ``matrix @ dense`` zero-fills its result and copies it once more, two passes over it that cost
    as much as the product (with ``beta=0`` the initial values are ignored, NaN included)."""
    out = dense.new_empty(matrix.shape[0], dense.shape[1])
    return torch.addmm(out, matrix, dense, beta=0, out=out)


def _add_product(total: torch.Tensor | None, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``total + a @ b``, in place; ``a @ b`` when there is no ``total`` yet (the first chunk of edges)."""
    return a @ b if total is None else total.addmm_(a, b)


def _mix(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The batched product ``a @ b`` of (E, p, q) and (E, q, r) matrices; with a 1 among p, q, r as a
    broadcast product and sum, which is faster than a batch of tiny matrix products."""
    if a.shape[1] == 1:
        return (a.transpose(1, 2) * b).sum(dim=1, keepdim=True)
    if b.shape[2] == 1:
        return (a * b.transpose(1, 2)).sum(dim=2, keepdim=True)
    if a.shape[2] == 1:
        return a * b
    return torch.bmm(a, b)


class Convolution(torch.nn.Module):
    r"""The fused convolution ``conv(x, geometry) -> y`` from ``irreps_in`` to ``irreps_out``.

    Parameters
    ----------
    irreps_in, irreps_sh, irreps_out : e3nn.o3.Irreps
        Input features, edge harmonics and output features.
    number_of_basis, radial_neurons : int
        Width of the radial basis and of the radial MLP's hidden layer.
    num_neighbors : float
        :math:`n`, the edge sum is divided by :math:`\sqrt n`.
    init_scale : float
        Factor on the initial radial output and linear weights.
    columns : sequence of int, optional
        Output column ``c`` is column ``columns[c]`` of ``irreps_out``'s layout (default: in order).
    dtype, device : optional
        Of the weights and constant tables (default float64, the CPU). The weights are drawn in float64
        and converted, so that a seed gives the same layer in either dtype.

    Raises
    ------
    ValueError
        If an output irrep has no tensor-product path from ``irreps_in`` and the harmonics.

    Attributes
    ----------
    radial_hidden : torch.nn.Parameter
        (radial_neurons, number_of_basis): the first layer of the radial MLP (the transpose of
        ``FullyConnectedNet``'s first weight).
    radial_mixing : torch.nn.Parameter
        (radial_neurons, ``weight_numel``): its output layer, ``FullyConnectedNet``'s last weight with its
        columns in mixing order, so that a chunk's mixing weights and their gradient are one product each
        with no copy; :meth:`e3nn_radial_weight` gives it with the columns in e3nn's order.
    linear : torch.nn.Parameter
        The self-interaction's weights, laid out as ``o3.Linear.weight``.
    """

    def __init__(
        self,
        irreps_in: o3.Irreps,
        irreps_sh: o3.Irreps,
        irreps_out: o3.Irreps,
        *,
        number_of_basis: int,
        radial_neurons: int,
        num_neighbors: float,
        init_scale: float = 1.0,
        columns: Sequence[int] | None = None,
        dtype: torch.dtype | None = None,
        device: torch.device | str | None = None,
    ) -> None:
        super().__init__()
        self.irreps_in, self.irreps_sh, self.irreps_out = irreps_in, irreps_sh, irreps_out
        self.dim_in, self.dim_sh, self.dim_out = irreps_in.dim, irreps_sh.dim, irreps_out.dim
        missing = [str(ir) for _, ir in irreps_out if not tp_path_exists(irreps_in, irreps_sh, ir)]
        if missing:
            raise ValueError(
                f"irreps {', '.join(missing)} cannot be built from {irreps_in} with edge harmonics "
                f"{irreps_sh}: no tensor-product path"
            )
        self.paths = tensor_product_paths(irreps_in, irreps_sh, irreps_out)
        self.num_neighbors = num_neighbors
        order = range(irreps_out.dim) if columns is None else columns
        self.permuted = list(order) != list(range(irreps_out.dim))
        columns = torch.as_tensor(list(order), dtype=torch.long)
        self.register_buffer("columns", columns, persistent=False)
        self.register_buffer("position", torch.argsort(columns), persistent=False)
        self.weight_numel = sum(irreps_in[i].mul * irreps_out[k].mul for i, _, k in self.paths)
        self._build_linear()
        self._build_tensor_product(radial_neurons)
        # drawn in FullyConnectedNet's (in, out) layout and stored transposed, so that layers are by column
        f64 = torch.float64
        hidden = torch.randn(number_of_basis, radial_neurons, dtype=f64)
        out = init_scale * torch.randn(radial_neurons, self.weight_numel, dtype=f64)
        self.radial_hidden = torch.nn.Parameter(hidden.T.contiguous())
        self.radial_mixing = torch.nn.Parameter(out.index_select(1, self.weight_of))
        self.linear = torch.nn.Parameter(init_scale * torch.randn(self.linear_numel, dtype=f64))
        self.to(dtype=dtype or torch.float64, device=device)

    def extra_repr(self) -> str:
        return f"{self.irreps_in} x {self.irreps_sh} -> {self.irreps_out}, {len(self.paths)} paths"

    def _build_tensor_product(self, radial_neurons: int) -> None:
        irreps_in, irreps_sh, irreps_out = self.irreps_in, self.irreps_sh, self.irreps_out
        fan_in = _fan_in([(i, k) for i, _, k in self.paths], irreps_in)
        # 1/sqrt(n) of the edge sum, 1/sqrt(2) of the layer, c/sqrt(h) of the radial MLP's last layer
        scale = normalization(torch.nn.functional.silu) / math.sqrt(2 * self.num_neighbors * radial_neurons)
        starts_in, starts_sh, starts_out = (
            [s.start for s in irreps.slices()] for irreps in (irreps_in, irreps_sh, irreps_out)
        )
        coupling = []  # (rows, columns, values) of T = S (x_src ⊗ attr)
        slots = [sum(irreps_in[i].mul for i, _, k2 in self.paths if k2 == k) for k in range(len(irreps_out))]
        # the coupled products and the mixing weights: those of the expanded outputs first, then those of
        # the batched ones (which are read by edge, transposed at once)
        expanded = [
            mul <= (EXPAND_SCALAR_MULTIPLICITY if ir.dim == 1 else EXPAND_MULTIPLICITY)
            for mul, ir in irreps_out
        ]
        #: Rows of the coupled products of the expanded outputs; those of the batched ones follow.
        self.expanded_rows = sum(slots[k] * ir.dim for k, (_, ir) in enumerate(irreps_out) if expanded[k])
        t_starts, at = [0] * len(irreps_out), [0, self.expanded_rows]
        for k, (_, ir) in enumerate(irreps_out):
            t_starts[k] = at[not expanded[k]]
            at[not expanded[k]] += slots[k] * ir.dim
        rows = at[1]
        self.expanded_weights = sum(mul * slots[k] for k, (mul, _) in enumerate(irreps_out) if expanded[k])
        w_starts, at = [0] * len(irreps_out), [0, self.expanded_weights]
        for k, (mul, _) in enumerate(irreps_out):
            w_starts[k] = at[not expanded[k]]
            at[not expanded[k]] += mul * slots[k]
        weight_of = torch.zeros(self.weight_numel, dtype=torch.long)
        filled = [0] * len(irreps_out)
        weight_at = 0
        for i, j, k in self.paths:
            (mul_in, ir_in), (_, ir_sh), (mul_out, ir_out) = irreps_in[i], irreps_sh[j], irreps_out[k]
            d1, d3 = ir_in.dim, ir_out.dim
            cg = o3.wigner_3j(ir_in.l, ir_sh.l, ir_out.l, dtype=torch.float64)
            cg = cg * (math.sqrt(d3 / fan_in[k]) * scale)
            m1, m2, m3 = (cg != 0).nonzero().T
            u = torch.arange(mul_in).repeat_interleave(len(m1))
            m1, m2, m3, values = (
                m1.repeat(mul_in),
                m2.repeat(mul_in),
                m3.repeat(mul_in),
                cg[m1, m2, m3].repeat(mul_in),
            )
            row = t_starts[k] + (filled[k] + u) * d3 + m3
            column = (starts_in[i] + u * d1 + m1) * irreps_sh.dim + starts_sh[j] + m2  # pair (x, attr)
            coupling.append((row, column, values))
            # the weight of (u, w) of this path is entry (w, slot) of output k's mixing matrix
            uu, ww = _grid(mul_in, mul_out)
            weight_of[w_starts[k] + ww * slots[k] + filled[k] + uu] = weight_at + uu * mul_out + ww
            filled[k] += mul_in
            weight_at += mul_in * mul_out
        self.pairs = irreps_in.dim * irreps_sh.dim
        self._register_table("coupling", coupling, (rows, self.pairs))
        self.register_buffer("weight_of", weight_of, persistent=False)
        self.register_buffer("weight_at", torch.argsort(weight_of), persistent=False)
        #: The expanded outputs, each as (first row of its coupled products, first mixing weight, first output column,
        #: multiplicity, dimension, slots) of each, as :attr:`batched` but with the first rows absolute.
        self.expanded = [
            (t_starts[k], w_starts[k], starts_out[k], mul, ir.dim, slots[k])
            for k, (mul, ir) in enumerate(irreps_out)
            if expanded[k]
        ]
        self.batched = [
            (
                t_starts[k] - self.expanded_rows,
                w_starts[k] - self.expanded_weights,
                starts_out[k],
                mul,
                ir.dim,
                slots[k],
            )
            for k, (mul, ir) in enumerate(irreps_out)
            if not expanded[k]
        ]
        # ... and one term (w, s, m3) per product W_{w s} T_{s m3}, summed into output (w, m3)
        terms = [
            (w0 + w * slots + s, t0 + s * d3 + m, start + w * d3 + m)
            for t0, w0, start, mul, d3, slots in self.expanded
            for w, s, m in zip(*(axis.tolist() for axis in _grid(mul, slots, d3)), strict=True)
        ]
        for name, column in zip(("term_weight", "term_coupled", "term_output"), range(3), strict=True):
            values = [term[column] for term in terms]
            self.register_buffer(name, torch.tensor(values, dtype=torch.long), persistent=False)
        #: Whether term ``t`` reads row ``t`` of the coupled products (every expanded output of multiplicity
        #: one): then the products are read as they are, with no gather, and their gradient written in place.
        self.terms_in_order = [term[1] for term in terms] == list(range(self.expanded_rows))
        #: Numbers per edge of the largest product a chunk of edges holds at once, the outer products of
        #: features and harmonics apart (:meth:`_chunks`).
        self.width = max(self.coupling.shape[0], len(terms), self.weight_numel)
        # What the gradient computes again rather than keeps: the coupled products T or the mixing weights W,
        # whichever costs less (a number of a sparse or elementwise pass is counted as GEMM_COST
        # multiply-adds of a matrix product); W is kept also when it is smaller than the products.
        recompute_weights = self.weight_numel * radial_neurons / GEMM_COST < self.pairs + self.coupling._nnz()
        #: Whether the edges' coupled products are kept for the gradient (else computed again there).
        self.keep_coupled = recompute_weights
        #: Whether the edges' mixing weights are kept for the gradient (else computed again there).
        self.keep_weights = not recompute_weights or self.weight_numel <= self.pairs
        #: The fewest edges per distinct basis row at which evaluating the radial MLP once per row pays
        #: (:class:`~symmetry_tasks.nn.Edges`): two, the directions of a pair, when the matrix products of the
        #: batched outputs' weights (three per edge) cost more than a pass over the edges' outer products.
        batched_weights = self.weight_numel - self.expanded_weights
        paired = batched_weights * radial_neurons / GEMM_COST > self.pairs
        self.edges_per_kind = PAIRED_EDGES_PER_KIND if paired else EDGES_PER_KIND

    def _register_table(
        self,
        name: str,
        entries: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]],
        shape: tuple[int, int],
    ) -> None:
        """Register the sparse matrix of ``entries`` (rows, columns, values) as ``name``, its transpose as
        ``name_t``."""
        if entries:
            rows, columns, values = (torch.cat(part) for part in zip(*entries, strict=True))
        else:
            rows = columns = torch.zeros(0, dtype=torch.long)
            values = torch.zeros(0, dtype=torch.float64)
        self.register_buffer(name, _csr(rows, columns, values, shape), persistent=False)
        self.register_buffer(f"{name}_t", _csr(columns, rows, values, shape[::-1]), persistent=False)

    def _build_linear(self) -> None:
        irreps_in, irreps_out = self.irreps_in, self.irreps_out
        pairs = [
            (i, k) for i, (_, a) in enumerate(irreps_in) for k, (_, b) in enumerate(irreps_out) if a == b
        ]
        fan_in = _fan_in(pairs, irreps_in)
        starts_in, starts_out = ([s.start for s in irreps.slices()] for irreps in (irreps_in, irreps_out))
        entries = []
        at = 0
        for i, k in pairs:
            (mul_in, ir), mul_out = irreps_in[i], irreps_out[k].mul
            u, w, m = _grid(mul_in, mul_out, ir.dim)
            entry = (starts_out[k] + w * ir.dim + m) * irreps_in.dim + starts_in[i] + u * ir.dim + m
            scale = torch.full((len(u),), 1 / math.sqrt(2 * fan_in[k]), dtype=torch.float64)
            entries.append((entry, at + u * mul_out + w, scale))
            at += mul_in * mul_out
        self.linear_numel = at
        # entry (output, input) of the (dim_out, dim_in) self-interaction matrix <- its weight, times 1/sqrt(2 fan-in)
        columns = zip(*entries, strict=True) if entries else [[torch.zeros(0, dtype=torch.long)]] * 3
        entry, weight, scale = (torch.cat(column) for column in columns)
        self.register_buffer("linear_entry", entry, persistent=False)
        self.register_buffer("linear_weight", weight, persistent=False)
        self.register_buffer("linear_scale", scale.double(), persistent=False)

    def _linear_matrix(self) -> torch.Tensor:
        r"""The self-interaction matrix :math:`L` (dim_out, dim_in): each entry of a block between equal irreps
        is one of the weights ``linear`` times :math:`1/\sqrt{2\,\text{fan-in}}`, the others zero."""
        table = self._buffers
        values = self._parameters["linear"].index_select(0, table["linear_weight"]) * table["linear_scale"]
        matrix = values.new_zeros(self.dim_out * self.dim_in).index_copy_(0, table["linear_entry"], values)
        return matrix.view(self.dim_out, self.dim_in)

    def _linear_gradient(self, grad_matrix: torch.Tensor) -> torch.Tensor:
        """The gradient of the weights ``linear`` from that of :meth:`_linear_matrix`, (dim_out, dim_in)."""
        table = self._buffers
        per_entry = grad_matrix.view(-1).index_select(0, table["linear_entry"]) * table["linear_scale"]
        return per_entry.new_zeros(self.linear_numel).index_add_(0, table["linear_weight"], per_entry)

    def forward(self, x: torch.Tensor, geometry: Geometry) -> torch.Tensor:
        r"""Convolve features ``x`` of shape :math:`(N, \dim \mathrm{irreps\_in})` on the edges of ``geometry``:
        :math:`(N, \dim \mathrm{irreps\_out})`, as e3nn's modules take and return them."""
        return chain([self], x.T, geometry).T  # the layers hold features by column

    def _piece_edges(self) -> int:
        """Edges of a piece (:meth:`_pieces`): :data:`PIECE_EDGES`, or fewer if their outer products would
        hold more than :data:`CHUNK_ELEMENTS` numbers."""
        return max(1, min(PIECE_EDGES, CHUNK_ELEMENTS // self.pairs))

    def _chunks(self, n_edges: int) -> list[slice]:
        """Slices of the edges such that the products of a chunk hold at most :data:`CHUNK_ELEMENTS` numbers:
        the outer products of features and harmonics of a piece at a time when a chunk has more edges than
        a piece (the radial MLP's matrix products then run on more edges at once), of the whole chunk
        otherwise."""
        size = CHUNK_ELEMENTS // self.width
        if size <= self._piece_edges():
            size = max(1, CHUNK_ELEMENTS // max(self.width, self.pairs))
        return [slice(start, min(start + size, n_edges)) for start in range(0, max(n_edges, 1), size)]

    def _pieces(self, c: int) -> list[slice]:
        """The columns of a chunk of ``c`` edges in pieces of :meth:`_piece_edges` edges."""
        size = self._piece_edges()
        return [slice(start, min(start + size, c)) for start in range(0, max(c, 1), size)]

    def _couple(self, x: torch.Tensor, chunk: EdgeChunk) -> torch.Tensor:
        r"""The coupled products :math:`T = S\,(x_\mathrm{src} \otimes \mathrm{attr})` of the edges of ``chunk``,
        (rows, c), piece by piece (:meth:`_pieces`): the outer products of a piece are read by the sparse
        product while they are still in cache, rather than written to memory and read back."""
        coupling, c = self._buffers["coupling"], len(chunk.src)
        x_src = x.index_select(1, chunk.src).unsqueeze(1)
        pieces = self._pieces(c)
        if len(pieces) == 1:  # (the chunk is a single piece, or empty)
            return _sparse_mm(coupling, (x_src * chunk.attr_t).flatten(0, 1))
        coupled = x.new_empty(coupling.shape[0], c)
        buffer = x.new_empty(self.pairs * (pieces[0].stop - pieces[0].start))  # reused by every piece
        for at in pieces:
            outer = buffer[: self.pairs * (at.stop - at.start)].view(len(x), -1, at.stop - at.start)
            torch.mul(x_src[:, :, at], chunk.attr_t[:, :, at], out=outer)
            torch.addmm(coupled[:, at], coupling, outer.view(self.pairs, -1), beta=0, out=coupled[:, at])
        return coupled

    def _couple_gradient(
        self,
        grad_coupled: torch.Tensor,
        x: torch.Tensor,
        grad_x: torch.Tensor | None,
        chunk: EdgeChunk,
        need_attr: bool,
    ) -> torch.Tensor | None:
        r"""Through the coupling step of the edges of ``chunk``, piece by piece as :meth:`_couple`: the
        gradient :math:`S^\top \bar T` of the outer products, contracted with the harmonics and added into
        the sources' columns of ``grad_x`` (if given); returned contracted with the source features, the
        gradient of the harmonics (1, dim_sh, c), if ``need_attr``."""
        coupling_t, c = self._buffers["coupling_t"], len(chunk.src)
        x_src = x.index_select(1, chunk.src).unsqueeze(1) if need_attr else None
        pieces = self._pieces(c)
        if len(pieces) == 1:  # (the chunk is a single piece, or empty)
            grad_pairs = _sparse_mm(coupling_t, grad_coupled).view(len(x), self.dim_sh, -1)
            grad_attr = None if x_src is None else (grad_pairs * x_src).sum(dim=0, keepdim=True)
            if grad_x is not None:  # (in place: the products are not read again)
                grad_x.index_add_(1, chunk.src, grad_pairs.mul_(chunk.attr_t).sum(dim=1))
            return grad_attr
        grad_attr = None if x_src is None else grad_coupled.new_empty(1, self.dim_sh, c)
        grad_x_src = None if grad_x is None else grad_coupled.new_empty(len(x), c)
        for at in pieces:
            grad_pairs = _sparse_mm(coupling_t, grad_coupled[:, at]).view(len(x), self.dim_sh, -1)
            if grad_attr is not None:
                torch.sum(grad_pairs * x_src[:, :, at], dim=0, keepdim=True, out=grad_attr[:, :, at])
            if grad_x_src is not None:
                torch.sum(grad_pairs.mul_(chunk.attr_t[:, :, at]), dim=1, out=grad_x_src[:, at])
        if grad_x is not None:
            grad_x.index_add_(1, chunk.src, grad_x_src)
        return grad_attr

    def e3nn_radial_weight(self) -> torch.Tensor:
        """The radial MLP's output layer as e3nn lays it out: (radial_neurons, ``weight_numel``),
        ``FullyConnectedNet``'s last weight, its columns the tensor-product weights path by path, each path
        a (mul_in, 1, mul_out) block, as the weights of a ``TensorProduct``."""
        return self.radial_mixing.index_select(1, self.weight_at)

    def _radial_parts(self) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """The columns of ``radial_mixing`` that make the expanded outputs' weights and those that make the
        batched outputs' weights (``None`` if there are no such outputs)."""
        radial, split = self._parameters["radial_mixing"], self.expanded_weights
        if not self.batched:
            return radial, None
        return (radial[:, :split] if self.expanded else None), radial[:, split:]

    def _weights(
        self, hidden: torch.Tensor, local: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """The mixing weights of a chunk's edges from the radial MLP's hidden layer of its edge kinds
        (:class:`~symmetry_tasks.nn.Edges`; ``local``, the kind of each edge, ``None`` if each edge is its
        own): those of the expanded outputs by row (weights, c), made from each edge's hidden layer; those
        of the batched outputs by edge (c, weights), made once per kind and gathered by rows."""
        expanded, batched = self._radial_parts()
        by_row = by_edge = None
        if expanded is not None:
            by_row = expanded.T @ (hidden if local is None else hidden.index_select(1, local))
        if batched is not None:
            by_edge = hidden.T @ batched
            by_edge = by_edge if local is None else by_edge.index_select(0, local)
        return by_row, by_edge

    def _term_products(self, coupled: torch.Tensor) -> torch.Tensor:
        """The coupled product of each term of the expanded outputs, (terms, c), from those of a chunk."""
        if self.terms_in_order:
            return coupled[: self.expanded_rows] if self.batched else coupled
        return coupled.index_select(0, self._buffers["term_coupled"])

    def _mix_expanded(self, by_row: torch.Tensor, coupled: torch.Tensor) -> torch.Tensor:
        r"""The expanded outputs on a chunk's edges, (dim_out, c), the rows of the batched outputs zero:
        :math:`M_{w m_3} = \sum_s W_{w s}\, T_{s m_3}` for each.

        From :data:`BROADCAST_EDGES` edges on, one output irrep at a time: a product of its weights
        (broadcast over :math:`m_3`) and coupled products (over :math:`w`) and its sum over the slots
        :math:`s`, each pass over numbers of this output only. On fewer edges, where the cost is that of
        the operations rather than of the numbers, all outputs at once: the weights gathered to the terms
        (``term_weight``), one product, and an indexed sum of the terms into the outputs (``term_output``).
        """
        table, c = self._buffers, coupled.shape[1]
        if c < BROADCAST_EDGES:
            products = by_row.index_select(0, table["term_weight"]) * self._term_products(coupled)
            return products.new_zeros(self.dim_out, c).index_add_(0, table["term_output"], products)
        mixed = coupled.new_zeros(self.dim_out, c) if self.batched else coupled.new_empty(self.dim_out, c)
        for t0, w0, start, mul, d3, slots in self.expanded:
            weights = by_row[w0 : w0 + mul * slots].view(mul, slots, 1, c)
            products = coupled[t0 : t0 + slots * d3].view(1, slots, d3, c)
            torch.sum(weights * products, dim=1, out=mixed[start : start + mul * d3].view(mul, d3, c))
        return mixed

    def _mix_expanded_gradient(
        self,
        grad_mixed: torch.Tensor,
        by_row: torch.Tensor,
        coupled: torch.Tensor,
        grad_coupled: torch.Tensor | None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        r"""The gradient of the expanded outputs' mixing weights, (expanded weights, c), from that of the
        outputs on the chunk's edges ``grad_mixed`` (dim_out, c): :math:`\bar W_{w s} = \sum_{m_3}
        \bar M_{w m_3} T_{s m_3}`; and that of the coupled products, :math:`\bar T_{s m_3} = \sum_w W_{w s}
        \bar M_{w m_3}`, written into the rows of ``grad_coupled`` they fill (made here if ``None``: then
        there are no batched outputs). By output irrep or all at once, as :meth:`_mix_expanded`."""
        table, c = self._buffers, coupled.shape[1]
        if c < BROADCAST_EDGES:
            grad_products = grad_mixed.index_select(0, table["term_output"])
            grad_by_row = by_row.new_zeros(by_row.shape).index_add_(
                0, table["term_weight"], grad_products * self._term_products(coupled)
            )
            weights = by_row.index_select(0, table["term_weight"])
            if self.terms_in_order:
                if grad_coupled is None:
                    return grad_by_row, grad_products * weights
                torch.mul(grad_products, weights, out=grad_coupled[: self.expanded_rows])
                return grad_by_row, grad_coupled
            if grad_coupled is None:
                grad_coupled = coupled.new_zeros(coupled.shape)
            else:
                grad_coupled[: self.expanded_rows].zero_()
            grad_coupled.index_add_(0, table["term_coupled"], grad_products * weights)
            return grad_by_row, grad_coupled
        if grad_coupled is None:
            grad_coupled = coupled.new_empty(coupled.shape)
        grad_by_row = by_row.new_empty(by_row.shape)
        for t0, w0, start, mul, d3, slots in self.expanded:
            grad = grad_mixed[start : start + mul * d3].view(mul, 1, d3, c)
            products = coupled[t0 : t0 + slots * d3].view(1, slots, d3, c)
            torch.sum(grad * products, dim=2, out=grad_by_row[w0 : w0 + mul * slots].view(mul, slots, c))
            weights = by_row[w0 : w0 + mul * slots].view(mul, slots, 1, c)
            grad_products = grad_coupled[t0 : t0 + slots * d3].view(slots, d3, c)
            if mul == 1:  # (no sum over w: written in place)
                torch.mul(weights[0], grad[0], out=grad_products)
            else:
                torch.sum(weights * grad, dim=0, out=grad_products)
        return grad_by_row, grad_coupled

    def evaluate(self, x: torch.Tensor, edges: Edges) -> tuple[torch.Tensor, tuple]:
        """The output for features ``x`` (by column) and what :meth:`gradient` needs of this evaluation."""
        table, weight = self._buffers, self._parameters  # plain dicts: cheaper than module attributes
        matrix = self._linear_matrix()
        y = matrix @ x  # (dim_out, N): the self-interaction, onto which every edge is added
        caches = []
        for part in self._chunks(len(edges.src)):
            chunk = edges.chunk(part)
            coupled = self._couple(x, chunk)
            hidden_in = weight["radial_hidden"] @ chunk.radial_t
            hidden = torch.nn.functional.silu(hidden_in)
            by_row, by_edge = self._weights(hidden, chunk.local)  # one radial MLP per distinct basis row
            if self.expanded:
                y.index_add_(1, chunk.dst, self._mix_expanded(by_row, coupled))
            # the batched outputs' products by edge, (c, rows): one copy for all their blocks
            by_edge_coupled = coupled[self.expanded_rows :].T.contiguous() if self.batched else None
            for t0, w0, start, mul, d3, slots in self.batched:
                mixed = _mix(
                    by_edge[:, w0 : w0 + mul * slots].view(-1, mul, slots),
                    by_edge_coupled[:, t0 : t0 + slots * d3].view(-1, slots, d3),
                )
                y[start : start + mul * d3].index_add_(1, chunk.dst, mixed.view(-1, mul * d3).T)
            caches.append(
                (
                    coupled if self.keep_coupled else None,
                    hidden_in,
                    hidden,
                    (by_row, by_edge) if self.keep_weights else None,
                )
            )
        y = y.index_select(0, table["columns"]) if self.permuted else y
        return y, (x, matrix, caches)

    def gradient(
        self, grad: torch.Tensor, cache: tuple, edges: Edges, need_input: bool
    ) -> tuple[torch.Tensor | None, list[torch.Tensor]]:
        r"""The gradients of the input and of (``radial_hidden``, ``radial_mixing``, ``linear``) from ``grad``.

        With :math:`T = S\,(x_\mathrm{src} \otimes \mathrm{attr})` (coupling table :math:`S`),
        :math:`h = \mathrm{silu}(W_1 \mathrm{basis})`, :math:`G = W_2^\top h` (:math:`W_2` is
        ``radial_mixing``, its columns in the order of each output's mixing matrices) and :math:`L` the self-interaction
        matrix, the layer is :math:`y = L x + \sum_{e \to a} (G_k T_k)_e`, summed over the output irreps
        :math:`k`; chunk by chunk over the edges, as :meth:`evaluate` ran.
        """
        table, weight = self._buffers, self._parameters
        x, matrix, caches = cache
        radial_expanded, radial_batched = self._radial_parts()
        if self.permuted:
            grad = grad.index_select(0, table["position"])
        grad_linear = self._linear_gradient(grad @ x.T)
        grad_x = matrix.T @ grad if need_input else None
        # sums over the chunks of the weight gradients: the expanded and batched columns of radial_mixing
        # (radial_neurons, weights) and radial_hidden
        grad_expanded = grad_batched = grad_radial_hidden = None
        grad_attr, grad_basis = [], []
        for part, (coupled, hidden_in, hidden, weights) in zip(
            self._chunks(len(edges.src)), caches, strict=True
        ):
            chunk = edges.chunk(part)
            local = chunk.local
            by_row, by_edge = self._weights(hidden, local) if weights is None else weights
            if coupled is None:
                coupled = self._couple(x, chunk)
            grad_by_row = grad_by_edge = None
            if self.batched:  # by edge, (c, T), then transposed once
                grad_by_edge = by_edge.new_empty(by_edge.shape)
                grad_edges = grad.T.index_select(0, chunk.dst)  # (c, dim_out): each block contiguous
                by_edge_coupled = coupled[self.expanded_rows :].T.contiguous()
                grad_by_edge_coupled = coupled.new_zeros(by_edge_coupled.shape)
            for t0, w0, start, mul, d3, slots in self.batched:
                g = grad_edges[:, start : start + mul * d3].view(-1, mul, d3)
                t = by_edge_coupled[:, t0 : t0 + slots * d3].view(-1, slots, d3)
                w = by_edge[:, w0 : w0 + mul * slots].view(-1, mul, slots)
                grad_by_edge[:, w0 : w0 + mul * slots] = _mix(g, t.transpose(1, 2)).view(-1, mul * slots)
                grad_by_edge_coupled[:, t0 : t0 + slots * d3] = _mix(w.transpose(1, 2), g).view(
                    -1, slots * d3
                )
            grad_coupled = None
            if self.batched:
                grad_coupled = coupled.new_empty(coupled.shape)
                grad_coupled[self.expanded_rows :] = grad_by_edge_coupled.T
            if self.expanded:
                grad_by_row, grad_coupled = self._mix_expanded_gradient(
                    grad.index_select(1, chunk.dst), by_row, coupled, grad_coupled
                )
            # the gradients of the hidden layer and of the batched weights are summed over the edges of each kind
            grad_hidden = None
            if grad_by_row is not None:
                hidden_edges = hidden if local is None else hidden.index_select(1, local)
                grad_expanded = _add_product(grad_expanded, hidden_edges, grad_by_row.T)
                grad_hidden = radial_expanded @ grad_by_row
                if local is not None:
                    grad_hidden = grad_hidden.new_zeros(hidden.shape).index_add_(1, local, grad_hidden)
            if grad_by_edge is not None:
                if local is not None:
                    grad_by_edge = grad_by_edge.new_zeros(hidden.shape[1], grad_by_edge.shape[1]).index_add_(
                        0, local, grad_by_edge
                    )
                from_edges = radial_batched @ grad_by_edge.T
                grad_hidden = from_edges if grad_hidden is None else grad_hidden + from_edges
                grad_batched = _add_product(grad_batched, hidden, grad_by_edge)
            grad_hidden_in = torch.ops.aten.silu_backward(grad_hidden, hidden_in)
            grad_radial_hidden = _add_product(grad_radial_hidden, grad_hidden_in, chunk.radial_t.T)
            if edges.need_grad:
                grad_basis.append(weight["radial_hidden"].T @ grad_hidden_in)
            if need_input or edges.need_grad:
                grad_attr_part = self._couple_gradient(grad_coupled, x, grad_x, chunk, edges.need_grad)
                if grad_attr_part is not None:
                    grad_attr.append(grad_attr_part)
        if edges.need_grad:
            edges.add_grad(torch.cat(grad_attr, dim=2), torch.cat(grad_basis, dim=1))
        parts = [part for part in (grad_expanded, grad_batched) if part is not None]
        grad_radial = parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)
        return grad_x, [grad_radial_hidden, grad_radial, grad_linear]
