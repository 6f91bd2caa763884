r"""The gate nonlinearity of e3nn (:class:`e3nn.nn.Gate`), as ``gate_points_2101`` configures it.

The input holds scalars :math:`s`, gate scalars :math:`g` and gated irreps :math:`v`; the output is

.. math::

    \big[\ \phi(s),\ \ \sigma(g_n)\, v_n\ \big],

with :math:`\phi` = silu on even scalars and tanh on odd ones, :math:`\sigma` = sigmoid on even gates and
tanh on odd ones, every activation rescaled to unit second moment on a standard normal input
(:class:`e3nn.math.normalize2mom`). There is one gate scalar per gated irrep instance :math:`v_n`. The gates
are even (``0e``) when the layer can make even scalars, odd (``0o``) otherwise; an odd gate flips the
parity of what it gates. The input layout is e3nn's: the irreps of :math:`s`, :math:`g` and :math:`v`,
concatenated, sorted and simplified.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import torch
from e3nn import o3
from e3nn.math import normalize2mom

from .autodiff import Edges, chain

#: Activation of the scalars, by parity (as in ``gate_points_2101``).
SCALAR_ACTIVATIONS = {1: torch.nn.functional.silu, -1: torch.tanh}
#: Activation of the gate scalars, by parity (as in ``gate_points_2101``).
GATE_ACTIVATIONS = {1: torch.sigmoid, -1: torch.tanh}


@functools.cache
def normalization(activation: Callable[[torch.Tensor], torch.Tensor]) -> float:
    """The factor that gives ``activation`` unit second moment: e3nn's ``normalize2mom`` (computed once)."""
    normalized = normalize2mom(activation)
    return 1.0 if normalized._is_id else normalized.cst


def _derivative(activation: Callable[[torch.Tensor], torch.Tensor]) -> Callable[..., torch.Tensor]:
    """``(grad, x, y) -> grad * activation'(x)`` for ``y = activation(x)``, with torch's own formulas."""
    if activation is torch.nn.functional.silu:
        return lambda grad, x, y: torch.ops.aten.silu_backward(grad, x)
    if activation is torch.sigmoid:
        return lambda grad, x, y: torch.ops.aten.sigmoid_backward(grad, y)
    return lambda grad, x, y: torch.ops.aten.tanh_backward(grad, y)


class Gate(torch.nn.Module):
    r"""e3nn's gate for ``irreps_scalars``, ``irreps_gates`` and ``irreps_gated``, on contiguous parts.

    ``gate(x)`` takes the three parts side by side, ``irreps_in = scalars + gates + gated``; e3nn's
    :class:`~e3nn.nn.Gate` takes the same numbers in its sorted layout ``irreps_sorted``, and column ``c``
    of ``irreps_in`` is column ``order[c]`` of that layout.

    Parameters
    ----------
    irreps_scalars : str or e3nn.o3.Irreps
        Scalars that go through :math:`\phi`.
    irreps_gates : str or e3nn.o3.Irreps
        Gate scalars, all ``0e`` or all ``0o``, as many as gated irrep instances.
    irreps_gated : str or e3nn.o3.Irreps
        Irreps with :math:`l > 0`, each multiplied by its gate.
    dtype, device : optional
        Of the constant tables (default float64, the CPU).

    Examples
    --------
    >>> gate = Gate("2x0e + 0o", "2x0e", "1o + 2e")
    >>> gate.irreps_in, gate.irreps_out
    (2x0e+1x0o+2x0e+1x1o+1x2e, 2x0e+1x0o+1x1o+1x2e)
    >>> gate.irreps_sorted  # e3nn's layout: odd scalars sort before even ones
    1x0o+4x0e+1x1o+1x2e
    >>> gate.order[:5]  # where the scalars 2x0e, 0o and the gates 2x0e sit in it
    [1, 2, 0, 3, 4]
    >>> gate(torch.ones(10, gate.irreps_in.dim, dtype=torch.float64)).shape  # features (N, dim), as in e3nn
    torch.Size([10, 11])
    >>> gate
    Gate(2x0e+1x0o+2x0e+1x1o+1x2e -> 2x0e+1x0o+1x1o+1x2e)
    """

    edges_per_kind = None  # (reads no edges: see Layer)

    def __init__(
        self,
        irreps_scalars: str | o3.Irreps,
        irreps_gates: str | o3.Irreps,
        irreps_gated: str | o3.Irreps,
        *,
        dtype: torch.dtype | None = None,
        device: torch.device | str | None = None,
    ) -> None:
        super().__init__()
        parts = [o3.Irreps(irreps).simplify() for irreps in (irreps_scalars, irreps_gates, irreps_gated)]
        self.irreps_scalars, self.irreps_gates, self.irreps_gated = parts
        if any(ir.l > 0 for _, ir in self.irreps_scalars + self.irreps_gates):
            raise ValueError(
                f"scalars and gates must be scalars, got {self.irreps_scalars} and {self.irreps_gates}"
            )
        gate_parities = {ir.p for _, ir in self.irreps_gates}
        if len(gate_parities) > 1 or self.irreps_gates.num_irreps != self.irreps_gated.num_irreps:
            raise ValueError(
                f"need one gate scalar of one parity per gated irrep: gates {self.irreps_gates}, "
                f"gated {self.irreps_gated}"
            )
        gate_parity = gate_parities.pop() if gate_parities else 1
        self.irreps_in = sum(parts, o3.Irreps())
        self.irreps_out = self.irreps_scalars + o3.Irreps(
            [(mul, (ir.l, ir.p * gate_parity)) for mul, ir in self.irreps_gated]
        )
        # e3nn's layout: the parts concatenated, then sorted; instance n of irreps_in lands at p[n].
        ordered, p, _ = self.irreps_in.sort()
        self.irreps_sorted = ordered.simplify()
        starts = [s.start for s in ordered.slices()]
        self.order = [
            column
            for n, (mul, ir) in enumerate(self.irreps_in)
            for column in range(starts[p[n]], starts[p[n]] + mul * ir.dim)
        ]
        self.n_scalars, self.n_gates = self.irreps_scalars.dim, self.irreps_gates.dim
        parities = [ir.p for mul, ir in self.irreps_scalars for _ in range(mul)]
        self.mixed = len(set(parities)) > 1
        self.scalar_activation = SCALAR_ACTIVATIONS[parities[0] if parities else 1]
        self.gate_activation = GATE_ACTIVATIONS[gate_parity]
        scale = [normalization(SCALAR_ACTIVATIONS[p]) for p in parities]
        self.register_buffer("odd", torch.tensor(parities, dtype=torch.long)[:, None] < 0, persistent=False)
        self.register_buffer(
            "scalar_scale", torch.tensor(scale, dtype=torch.float64)[:, None], persistent=False
        )
        self.gate_scale = normalization(self.gate_activation)
        gated = [ir for mul, ir in self.irreps_gated for _ in range(mul)]
        gate_of = [n for n, ir in enumerate(gated) for _ in range(ir.dim)]
        self.register_buffer("gate_of", torch.tensor(gate_of, dtype=torch.long), persistent=False)
        self.to(dtype=dtype or torch.float64, device=device)

    def extra_repr(self) -> str:
        return f"{self.irreps_in} -> {self.irreps_out}"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r"""Gate features ``x`` of shape :math:`(N, \dim \mathrm{irreps\_in})`: :math:`(N, \dim \mathrm{irreps\_out})`."""
        return chain([self], x.T).T  # the layers hold features by column

    def evaluate(self, x: torch.Tensor, edges: Edges | None = None) -> tuple[torch.Tensor, tuple]:
        """The output for features ``x`` (by column) and what :meth:`gradient` needs of this evaluation."""
        table = self._buffers  # a plain dict: cheaper than module attributes
        scalars, gates, gated = x.split_with_sizes(
            [self.n_scalars, self.n_gates, len(x) - self.n_scalars - self.n_gates]
        )
        if self.mixed:  # odd scalars take tanh, even ones silu
            acted = torch.where(table["odd"], torch.tanh(scalars), torch.nn.functional.silu(scalars))
        else:
            acted = self.scalar_activation(scalars)
        opened = self.gate_activation(gates)
        factors = (opened * self.gate_scale).index_select(0, table["gate_of"])
        y = torch.cat([acted * table["scalar_scale"], gated * factors])
        return y, (scalars, acted, gates, opened, gated, factors)

    def gradient(
        self, grad: torch.Tensor, cache: tuple, edges: Edges | None, need_input: bool
    ) -> tuple[torch.Tensor | None, list[torch.Tensor]]:
        """The gradient of the input from ``grad``, the gradient of the output (no parameters)."""
        table = self._buffers
        scalars, acted, gates, opened, gated, factors = cache
        grad_acted, grad_gated = grad.split_with_sizes([self.n_scalars, len(grad) - self.n_scalars])
        grad_acted = grad_acted * table["scalar_scale"]
        if self.mixed:
            odd = torch.ops.aten.tanh_backward(grad_acted, torch.tanh(scalars))
            even = torch.ops.aten.silu_backward(grad_acted, scalars)
            grad_scalars = torch.where(table["odd"], odd, even)
        else:
            grad_scalars = _derivative(self.scalar_activation)(grad_acted, scalars, acted)
        grad_opened = grad.new_zeros(len(gates), grad.shape[1])
        grad_opened.index_add_(0, table["gate_of"], grad_gated * gated)
        grad_gates = _derivative(self.gate_activation)(grad_opened * self.gate_scale, gates, opened)
        return torch.cat([grad_scalars, grad_gates, grad_gated * factors]), []
