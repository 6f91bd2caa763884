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
paths and edges at once, whose work and memory follow the nonzero Clebsch-Gordan entries and the
weights:

1. harmonics: for every distinct triple :math:`t = (l_1, j, l_3)` of the paths,
   :math:`U_{t,\,m_1 m_3,\,e} = \sum_{m_2} C^t_{m_1 m_2 m_3}\, \mathrm{attr}_{e,\,j m_2}`: one sparse product
   with the edge attributes (rows only where :math:`C^t_{m_1 \cdot m_3} \neq 0`);
2. coupling: :math:`T_{(k, s, m_3),\,e} = \alpha_p \sum_{m_1} U_{t(p),\,m_1 m_3,\,e}\, x_{\mathrm{src}(e),\,i u m_1}` for
   each *slot* :math:`s = (p, u)` of a path :math:`p` into output :math:`k`: two gathers, a product and a
   sparse sum, with no output channel :math:`w` in it;
3. mixing: :math:`M_{k w m_3,\,e} = \sum_s W_{e,\,(p u w)(s)}\, T_{(k, s, m_3),\,e}`: one batched matrix product per
   output irrep :math:`k`, over the edges;
4. :math:`M` is added into the destination points with ``index_add``, onto the self-interaction.

Every constant (:math:`\alpha_p`, :math:`1/\sqrt{2n}`, :math:`c/\sqrt h`) is folded into the tables of
step 2. Steps 1 and 2 run over chunks of edges when their products would exceed :data:`CHUNK_ELEMENTS`
numbers. The gradient of these steps is written out (:meth:`Convolution.gradient`, run by
:func:`~symmetry_tasks.nn.chain`). The output columns may be put in any order (``columns``): the gate
then reads its three parts as contiguous blocks.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import torch
from e3nn import o3
from e3nn.nn.models.gate_points_2101 import tp_path_exists

from .autodiff import Edges, chain
from .gate import normalization
from .geometry import Geometry
from .torch_settings import quiet_sparse_csr

#: Most numbers the coupling step gathers at once (products of harmonics and features): beyond, the edges
#: are taken in chunks.
CHUNK_ELEMENTS = 2**22


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
    radial_out : torch.nn.Parameter
        (``weight_numel``, radial_neurons): its output layer (the transpose of ``FullyConnectedNet``'s last
        weight), the tensor-product weights path by path, each path a (mul_in, 1, mul_out) block, as e3nn lays
        out the weights of a ``TensorProduct``.
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
        self.radial_out = torch.nn.Parameter(out.T.contiguous())
        self.linear = torch.nn.Parameter(init_scale * torch.randn(self.linear_numel, dtype=f64))
        self.to(dtype=dtype or torch.float64, device=device)

    def extra_repr(self) -> str:
        return f"{self.irreps_in} x {self.irreps_sh} -> {self.irreps_out}, {len(self.paths)} paths"

    def _build_tensor_product(self, radial_neurons: int) -> None:
        irreps_in, irreps_sh, irreps_out = self.irreps_in, self.irreps_sh, self.irreps_out
        fan_in = _fan_in([(i, k) for i, _, k in self.paths], irreps_in)
        # 1/sqrt(n) of the edge sum, 1/sqrt(2) of the layer, c/sqrt(h) of the radial MLP's last layer
        scale = normalization(torch.nn.functional.silu) / math.sqrt(2 * self.num_neighbors * radial_neurons)
        starts_in, starts_sh = ([s.start for s in irreps.slices()] for irreps in (irreps_in, irreps_sh))
        coupling = []  # (rows, columns, values) of T = S (x_src ⊗ attr)
        slots = [sum(irreps_in[i].mul for i, _, k2 in self.paths if k2 == k) for k in range(len(irreps_out))]
        t_starts = [0]
        for k, (_, ir) in enumerate(irreps_out):
            t_starts.append(t_starts[-1] + slots[k] * ir.dim)
        w_starts = [0]
        for k, (mul, _) in enumerate(irreps_out):
            w_starts.append(w_starts[-1] + mul * slots[k])
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
            # the weight of (u, w) of this path feeds row (w, slot) of output k's mixing matrix
            uu, ww = _grid(mul_in, mul_out)
            weight_of[w_starts[k] + ww * slots[k] + filled[k] + uu] = weight_at + uu * mul_out + ww
            filled[k] += mul_in
            weight_at += mul_in * mul_out
        self.slots = slots
        self.pairs = irreps_in.dim * irreps_sh.dim
        self._register_table("coupling", coupling, (t_starts[-1], self.pairs))
        self.register_buffer("weight_of", weight_of, persistent=False)
        self.register_buffer("weight_at", torch.argsort(weight_of), persistent=False)
        self.blocks = [
            (t_starts[k], w_starts[k], starts, mul, ir.dim, slots[k])
            for k, ((mul, ir), starts) in enumerate(
                zip(irreps_out, [s.start for s in irreps_out.slices()], strict=True)
            )
        ]

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
        # entry (output, input) of the (dim_out, dim_in) self-interaction matrix <- its weight, with 1/sqrt(2 fan-in)
        self._register_table("linear_matrix", entries, (irreps_out.dim * irreps_in.dim, at))

    def forward(self, x: torch.Tensor, geometry: Geometry) -> torch.Tensor:
        r"""Convolve features ``x`` of shape :math:`(N, \dim \mathrm{irreps\_in})` on the edges of ``geometry``:
        :math:`(N, \dim \mathrm{irreps\_out})`, as e3nn's modules take and return them."""
        return chain([self], x.T, geometry).T  # the layers hold features by column

    def _chunks(self, n_edges: int) -> list[slice]:
        """Slices of the edges such that the outer products of a chunk hold at most :data:`CHUNK_ELEMENTS` numbers."""
        size = max(1, CHUNK_ELEMENTS // self.pairs)
        return [slice(start, min(start + size, n_edges)) for start in range(0, max(n_edges, 1), size)]

    def _couple(self, x_src: torch.Tensor, attr_t: torch.Tensor) -> torch.Tensor:
        r""":math:`T = S\,(x_\mathrm{src} \otimes \mathrm{attr})`, chunk by chunk over the edges."""
        coupling = self._buffers["coupling"]
        parts = [
            coupling @ (x_src[:, part].unsqueeze(1) * attr_t[:, :, part]).flatten(0, 1)
            for part in self._chunks(x_src.shape[1])
        ]
        return parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)

    def evaluate(self, x: torch.Tensor, edges: Edges) -> tuple[torch.Tensor, tuple]:
        """The output for features ``x`` (by column) and what :meth:`gradient` needs of this evaluation."""
        table, weight = self._buffers, self._parameters  # plain dicts: cheaper than module attributes
        n_edges = len(edges.src)
        x_src = x.index_select(1, edges.src)
        coupled = self._couple(x_src, edges.attr_t)
        hidden_in = weight["radial_hidden"] @ edges.basis_t
        hidden = torch.nn.functional.silu(hidden_in)
        radial_out = weight["radial_out"].index_select(0, table["weight_of"])  # rows in mixing order
        gathered = hidden.T @ radial_out.T  # (E, weights): each edge's mixing matrices, contiguous
        coupled_by_edge = coupled.T  # (E, slots x d3) as a view: each block is made contiguous below
        mixed = torch.cat(
            [
                _mix(
                    gathered[:, w0 : w0 + mul * slots].view(n_edges, mul, slots),
                    coupled_by_edge[:, t0 : t0 + slots * d3].reshape(n_edges, slots, d3),
                ).view(n_edges, mul * d3)
                for t0, w0, _, mul, d3, slots in self.blocks
            ],
            dim=1,
        )
        matrix = (table["linear_matrix"] @ weight["linear"].unsqueeze(1)).view(-1, len(x))
        y = (x.T @ matrix.T).index_add_(0, edges.dst, mixed).T
        y = y.index_select(0, table["columns"]) if self.permuted else y.contiguous()
        return y, (x, x_src, coupled, hidden_in, hidden, gathered, matrix)

    def gradient(
        self, grad: torch.Tensor, cache: tuple, edges: Edges, need_input: bool
    ) -> tuple[torch.Tensor | None, list[torch.Tensor]]:
        r"""The gradients of the input and of (``radial_hidden``, ``radial_out``, ``linear``) from ``grad``.

        With :math:`T = S\,(x_\mathrm{src} \otimes \mathrm{attr})` (coupling table :math:`S`),
        :math:`h = \mathrm{silu}(W_1 \mathrm{basis})`, :math:`G = h^T (\Gamma W_2)^T` (:math:`\Gamma` orders the
        weights into each output's mixing matrices) and :math:`L` the self-interaction matrix, the layer is
        :math:`y = L x + \sum_{e \to a} (G_k T_k)_e`, summed over the output irreps :math:`k`.
        """
        table, weight = self._buffers, self._parameters
        x, x_src, coupled, hidden_in, hidden, gathered, matrix = cache
        n_edges = len(edges.src)
        if self.permuted:
            grad = grad.index_select(0, table["position"])
        grad_edges = grad.T.index_select(0, edges.dst)  # (E, dim_out)
        coupled_by_edge = coupled.T
        grad_gathered, grad_coupled = [], []
        for t0, w0, start, mul, d3, slots in self.blocks:
            g = grad_edges[:, start : start + mul * d3].view(n_edges, mul, d3)
            t = coupled_by_edge[:, t0 : t0 + slots * d3].reshape(n_edges, slots, d3)
            w = gathered[:, w0 : w0 + mul * slots].view(n_edges, mul, slots)
            grad_gathered.append(_mix(g, t.transpose(1, 2)).view(n_edges, mul * slots))
            grad_coupled.append(_mix(w.transpose(1, 2), g).view(n_edges, slots * d3))
        grad_gathered = torch.cat(grad_gathered, dim=1)  # (E, weights) in mixing order
        grad_coupled = torch.cat(grad_coupled, dim=1).T
        radial_out = weight["radial_out"].index_select(0, table["weight_of"])
        # back to radial_out's layout
        grad_weights_hidden = (hidden @ grad_gathered).T.index_select(0, table["weight_at"])
        grad_hidden_in = torch.ops.aten.silu_backward((grad_gathered @ radial_out).T, hidden_in)
        grad_linear = table["linear_matrix_t"] @ (grad @ x.T).view(-1, 1)
        grads = [grad_hidden_in @ edges.basis_t.T, grad_weights_hidden, grad_linear.view(-1)]
        if edges.need_grad:
            edges.add_grad(None, weight["radial_hidden"].T @ grad_hidden_in)
        grad_x = None
        if need_input or edges.need_grad:
            grad_attr, grad_x_src = [], []
            for part in self._chunks(n_edges):
                grad_pairs = (table["coupling_t"] @ grad_coupled[:, part]).view(
                    len(x), -1, part.stop - part.start
                )
                if edges.need_grad:
                    grad_attr.append((grad_pairs * x_src[:, part].unsqueeze(1)).sum(dim=0, keepdim=True))
                if need_input:
                    grad_x_src.append((grad_pairs * edges.attr_t[:, :, part]).sum(dim=1))
            if edges.need_grad:
                edges.add_grad(grad_attr[0] if len(grad_attr) == 1 else torch.cat(grad_attr, dim=2), None)
            if need_input:
                grad_x_src = grad_x_src[0] if len(grad_x_src) == 1 else torch.cat(grad_x_src, dim=1)
                grad_x = (matrix.T @ grad).index_add_(1, edges.src, grad_x_src)
        return grad_x, grads
