"""Training-step timings of :class:`~symmetry_tasks.nn.EquivariantNetwork` against e3nn's reference model.

The reference is ``e3nn.nn.models.gate_points_2101.Network`` with the same irreps (``0e+1o+2e+3o+4e+5o``
in, hidden and out), edge harmonics up to ``l = 5``, two gated layers, ``max_radius = 3`` and float64.
Both networks train on Task 1 (4 points) with Adam and MSE. They are timed in one process, interleaved
round by round, so that a busy machine slows both alike; compare the ratio, not the absolute times.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from e3nn import o3
from e3nn.nn.models.gate_points_2101 import Network

from symmetry_tasks.nn import DEFAULT_IRREPS, EquivariantNetwork
from symmetry_tasks.shapes import rectangle, square
from symmetry_tasks.signals import LMAX, displacement_signals


class ReferenceNetwork(torch.nn.Module):
    """e3nn's ``gate_points_2101.Network`` with the tutorial's settings, called as ``f(features, positions)``."""

    def __init__(self) -> None:
        super().__init__()
        default = torch.get_default_dtype()
        torch.set_default_dtype(torch.float64)  # e3nn's modules create their weights in the default dtype
        try:
            self.network = Network(
                irreps_in=DEFAULT_IRREPS,
                irreps_hidden=DEFAULT_IRREPS,
                irreps_out=DEFAULT_IRREPS,
                irreps_node_attr="0e",
                irreps_edge_attr=o3.Irreps.spherical_harmonics(LMAX),
                layers=2,
                max_radius=3.0,
                number_of_basis=3,
                radial_layers=1,
                radial_neurons=100,
                num_neighbors=3.0,
                num_nodes=4.0,
                reduce_output=False,
            )
        finally:
            torch.set_default_dtype(default)

    def forward(self, features: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """Apply the network to features :math:`(N, 36)` on positions :math:`(N, 3)`."""
        return self.network({"pos": positions, "x": features})


@dataclass(frozen=True)
class Timing:
    """Build time and per-step times (seconds) of one network."""

    name: str
    build: float
    steps: list[float]

    @property
    def median_step(self) -> float:
        """Median seconds per training step."""
        return statistics.median(self.steps)


def _step_timer(model: torch.nn.Module, steps: int) -> Callable[[], float]:
    positions = rectangle()
    features = torch.zeros(4, DEFAULT_IRREPS.dim, dtype=torch.float64)
    features[:, 0] = 1.0
    targets = displacement_signals(square() - rectangle())
    optimizer = torch.optim.Adam(model.parameters(), 1e-2)

    def run() -> float:
        start = time.perf_counter()
        for _ in range(steps):
            loss = torch.nn.functional.mse_loss(model(features, positions), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return (time.perf_counter() - start) / steps

    return run


def compare_step_times(rounds: int = 10, steps: int = 10, seed: int = 0) -> tuple[Timing, Timing]:
    """Time building each network, then ``rounds`` interleaved rounds of ``steps`` training steps each.

    Returns
    -------
    (Timing, Timing)
        ``EquivariantNetwork`` first, the e3nn reference second.
    """
    if rounds < 1 or steps < 1:
        raise ValueError(f"rounds and steps must be >= 1, got rounds={rounds}, steps={steps}")
    builds, timers = {}, {}
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        for name, build in (("EquivariantNetwork", EquivariantNetwork), ("e3nn reference", ReferenceNetwork)):
            start = time.perf_counter()
            model = build()
            builds[name] = time.perf_counter() - start
            timers[name] = _step_timer(model, steps)
    for timer in timers.values():  # warm-up: geometry caches, allocator, first-call overheads
        timer()
    samples: dict[str, list[float]] = {name: [] for name in timers}
    for _ in range(rounds):
        for name, timer in timers.items():
            samples[name].append(timer())
    ours, reference = (Timing(name, builds[name], samples[name]) for name in timers)
    return ours, reference
