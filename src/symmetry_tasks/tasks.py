"""The four experiments of "Simple Tasks and Symmetry", seeded and with the tutorial's settings.

=====  ===========================  ===========================================================
Task   Problem                      Input features at every point
=====  ===========================  ===========================================================
1      rectangle -> square          the scalar 1
2      square -> rectangle          the scalar 1
3      square -> rectangle          the scalar 1 and ``0.1 (x^2 - y^2)`` (e3nn combination)
4      square -> rectangle          the scalar 1, then learned by gradient descent
=====  ===========================  ===========================================================

Beside them, :func:`perovskite_tilts` runs the second half of the paper behind the tutorial (Smidt, Geiger
and Miller, Phys. Rev. Research 3, L012002, 2021) on a crystal: from the cubic perovskite to a tilted one.

Each target is, at every point, the signal whose peak marks its displacement
(:func:`~symmetry_tasks.signals.displacement_signals`). Weights are fitted with Adam (learning rate
:math:`10^{-2}`); in Task 4 the input has its own Adam (learning rate :math:`10^{-3}`). When the environment
variable ``SYMMETRY_TASKS_CACHE`` names a directory, :func:`deform` (and so Tasks 1 to 3) and :func:`task4`
store their results there and later calls with the same arguments read them back instead of training again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from ase import Atoms
from e3nn import o3

from . import crystals
from ._cache import cached
from .crystals.glazer import SPECIES, tilt_angles
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

    name: str  #: e.g. ``"Task 1: rectangle to square"``
    losses: list[float]  #: loss before each weight step
    model: EquivariantNetwork  #: the trained network
    inputs: torch.Tensor  #: (N, dim) input features (for Task 4, the learned ones)
    positions: torch.Tensor  #: (N, 3) start positions
    target_positions: torch.Tensor  #: (N, 3) where the points should go
    targets: torch.Tensor  #: (N, dim) target signals
    outputs: torch.Tensor  #: (N, dim) final output signals
    predicted: torch.Tensor  #: (N, 3) final positions decoded from the output peaks
    history: AlternatingHistory | None = field(default=None, repr=False)  #: Task 4's alternating phase
    stuck_steps: int = 0  #: weight-only steps before alternating (Task 4)


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


#: The input of :func:`perovskite_tilts`; the species as a one-hot of three scalars (A, B, X), then the
#: block learned on the B sites.
PEROVSKITE_SPECIES = o3.Irreps("3x0e")
#: The irreps the B-site input may learn; scalars, vectors and rank-2 tensors of both parities.
PEROVSKITE_LEARNED = o3.Irreps("0e + 0o + 1e + 1o + 2e + 2o")
#: The size of its network is the paper's. Highest degree of the harmonics and of the hidden irreps:
PEROVSKITE_LMAX = 6
#: Channels of each hidden irrep:
PEROVSKITE_CHANNELS = 6
#: Gated layers:
PEROVSKITE_LAYERS = 3
#: Cutoff in Å; B-X (2.0 Å), A-X and X-X (2.83 Å) bonds are edges, B-A (3.46 Å) and B-B (4 Å) are not.
PEROVSKITE_RADIUS = 3.0
#: Weight of the penalty on the learned input, :math:`\lambda \sum_l (l + 1)\, \overline{|x^l|}`.
PEROVSKITE_PENALTY = 1e-3
#: A learned irrep counts as used when its mean norm on the B sites is above this share of the largest.
USED_SHARE = 0.1
#: Relative tolerance of the space groups of learned fields and outputs (``space_group(tol=...)``); an
#: operation is kept if it carries every feature to within this share of the largest.
FIELD_TOL = 0.25


@dataclass
class TiltResult:
    """The outcome of :func:`perovskite_tilts`."""

    tilts: str  #: Glazer symbol of the target
    atoms: Atoms = field(repr=False)  #: the cubic start, 2x2x2 supercell
    target: Atoms = field(repr=False)  #: the tilted structure
    b_sites: torch.Tensor = field(repr=False)  #: (8,) long, indices of the B atoms
    irreps_in: o3.Irreps  #: species scalars, then the learned block
    inputs: torch.Tensor = field(repr=False)  #: (N, dim) the plain input, the species only
    learned: torch.Tensor = field(
        repr=False
    )  #: (N, dim) the learned input (species, and the learned block on B sites)
    irreps_learned: list[str]  #: the learned block's irreps in use, e.g. ["1e"]
    block_norms: dict[str, float] = field(
        repr=False
    )  #: mean norm on the B sites of each irrep of the learned block
    targets: torch.Tensor = field(
        repr=False
    )  #: (N, 3) the displacements from the cubic to the tilted structure
    outputs: torch.Tensor = field(repr=False)  #: (N, 3) the trained network's output on the learned input
    floor: float  #: Curie floor of the plain input
    losses: list[float] = field(
        repr=False
    )  #: loss before each weight step, stuck phase then alternating phase
    stuck_steps: int  #: weight-only steps before the alternating phase
    learned_group: crystals.SpaceGroup  #: space group of the cube decorated with the learned block
    pattern_overlap: float  #: absolute cosine between the learned 1e field and the tilt rotation vectors
    intermediates: dict[str, int]  #: part of the order parameter fed alone -> space group of the output
    intermediate_groups: dict[str, crystals.SpaceGroup] = field(repr=False)  #: the same, with symbols
    model: EquivariantNetwork = field(repr=False)  #: the trained network
    seconds: float = field(repr=False)  #: wall time of the run (not of a read from the cache)


def _species_inputs(atoms: Atoms, irreps: o3.Irreps) -> torch.Tensor:
    """One-hot of A, B, X (in the order of :data:`SPECIES`), zero elsewhere."""
    symbols = atoms.get_chemical_symbols()
    features = torch.zeros(len(atoms), irreps.dim, dtype=torch.float64)
    for row, symbol in enumerate(symbols):
        features[row, SPECIES.index(symbol)] = 1.0
    return features


def perovskite_hidden(lmax: int = PEROVSKITE_LMAX, channels: int = PEROVSKITE_CHANNELS) -> o3.Irreps:
    """Hidden irreps of :func:`perovskite_network`: ``channels`` copies of ``0e + 1o + 2e + ...`` up to ``lmax``.

    >>> perovskite_hidden(2, 4)
    4x0e+4x1o+4x2e
    """
    return o3.Irreps([(channels, (l, (-1) ** l)) for l in range(lmax + 1)])


def perovskite_network(
    lmax: int = PEROVSKITE_LMAX,
    channels: int = PEROVSKITE_CHANNELS,
    layers: int = PEROVSKITE_LAYERS,
    seed: int = SEED,
) -> EquivariantNetwork:
    """The seeded network of :func:`perovskite_tilts`: species and the learned block in, ``1o`` out.

    Harmonics up to ``lmax`` on the edges within :data:`PEROVSKITE_RADIUS`, hidden irreps
    :func:`perovskite_hidden`, ``layers`` gated layers. ``benchmarks/bench_scale.py`` times this network.
    """
    return _seeded_model(
        seed,
        irreps_in=PEROVSKITE_SPECIES + PEROVSKITE_LEARNED,
        irreps_hidden=perovskite_hidden(lmax, channels),
        irreps_out="1o",
        lmax=lmax,
        layers=layers,
        max_radius=PEROVSKITE_RADIUS,
        num_neighbors=12.0,
    )


def _degree_penalty(rows: torch.Tensor, start: int) -> Callable[[torch.Tensor], torch.Tensor]:
    r""":math:`\lambda \sum_l (l + 1) \overline{|x^l|}` over the learned block of the B rows."""

    def penalty(x: torch.Tensor) -> torch.Tensor:
        block = x[rows, start:]
        total = x.new_zeros(())
        for (_, ir), part in zip(PEROVSKITE_LEARNED, PEROVSKITE_LEARNED.slices(), strict=True):
            total = total + (ir.l + 1) * block[:, part].abs().mean()
        return PEROVSKITE_PENALTY * total

    return penalty


@cached
def perovskite_tilts(
    tilts: str = "a+b-b-",
    stuck_steps: int = 10,
    alternating_steps: int = 100,
    seed: int = SEED,
    *,
    lmax: int = PEROVSKITE_LMAX,
    channels: int = PEROVSKITE_CHANNELS,
    layers: int = PEROVSKITE_LAYERS,
) -> TiltResult:
    """The paper's crystal experiment: the cubic perovskite to the tilted one, stuck, then freed.

    On the cubic 2x2x2 supercell (40 atoms, :func:`~symmetry_tasks.crystals.perovskite`), a seeded network
    (:func:`perovskite_network`, by default of the paper's size) with the species as scalar input learns
    the displacements (``1o``) to the structure with ``tilts``.
    For ``stuck_steps`` only the weights move: the loss stays at the Curie floor
    (:func:`~symmetry_tasks.crystals.curie_floor`). Then :func:`~symmetry_tasks.training.fit_alternating`
    learns, on the B sites only, an input in ``PEROVSKITE_LEARNED`` with a penalty growing with
    :math:`l` (``PEROVSKITE_PENALTY``). The result says which irreps the learned input uses, the
    space group of the cube decorated with it, how close its ``1e`` part is to the tilts' rotation
    vectors, and the space groups of the outputs when only its anti-phase or only its in-phase part
    (:func:`~symmetry_tasks.crystals.phase_parts`) is fed.
    """
    started = time.perf_counter()
    atoms = crystals.perovskite("a0a0a0")
    target = crystals.perovskite(tilts)
    targets = torch.tensor(target.positions - atoms.positions)
    model = perovskite_network(lmax, channels, layers, seed)
    irreps_in, start = model.irreps_in, PEROVSKITE_SPECIES.dim
    inputs = _species_inputs(atoms, irreps_in)
    b_sites = torch.tensor(np.flatnonzero(np.array(atoms.get_chemical_symbols()) == SPECIES[1]))
    floor = crystals.curie_floor(atoms, targets, "1o").floor
    optimizer = adam(model.parameters(), 1e-2)
    losses = fit(model, inputs, atoms, targets, stuck_steps, optimizer=optimizer)
    mask = torch.zeros_like(inputs)
    mask[b_sites, start:] = 1.0
    learned, history = fit_alternating(
        model,
        inputs,
        atoms,
        targets,
        alternating_steps,
        penalty=_degree_penalty(b_sites, start),
        input_lr=1e-2,
        optimizer=optimizer,
        mask=mask,
    )
    field_ = learned[b_sites, start:]
    norms = {
        str(ir): float(field_[:, part].norm(dim=1).mean())
        for (_, ir), part in zip(PEROVSKITE_LEARNED, PEROVSKITE_LEARNED.slices(), strict=True)
    }
    used = [name for name, norm in norms.items() if norm > USED_SHARE * max(norms.values())]
    cells = crystals.cubic_cells(atoms)[b_sites.numpy()]
    omega = torch.tensor(crystals.tilt_signs(tilts, cells) * np.radians(tilt_angles(tilts)))
    axial = field_[:, PEROVSKITE_LEARNED.slices()[2]]
    overlap = float((axial * omega).sum().abs() / (axial.norm() * omega.norm()))
    group = crystals.space_group(atoms, features=learned[:, start:], irreps=PEROVSKITE_LEARNED, tol=FIELD_TOL)
    groups = {}
    for name, part in crystals.phase_parts(field_, cells).items():
        if name not in ("anti-phase", "in-phase"):
            continue
        alone = inputs.clone()
        alone[b_sites, start:] = part
        with torch.no_grad():
            moved = model(alone, atoms)
        groups[name] = crystals.space_group(atoms, features=moved, irreps="1o", tol=FIELD_TOL)
    with torch.no_grad():
        outputs = model(learned, atoms)
    return TiltResult(
        tilts=tilts,
        atoms=atoms,
        target=target,
        b_sites=b_sites,
        irreps_in=irreps_in,
        inputs=inputs,
        learned=learned,
        irreps_learned=used,
        block_norms=norms,
        targets=targets,
        outputs=outputs,
        floor=floor,
        losses=losses + history.losses,
        stuck_steps=stuck_steps,
        learned_group=group,
        pattern_overlap=overlap,
        intermediates={name: g.number for name, g in groups.items()},
        intermediate_groups=groups,
        model=model,
        seconds=time.perf_counter() - started,
    )
