r"""Layers whose gradients are written out, and the one autograd node that runs a chain of them.

Each layer (:class:`~symmetry_tasks.nn.Convolution`, :class:`~symmetry_tasks.nn.Gate`) provides

* ``evaluate(x, edges) -> (y, cache)``: its output, with what its gradient needs;
* ``gradient(grad_y, cache, edges, need_input) -> (grad_x, grad_parameters)``: the vector-Jacobian
  product, adding what flows to the edge tensors into ``edges.grad_attr_t`` and ``edges.grad_basis_t``.

:func:`chain` runs layers one after the other as a single :class:`torch.autograd.Function`: a training
step of the whole network is then a few dozen tensor operations in each direction, instead of a few
hundred autograd nodes. Features are stored by column, shape (dim, N), so that every gather and scatter
over irrep components moves contiguous rows. The gradients agree with autograd's on e3nn's own modules
to rounding (the twin test of :meth:`~symmetry_tasks.nn.EquivariantNetwork.to_e3nn`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import torch
from torch.autograd.function import once_differentiable

from .geometry import Geometry

#: Runs the layers' operations below torch's autograd and its in-place/view bookkeeping (the C++ guard
#: ``at::AutoDispatchBelowADInplaceOrView``). Torch's own autograd functions of custom operators run their
#: insides below autograd (``_AutoDispatchBelowAutograd``); here the bookkeeping is skipped too, since the
#: layers' tensors are the node's internals, never seen by autograd nor changed in place once they leave it.
#: Each operation skips two dispatch steps (a training step at 4 points, 4 to 5% faster side by side; below
#: autograd only, 2%). Torch without the guard runs them as they are.
BELOW_AUTOGRAD: Callable[[], contextlib.AbstractContextManager] = getattr(
    torch._C, "_AutoDispatchBelowADInplaceOrView", contextlib.nullcontext
)
#: The edges share the radial MLP's evaluations when there are at least this many per distinct basis row.
EDGES_PER_KIND = 4
#: ... or this many, the two directions of every pair, when a layer asks for it (``edges_per_kind``).
PAIRED_EDGES_PER_KIND = 2


@dataclass(frozen=True)
class EdgeChunk:
    """The edges ``part`` of an :class:`Edges`, as a layer reads them (views, no copies)."""

    part: slice  #: the edges, a slice of the edge list
    src: torch.Tensor  #: (c,) source points
    dst: torch.Tensor  #: (c,) destination points
    attr_t: torch.Tensor  #: (1, dim_sh, c) edge attributes, by column
    radial_t: torch.Tensor  #: (number_of_basis, k) the columns of ``Edges.radial_t`` these edges use
    local: torch.Tensor | None  #: (c,) column of ``radial_t`` of each edge (``None`` if in order)


@dataclass
class Edges:
    """The edge tensors of a :class:`~symmetry_tasks.nn.Geometry` as the layers read them.

    The radial MLP depends on an edge only through its basis row, and many edges share one: the two
    directions of every pair, and in a crystal every edge of a given length. The edges are therefore
    put in the order of their basis row (``kind``), and the layers evaluate the MLP once per distinct
    row (column of ``radial_t``) and gather its output to the edges; no weight is computed twice within
    a chunk of edges. This is done only when it saves most of the work, with at most one distinct row
    per ``edges_per_kind`` edges: ``EDGES_PER_KIND`` (a crystal; not a random cloud, whose edges
    have two directions each), or ``PAIRED_EDGES_PER_KIND`` (a cloud too) for layers whose radial
    MLP's matrix products outweigh the gathers and scatters of sharing it (many channels). Otherwise, or
    when the gradient of the edge tensors is asked for, each edge is its own kind (``kind`` is ``None``),
    in the geometry's order (by destination, which the scatters prefer).
    """

    src: torch.Tensor  #: (E,) source points
    dst: torch.Tensor  #: (E,) destination points
    attr_t: torch.Tensor  #: (1, dim_sh, E) edge attributes, by column
    radial_t: torch.Tensor  #: (number_of_basis, K) the distinct rows of the radial basis, by column
    kind: torch.Tensor | None  #: (E,) column of ``radial_t`` of each edge, nondecreasing (or ``None``)
    grad_attr_t: torch.Tensor | None = None  #: gradient accumulated for attr_t, when asked for
    grad_basis_t: torch.Tensor | None = None  #: gradient accumulated for radial_t, when asked for
    need_grad: bool = False  #: whether the layers should accumulate the two gradients above
    _chunk_cache: dict[tuple[int, int], EdgeChunk] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        geometry: Geometry,
        attr: torch.Tensor,
        basis: torch.Tensor,
        distinct: bool,
        edges_per_kind: int = EDGES_PER_KIND,
    ) -> Edges:
        """The edges of ``geometry`` with its ``attr`` (E, dim_sh) and ``basis`` (E, number_of_basis);
        sorted by distinct basis rows if ``distinct`` and there are at least ``edges_per_kind`` edges per
        row, else in the geometry's order, each its own kind."""
        src, dst = geometry.src, geometry.dst
        rows, kind = basis, None
        # a column has at most as many distinct values as the rows, and they are much faster to count
        if distinct and len(basis) > 0 and edges_per_kind * len(torch.unique(basis[:, -1])) <= len(basis):
            distinct_rows, distinct_kind = torch.unique(basis, dim=0, return_inverse=True)
            if edges_per_kind * len(distinct_rows) <= len(basis):
                order = torch.argsort(distinct_kind, stable=True)
                rows, kind = distinct_rows, distinct_kind[order]
                src, dst, attr = src[order], dst[order], attr.index_select(0, order)
        return cls(src, dst, attr.T.contiguous().unsqueeze(0), rows.T.contiguous(), kind)

    def chunk(self, part: slice) -> EdgeChunk:
        """The edges ``part`` (a slice of the edge list), made once per slice and kept: every layer reads
        the same chunks in both passes."""
        key = (part.start, part.stop)
        if key not in self._chunk_cache:
            self._chunk_cache[key] = self._make_chunk(part)
        return self._chunk_cache[key]

    def _make_chunk(self, part: slice) -> EdgeChunk:
        whole = part.start == 0 and part.stop == len(self.src)
        if whole:  # (no slicing: fewer operations, all of them cheap, on the small graphs)
            src, dst, attr_t = self.src, self.dst, self.attr_t
        else:
            src, dst, attr_t = self.src[part], self.dst[part], self.attr_t[:, :, part]
        if self.kind is None:  # each edge its own column, in order
            radial_t = self.radial_t if whole else self.radial_t[:, part]
            return EdgeChunk(part, src, dst, attr_t, radial_t, None)
        kind = self.kind[part]
        first, last = (int(kind[0]), int(kind[-1])) if len(kind) else (0, -1)
        local = None if last - first + 1 == len(kind) else kind - first  # (all distinct and consecutive)
        return EdgeChunk(part, src, dst, attr_t, self.radial_t[:, first : last + 1], local)

    def add_grad(self, grad_attr_t: torch.Tensor | None, grad_basis_t: torch.Tensor | None) -> None:
        """Accumulate gradients of the edge tensors."""
        if grad_attr_t is not None:
            self.grad_attr_t = grad_attr_t if self.grad_attr_t is None else self.grad_attr_t + grad_attr_t
        if grad_basis_t is not None:
            self.grad_basis_t = (
                grad_basis_t if self.grad_basis_t is None else self.grad_basis_t + grad_basis_t
            )


class Layer(Protocol):
    """What :func:`chain` needs of a layer: a module whose own parameters (no submodule has any) get the
    gradients that ``gradient`` returns, in their order."""

    _parameters: dict[str, torch.nn.Parameter]
    #: The fewest edges per distinct basis row at which the layer shares its radial MLP between them
    #: (:class:`Edges`); ``None`` for a layer that reads no edges.
    edges_per_kind: int | None

    def evaluate(self, x: torch.Tensor, edges: Edges) -> tuple[torch.Tensor, tuple]: ...

    def gradient(
        self, grad: torch.Tensor, cache: tuple, edges: Edges, need_input: bool
    ) -> tuple[torch.Tensor | None, list[torch.Tensor]]: ...


def _evaluate(
    layers: Sequence[Layer], x: torch.Tensor, edges: Edges | None
) -> tuple[torch.Tensor, list[tuple]]:
    """The output of ``layers`` applied in turn to ``x``, and each layer's cache for its gradient."""
    caches = []
    for layer in layers:
        x, cache = layer.evaluate(x, edges)
        caches.append(cache)
    return x, caches


class _Chain(torch.autograd.Function):
    @staticmethod
    def forward(
        ctx: torch.autograd.function.FunctionCtx,
        layers: Sequence[Layer],
        geometry: Geometry | None,
        attr: torch.Tensor | None,
        basis: torch.Tensor | None,
        x: torch.Tensor,
        *parameters: torch.Tensor,
    ) -> torch.Tensor:
        edges = None
        if geometry is not None:
            # the layers that read edges (not the gates) say when sharing the radial MLP pays; the keenest wins
            per_kind = [layer.edges_per_kind for layer in layers if layer.edges_per_kind is not None]
            distinct = not any(ctx.needs_input_grad[2:4])
            edges = Edges.of(geometry, attr, basis, distinct, min(per_kind, default=EDGES_PER_KIND))
        ctx.save_for_backward(x, *parameters)  # (checked for in-place changes if evaluated again)
        with BELOW_AUTOGRAD():
            y, caches = _evaluate(layers, x, edges)
        ctx.layers, ctx.edges, ctx.caches = layers, edges, caches
        return y

    @staticmethod
    @once_differentiable
    def backward(
        ctx: torch.autograd.function.FunctionCtx, grad: torch.Tensor
    ) -> tuple[torch.Tensor | None, ...]:
        _, _, need_attr, need_basis, need_x, *_ = ctx.needs_input_grad
        edges = ctx.edges
        if edges is not None:
            edges.need_grad, edges.grad_attr_t, edges.grad_basis_t = need_attr or need_basis, None, None
        grads: list[torch.Tensor] = []
        x = ctx.saved_tensors[0]
        with BELOW_AUTOGRAD():
            # each layer's cache is freed once its gradient is taken; a second pass through the same graph
            # (retain_graph=True) evaluates the layers again
            caches = _evaluate(ctx.layers, x, edges)[1] if ctx.caches is None else ctx.caches
            ctx.caches = None
            for n in reversed(range(len(ctx.layers))):
                cache, caches[n] = caches[n], None
                grad, grad_parameters = ctx.layers[n].gradient(grad, cache, edges, n > 0 or need_x)
                del cache
                grads = grad_parameters + grads
        # (with these gradients asked for, the edges are in the geometry's order, each its own kind)
        grad_attr = edges.grad_attr_t[0].T if need_attr and edges.grad_attr_t is not None else None
        grad_basis = edges.grad_basis_t.T if need_basis and edges.grad_basis_t is not None else None
        return (None, None, grad_attr, grad_basis, grad, *grads)


def chain(layers: Sequence[Layer], x: torch.Tensor, geometry: Geometry | None = None) -> torch.Tensor:
    """Apply ``layers`` in turn to features ``x`` stored by column, (dim, N), on the edges of ``geometry``.

    Differentiable (once) with respect to ``x``, the layers' parameters and the geometry's ``attr`` and
    ``basis`` (hence the positions it was built from). Layers that read no edges (gates) need no geometry.
    """
    parameters = [parameter for layer in layers for parameter in layer._parameters.values()]
    attr, basis = (None, None) if geometry is None else (geometry.attr, geometry.basis)
    return _Chain.apply(layers, geometry, attr, basis, x, *parameters)
