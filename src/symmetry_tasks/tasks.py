"""The four experiments of "Simple Tasks and Symmetry", seeded and with the tutorial's settings.

=====  ===========================  ===========================================================
Task   Problem                      Input features at every point
=====  ===========================  ===========================================================
1      rectangle -> square          the scalar 1
2      square -> rectangle          the scalar 1
3      square -> rectangle          the scalar 1 and ``0.1 (x^2 - y^2)`` (e3nn combination)
4      square -> rectangle          the scalar 1, then learned by gradient descent
=====  ===========================  ===========================================================

Each target is, at every point, the signal whose peak marks its displacement
(:func:`~symmetry_tasks.signals.displacement_signals`). Weights are fitted with Adam (learning rate
:math:`10^{-2}`); in Task 4 the input has its own Adam (learning rate :math:`10^{-3}`). When the environment
variable ``SYMMETRY_TASKS_CACHE`` names a directory, :func:`deform` (and so Tasks 1 to 3) and :func:`task4`
store their results there and later calls with the same arguments read them back instead of training again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from e3nn import o3

from ._cache import cached
from .nn import EquivariantNetwork
from .shapes import rectangle, square
from .signals import LMAX, decode_displacements, displacement_signals, signal_irreps, x2_minus_y2
from .training import AlternatingHistory, Callback, adam, fit, fit_alternating

#: Seed of every task's weights.
SEED = 0
#: Amplitude of the x^2 - y^2 feature of Task 3 (the tutorial's 0.1).
BREAKING_AMPLITUDE = 0.1


@dataclass
class TaskResult:
    """The outcome of one task."""

    name: str  #: e.g. "Task 1: rectangle to square"
    losses: list[float]  #: loss before each weight step
    model: EquivariantNetwork  #: the trained network
    inputs: torch.Tensor  #: (N, dim) input features (for Task 4, the learned ones)
    positions: torch.Tensor  #: (N, 3) start positions
    target_positions: torch.Tensor  #: (N, 3) where the points should go
    targets: torch.Tensor  #: (N, dim) target signals
    outputs: torch.Tensor  #: (N, dim) final output signals
    predicted: torch.Tensor  #: (N, 3) final positions decoded from the output peaks
    history: AlternatingHistory | None = field(default=None, repr=False)  #: Task 4's alternating phase
    stuck_steps: int = 0  #: Task 4: weight-only steps before alternating


def scalar_inputs(n_points: int, model: EquivariantNetwork | o3.Irreps) -> torch.Tensor:
    """Features with the scalar 1 on every point and zero elsewhere, for ``model.irreps_in`` (or irreps)."""
    irreps = model.irreps_in if isinstance(model, EquivariantNetwork) else o3.Irreps(model)
    features = torch.zeros(n_points, irreps.dim, dtype=torch.float64)
    features[:, 0] = 1.0
    return features


def _seeded_model(seed: int, **kwargs: object) -> EquivariantNetwork:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return EquivariantNetwork(**kwargs)


def _result(
    name: str,
    model: EquivariantNetwork,
    inputs: torch.Tensor,
    start: torch.Tensor,
    finish: torch.Tensor,
    losses: list[float],
    **extra: object,
) -> TaskResult:
    targets = displacement_signals(finish - start)
    with torch.no_grad():
        outputs = model(inputs, start)
    return TaskResult(
        name=name,
        losses=losses,
        model=model,
        inputs=inputs,
        positions=start,
        target_positions=finish,
        targets=targets,
        outputs=outputs,
        predicted=start + decode_displacements(outputs),
        **extra,
    )


@cached
def deform(
    start: torch.Tensor,
    finish: torch.Tensor,
    features: torch.Tensor | None = None,
    *,
    steps: int = 200,
    seed: int = SEED,
    parity: bool = True,
    name: str = "deformation",
    callback: Callback | None = None,
) -> TaskResult:
    """Train a seeded network to move ``start`` onto ``finish`` (point by point) with fixed input ``features``.

    ``features`` default to the scalar 1 on every point. ``parity=False`` uses the parity-free network.
    Tasks 1 to 3 are this function with the tutorial's shapes and features.
    """
    model = _seeded_model(seed, parity=parity)
    inputs = scalar_inputs(len(start), model) if features is None else features
    losses = fit(model, inputs, start, displacement_signals(finish - start), steps, callback=callback)
    return _result(name, model, inputs, start, finish, losses)


def task1(steps: int = 200, seed: int = SEED, callback: Callback | None = None) -> TaskResult:
    """Task 1: deform the rectangle into the square. The output is more symmetric than the input: it trains.

    Examples
    --------
    >>> result = task1(steps=5)
    >>> len(result.losses), tuple(result.predicted.shape)
    (5, (4, 3))
    """
    return deform(
        rectangle(), square(), steps=steps, seed=seed, name="Task 1: rectangle to square", callback=callback
    )


def task2(steps: int = 200, seed: int = SEED, callback: Callback | None = None) -> TaskResult:
    """Task 2: deform the square into the rectangle. The output would be less symmetric: it gets stuck."""
    return deform(
        square(), rectangle(), steps=steps, seed=seed, name="Task 2: square to rectangle", callback=callback
    )


def task3(
    steps: int = 200,
    seed: int = SEED,
    amplitude: float = BREAKING_AMPLITUDE,
    callback: Callback | None = None,
) -> TaskResult:
    """Task 3: Task 2 with an ``amplitude * (x^2 - y^2)`` input feature at every point. It trains."""
    features = scalar_inputs(4, signal_irreps(LMAX)) + amplitude * x2_minus_y2(LMAX)
    name = "Task 3: square to rectangle, x^2 - y^2 input"
    return deform(square(), rectangle(), features, steps=steps, seed=seed, name=name, callback=callback)


@cached
def task4(
    stuck_steps: int = 200,
    alternating_steps: int = 300,
    seed: int = SEED,
    callback: Callback | None = None,
) -> TaskResult:
    """Task 4: train on the square until stuck, then alternate weight steps with steps on the input.

    The first ``stuck_steps`` are Task 2; afterwards :func:`~symmetry_tasks.training.fit_alternating`
    learns the input, which breaks the symmetry by itself.
    """
    start, finish = square(), rectangle()
    model = _seeded_model(seed)
    inputs = scalar_inputs(len(start), model)
    targets = displacement_signals(finish - start)
    optimizer = adam(model.parameters(), 1e-2)
    losses = fit(model, inputs, start, targets, stuck_steps, callback=callback, optimizer=optimizer)

    def shifted(step: int, loss: float) -> None:
        if callback is not None:
            callback(stuck_steps + step, loss)

    learned, history = fit_alternating(
        model, inputs, start, targets, alternating_steps, callback=shifted, optimizer=optimizer
    )
    name = "Task 4: square to rectangle, learned input"
    return _result(
        name, model, learned, start, finish, losses + history.losses, history=history, stuck_steps=stuck_steps
    )
