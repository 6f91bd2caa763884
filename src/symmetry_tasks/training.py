r"""Training loops: fit the weights, or the weights and the input features in alternation.

Both minimise the mean squared error between the network's output and the target signals,

.. math::

    L(\theta, x) = \frac{1}{N d} \sum_{a=1}^{N} \big\| f_\theta(x, r)_a - t_a \big\|^2,

with Adam. The loss recorded at each weight step is the one evaluated *before* that step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from e3nn import o3

from ._checks import as_features
from .nn import EquivariantNetwork, Geometry
from .nn.torch_settings import intra_op_threads

#: ``callback(step, loss)`` is called after every weight step with the loss before that step.
Callback = Callable[[int, float], None]

#: Intra-op threads torch uses while training. The tensors of a training step are tiny (tens of points and
#: edges), so splitting an operation over threads costs more than it saves, and on a busy machine threads
#: that wait for a core make every operation much slower. One thread avoids both.
TRAINING_THREADS = 1


@dataclass(frozen=True)
class _Problem:
    """Checked inputs, the geometry of the positions (built once) and the checked targets."""

    inputs: torch.Tensor
    geometry: Geometry
    targets: torch.Tensor

    def loss(self, model: EquivariantNetwork, inputs: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.mse_loss(model(inputs, self.geometry), self.targets)


def adam(parameters: Iterable[torch.Tensor], lr: float) -> torch.optim.Adam:
    """The optimizer of :func:`fit` and :func:`fit_alternating`: torch's Adam, fused (one kernel for all tensors)."""
    return torch.optim.Adam(parameters, lr, fused=True)


def _problem(model: EquivariantNetwork, features: object, positions: object, targets: object) -> _Problem:
    geometry = model.geometry(positions)
    inputs = as_features(features, model.irreps_in.dim, geometry.n_points, dtype=model.dtype)
    wanted = as_features(targets, model.irreps_out.dim, geometry.n_points, name="targets", dtype=model.dtype)
    return _Problem(inputs.detach(), geometry, wanted)


@contextmanager
def _frozen(model: torch.nn.Module) -> Iterator[None]:
    """Weights that need no gradient inside the block: a step on the input alone then skips the
    backward pass through the weights (the radial networks and each edge's mixing weights)."""
    wanted = [(p, p.requires_grad) for p in model.parameters()]
    for parameter, _ in wanted:
        parameter.requires_grad_(False)
    try:
        yield
    finally:
        for parameter, requires in wanted:
            parameter.requires_grad_(requires)


def _check_steps(steps: object) -> int:
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    return steps


def _step(optimizer: torch.optim.Optimizer, loss: torch.Tensor) -> float:
    """One optimizer step on ``loss``; returns the loss (before the step)."""
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def fit(
    model: EquivariantNetwork,
    features: torch.Tensor,
    positions: torch.Tensor,
    targets: torch.Tensor,
    steps: int,
    *,
    lr: float = 1e-2,
    callback: Callback | None = None,
    optimizer: torch.optim.Optimizer | None = None,
) -> list[float]:
    r"""Fit the weights of ``model`` so that ``model(features, positions)`` approaches ``targets``.

    The geometry of ``positions`` is built once (:meth:`~symmetry_tasks.nn.EquivariantNetwork.geometry`),
    and the steps run with :data:`TRAINING_THREADS` intra-op threads.

    Parameters
    ----------
    model : EquivariantNetwork
    features : torch.Tensor
        :math:`(N, \dim \mathrm{irreps\_in})`, held fixed.
    positions : torch.Tensor
        :math:`(N, 3)`.
    targets : torch.Tensor
        :math:`(N, \dim \mathrm{irreps\_out})`.
    steps : int
        Number of Adam steps.
    lr : float
        Adam learning rate (ignored if ``optimizer`` is given, e.g. to continue a run).
    callback : callable, optional
        ``callback(step, loss)`` after each step.

    Returns
    -------
    list of float
        The loss before each step.
    """
    problem, steps = _problem(model, features, positions, targets), _check_steps(steps)
    optimizer = optimizer or adam(model.parameters(), lr)
    losses = []
    with intra_op_threads(TRAINING_THREADS):
        for step in range(steps):
            losses.append(_step(optimizer, problem.loss(model, problem.inputs)))
            if callback is not None:
                callback(step, losses[-1])
    return losses


@dataclass(frozen=True)
class InputPenalty:
    r"""The regulariser of a learned input, after the original tutorial's:

    .. math::

        P(x) = \overline{|x^{0} - 1|} + \overline{|x^{l \notin \{0, l_b\}}|}
              + \overline{(x^{l_b}_a - x^{l_b}_1)^2} + \epsilon\, \overline{\|x^{l_b}_a\|^2},

    bars being means over points :math:`a` (and components). The scalar stays near 1, every block but the
    *breaking block* :math:`l_b` is pushed to 0 (L1), and the breaking block is asked to be the same on every
    point (a global order parameter) and mildly small.

    The last term differs from the original's mild L1 penalty on purpose: an L1 norm of components depends
    on the basis, and in e3nn's y-polar basis it pulls the learned block onto the single component
    :math:`y^2 - (x^2 + z^2)/2` instead of :math:`x^2 - y^2`. The squared norm is rotation invariant, so the
    direction the input learns is the one the task asks for, not an artefact of the basis.
    """

    irreps: o3.Irreps
    breaking_l: int = 2
    epsilon: float = 1e-3

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """The penalty of features ``x`` of shape (N, dim)."""
        penalty = x.new_zeros(())
        others = []
        for (_, ir), block in zip(self.irreps, self.irreps.slices(), strict=True):
            part = x[:, block]
            if ir.l == 0:
                penalty = penalty + (part - 1).abs().mean()
            elif ir.l == self.breaking_l:
                penalty = (
                    penalty + (part - part[:1]).pow(2).mean() + self.epsilon * part.pow(2).sum(dim=1).mean()
                )
            else:
                others.append(part)
        if others:
            penalty = penalty + torch.cat(others, dim=1).abs().mean()
        return penalty


@dataclass
class AlternatingHistory:
    """What :func:`fit_alternating` records: one entry per round."""

    losses: list[float]  #: network loss before each weight step
    input_losses: list[float]  #: loss plus penalty before each input step
    inputs: list[torch.Tensor]  #: the input features after each input step


def fit_alternating(
    model: EquivariantNetwork,
    features: torch.Tensor,
    positions: torch.Tensor,
    targets: torch.Tensor,
    steps: int,
    *,
    penalty: Callable[[torch.Tensor], torch.Tensor] | None = None,
    input_lr: float = 1e-3,
    lr: float = 1e-2,
    callback: Callback | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    mask: torch.Tensor | None = None,
) -> tuple[torch.Tensor, AlternatingHistory]:
    r"""Alternate one Adam step on the weights with one Adam step on the input features.

    The weights minimise the loss :math:`L`; the input minimises :math:`L + P(x)` with ``penalty``
    :math:`P` (default :class:`InputPenalty` on ``model.irreps_in``) with its own Adam, of learning rate
    ``input_lr``. With ``mask`` (shape :math:`(N, \dim \mathrm{irreps\_in})`, 0 or 1) only the entries
    where it is 1 are learned; the others keep their value. The other arguments are as for :func:`fit`.

    Returns
    -------
    features : torch.Tensor
        The learned input, :math:`(N, \dim \mathrm{irreps\_in})`, detached.
    history : AlternatingHistory
    """
    problem, steps = _problem(model, features, positions, targets), _check_steps(steps)
    penalty = penalty or InputPenalty(model.irreps_in)
    optimizer = optimizer or adam(model.parameters(), lr)
    learned = problem.inputs.clone().requires_grad_(True)
    if mask is not None:
        kept = as_features(mask, model.irreps_in.dim, len(learned), name="mask", dtype=model.dtype).detach()
        learned.register_hook(lambda grad: grad * kept)
    input_optimizer = adam([learned], input_lr)
    history = AlternatingHistory([], [], [])
    with intra_op_threads(TRAINING_THREADS):
        for step in range(steps):
            history.losses.append(_step(optimizer, problem.loss(model, learned.detach())))
            with _frozen(model):
                input_loss = problem.loss(model, learned) + penalty(learned)
                history.input_losses.append(_step(input_optimizer, input_loss))
            history.inputs.append(learned.detach().clone())
            if callback is not None:
                callback(step, history.losses[-1])
    return learned.detach(), history
