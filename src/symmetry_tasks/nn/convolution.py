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
paths and edges at once. Every constant (Clebsch-Gordan coefficients, :math:`\alpha_p`, :math:`1/\sqrt{2n}`,
:math:`c/\sqrt h`) is folded into one constant sparse table :math:`S`, built once, whose rows are *slots*:
each output component :math:`(k, w, m_3)` has one slot per input channel :math:`(p, u)` of a path into
:math:`k`. Then, for all edges at once,

1. coupling: :math:`C_{(k w m_3, s),\,e} = \sum S_{(k w m_3, s),\,(a b)}\, x_{\mathrm{src}(e),\,a}\,
   \mathrm{attr}_{e,\,b}`, one sparse product with the outer products of features and edge attributes;
2. mixing: :math:`M_{k w m_3,\,e} = \sum_s W_{e,\,(p u w)(s)}\, C_{(k w m_3, s),\,e}`: one gather of the edge
   weights, one product, one sum over the slots;
3. :math:`M` is added into the destination points with ``index_add``, onto the self-interaction.

The gradient of these steps is written out (:meth:`Convolution.gradient`, run by
:func:`~symmetry_tasks.nn.chain`). The output columns may be put in any order (``columns``) at no
cost: the gate then reads its three parts as contiguous blocks.
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
        self._position = torch.empty(irreps_out.dim, dtype=torch.long)
        self._position[torch.as_tensor(list(order), dtype=torch.long)] = torch.arange(irreps_out.dim)
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
        del self._position
        self.to(dtype=dtype or torch.float64, device=device)

    def extra_repr(self) -> str:
        return f"{self.irreps_in} x {self.irreps_sh} -> {self.irreps_out}, {len(self.paths)} paths"

    def _build_tensor_product(self, radial_neurons: int) -> None:
        irreps_in, irreps_sh, irreps_out = self.irreps_in, self.irreps_sh, self.irreps_out
        fan_in = _fan_in([(i, k) for i, _, k in self.paths], irreps_in)
        self.slots = max(fan_in.values(), default=0)  # terms summed into one output component, at most
        # 1/sqrt(n) of the edge sum, 1/sqrt(2) of the layer, c/sqrt(h) of the radial MLP's last layer
        scale = normalization(torch.nn.functional.silu) / math.sqrt(2 * self.num_neighbors * radial_neurons)
        starts_in, starts_sh, starts_out = (
            [s.start for s in irreps.slices()] for irreps in (irreps_in, irreps_sh, irreps_out)
        )
        coupling = []
        weight_of = torch.zeros(irreps_out.dim * self.slots, dtype=torch.long)
        filled: defaultdict[int, int] = defaultdict(int)  # slots already used by the paths into k
        weight_at = 0
        for i, j, k in self.paths:
            (mul_in, ir_in), (_, ir_sh), (mul_out, ir_out) = irreps_in[i], irreps_sh[j], irreps_out[k]
            d1, d2, d3 = ir_in.dim, ir_sh.dim, ir_out.dim
            cg = o3.wigner_3j(ir_in.l, ir_sh.l, ir_out.l, dtype=torch.float64)
            cg = cg * (math.sqrt(d3 / fan_in[k]) * scale)
            u, w, m3 = _grid(mul_in, mul_out, d3)
            slot = self._position[starts_out[k] + w * d3 + m3] * self.slots + filled[k] + u
            weight_of[slot] = weight_at + u * mul_out + w
            u, w, m1, m2, m3 = _grid(mul_in, mul_out, d1, d2, d3)
            keep = cg[m1, m2, m3] != 0
            u, w, m1, m2, m3 = u[keep], w[keep], m1[keep], m2[keep], m3[keep]
            row = self._position[starts_out[k] + w * d3 + m3] * self.slots + filled[k] + u
            column = (starts_in[i] + u * d1 + m1) * irreps_sh.dim + starts_sh[j] + m2  # pair (x, attr)
            coupling.append((row, column, cg[m1, m2, m3]))
            filled[k] += mul_in
            weight_at += mul_in * mul_out
        terms = irreps_out.dim * self.slots
        self._register_table("coupling", coupling, (terms, irreps_in.dim * irreps_sh.dim))
        slots = torch.arange(terms)
        ones = torch.ones(terms, dtype=torch.float64)
        self._register_table("slot_sum", [(slots // self.slots, slots, ones)], (irreps_out.dim, terms))
        self._register_table("weight_gather", [(slots, weight_of, ones)], (terms, self.weight_numel))
        self.register_buffer("weight_of", weight_of, persistent=False)

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
            entry = (
                self._position[starts_out[k] + w * ir.dim + m] * irreps_in.dim + starts_in[i] + u * ir.dim + m
            )
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

    def evaluate(self, x: torch.Tensor, edges: Edges) -> tuple[torch.Tensor, tuple]:
        """The output for features ``x`` (by column) and what :meth:`gradient` needs of this evaluation."""
        table, weight = self._buffers, self._parameters  # plain dicts: cheaper than module attributes
        x_src = x.index_select(1, edges.src)
        coupled = table["coupling"] @ (x_src.unsqueeze(1) * edges.attr_t).flatten(0, 1)
        hidden_in = weight["radial_hidden"] @ edges.basis_t
        hidden = torch.nn.functional.silu(hidden_in)
        gathered = (weight["radial_out"] @ hidden).index_select(0, table["weight_of"])
        matrix = (table["linear_matrix"] @ weight["linear"].unsqueeze(1)).view(-1, len(x))
        y = (matrix @ x).index_add_(1, edges.dst, table["slot_sum"] @ (gathered * coupled))
        return y, (x, x_src, coupled, hidden_in, hidden, gathered, matrix)

    def gradient(
        self, grad: torch.Tensor, cache: tuple, edges: Edges, need_input: bool
    ) -> tuple[torch.Tensor | None, list[torch.Tensor]]:
        r"""The gradients of the input and of (``radial_hidden``, ``radial_out``, ``linear``) from ``grad``.

        With :math:`P = x_\mathrm{src} \otimes \mathrm{attr}`, :math:`C = S P` (coupling table :math:`S`),
        :math:`h = \mathrm{silu}(W_1 \mathrm{basis})`, :math:`G = \Gamma W_2 h` (gather :math:`\Gamma` into the
        slots), :math:`\Sigma` the sum over slots and :math:`L` the self-interaction matrix, the layer is
        :math:`y = L x + \sum_{e \to a} \Sigma (G \odot C)_e`.
        """
        table, weight = self._buffers, self._parameters
        x, x_src, coupled, hidden_in, hidden, gathered, matrix = cache
        grad_terms = table["slot_sum_t"] @ grad.index_select(1, edges.dst)
        grad_weights = table["weight_gather_t"] @ (grad_terms * coupled)
        grad_hidden_in = torch.ops.aten.silu_backward(weight["radial_out"].T @ grad_weights, hidden_in)
        grad_linear = table["linear_matrix_t"] @ (grad @ x.T).view(-1, 1)
        grads = [grad_hidden_in @ edges.basis_t.T, grad_weights @ hidden.T, grad_linear.view(-1)]
        if edges.need_grad:
            edges.add_grad(None, weight["radial_hidden"].T @ grad_hidden_in)
        grad_x = None
        if need_input or edges.need_grad:
            grad_pairs = (table["coupling_t"] @ (grad_terms * gathered)).view(len(x), -1, len(edges.src))
            if edges.need_grad:
                edges.add_grad((grad_pairs * x_src.unsqueeze(1)).sum(dim=0, keepdim=True), None)
            if need_input:
                grad_x_src = (grad_pairs * edges.attr_t).sum(dim=1)
                grad_x = (matrix.T @ grad).index_add_(1, edges.src, grad_x_src)
        return grad_x, grads
