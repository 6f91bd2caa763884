r"""Benchmark: a jitted e3nn-jax training step against the fused ``EquivariantNetwork``, by size.

The network of :class:`symmetry_tasks.nn.EquivariantNetwork` (irreps ``c x (0e + 1o + 2e + ...)`` up to
``lmax`` in, hidden and out, edge harmonics up to ``lmax``, two gated layers) is built again from
e3nn-jax's functional modules, with plain jax and a parameter pytree of its own:

* per edge, e3nn-jax's harmonics (``component``), e3nn's smooth cutoff and Gaussian radial basis;
* each convolution: ``e3nn_jax.legacy.FunctionalTensorProduct`` with one ``uvw`` instruction per path (the
  port of e3nn's ``TensorProduct``, in e3nn-jax's default evaluation: one einsum per path; its
  ``fused`` and ``sparse_tp`` options were both several times slower here at 1024 points), its weights per
  edge from the radial MLP (one hidden layer, silu),
  ``e3nn_jax.scatter_sum`` over the destinations, ``e3nn_jax.FunctionalLinear`` as self-interaction,
  :math:`(\mathrm{TP} + \mathrm{Lin}) / \sqrt 2`;
* each gate: ``e3nn_jax.gate`` (silu, tanh; sigmoid, tanh), with the activations scaled by the constants
  of e3nn's ``normalize2mom`` that the torch network uses (e3nn-jax's ``normalize_function`` computes them
  on a grid of normal quantiles: 1.6766 instead of 1.6792 for silu, which would change the third digit).

The irreps and tensor-product paths are derived with e3nn-jax's own rules and checked equal to the torch
network's; the torch weights are copied into the jax parameters and the output and the gradient of the
loss with respect to every weight are compared (``output_rel_diff``, ``grad_rel_diff``: the largest
difference over the largest value). The edges of the jax step come from ``e3nn_jax.radius_graph`` and are
checked to be the same set as vesin's in the torch network.

For each size N (the clouds of ``bench_scale.py``: uniform in a cube, about 12 neighbours within
``max_radius = 3``; seeded features) the whole jax training step (loss, gradient, Adam update) is one
``jax.jit`` function, compiled once before timing (``compile_s``: wall seconds of lowering and compiling;
``compile_cpu_s``: the CPU seconds); it also returns the loss, the gradient and the output, which its
first call (from the torch weights) gives to the check above. Then the jax step and the fused network's step of ``bench_scale.py``
(Adam and MSE, the geometry built in every call, one intra-op thread) are timed interleaved, round by
round, in this one process, each for a turn of consecutive steps (``bench_scale.step_times``; CPU time
per step, median). The jax step takes the edge list as input (a neighbour search cannot be jitted with a
fixed shape) and computes the edge vectors, harmonics, cutoff and basis from the positions. The fused
step is timed twice: finding its edges with vesin in every call (``fused_ms``; ``neighbours_ms`` is the
CPU time of that search alone), and given the jax step's edges (``fused_edges_ms``,
``EquivariantNetwork.geometry(positions, edges=...)`` in every call): the same inputs and the same work
as the jax step. XLA runs with one thread (``XLA_FLAGS``, set below before jax is imported), and the
whole process on one processor (:func:`hold_to_one_processor`).

Environment (its own: jax is not a dependency of the package), from the repository's root, with torch's
CPU wheel found as the README describes (here a find-links folder that holds it)::

    uv venv -p 3.11 /work/jaxvenv
    VIRTUAL_ENV=/work/jaxvenv uv pip install --find-links /opt/wheels -c constraints.txt \
        -r benchmarks/requirements-jax.txt

Run::

    PYTHONPATH=src nice -n 10 /work/jaxvenv/bin/python benchmarks/bench_jax.py [--rounds 5] [--configs 64,float64 ...]

It prints a table and writes it as CSV (``--csv``, by default ``bench_jax-<date>.csv`` beside this script).
"""

from __future__ import annotations

import os

os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import datetime
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import e3nn_jax as e3nn
import e3nn_jax.legacy
import jax
import jax.numpy as jnp
import numpy as np
import torch
from bench_scale import MAX_RADIUS, build, cloud, irreps, load_average, step_times, training_step, write

from symmetry_tasks.nn import intra_op_threads
from symmetry_tasks.nn.gate import GATE_ACTIVATIONS, SCALAR_ACTIVATIONS, normalization
from symmetry_tasks.nn.geometry import neighbor_pairs

jax.config.update("jax_enable_x64", True)

#: (N, dtype) of the default run.
CONFIGS = [(n, "float64") for n in (4, 64, 1024)] + [(n, "float32") for n in (4, 64, 1024)]
LMAX, CHANNELS = 5, 1
#: jax's activations with e3nn's (torch) normalisation constants, by the torch activation they stand for.
JAX_ACTIVATIONS = {
    torch.nn.functional.silu: jax.nn.silu,
    torch.tanh: jnp.tanh,
    torch.sigmoid: jax.nn.sigmoid,
}


def _normalized(activation: Callable) -> Callable:
    """The jax twin of the torch ``activation``, times e3nn's ``normalize2mom`` constant for it."""
    constant, function = normalization(activation), JAX_ACTIVATIONS[activation]
    return lambda x: constant * function(x)


@dataclass(frozen=True)
class JaxConvolution:
    """One convolution in e3nn-jax: its irreps, ``uvw`` paths, tensor product and self-interaction."""

    irreps_in: e3nn.Irreps
    irreps_out: e3nn.Irreps
    paths: list[tuple[int, int, int]]
    tensor_product: e3nn.legacy.FunctionalTensorProduct
    linear: e3nn.FunctionalLinear

    @property
    def weight_numel(self) -> int:
        """Weights of the tensor product of one edge (the radial MLP's output width)."""
        return sum(self.irreps_in[i].mul * self.irreps_out[k].mul for i, _, k in self.paths)


def jax_convolution(
    irreps_in: e3nn.Irreps, irreps_sh: e3nn.Irreps, irreps_out: e3nn.Irreps
) -> JaxConvolution:
    """Every path ``(i, j, k)`` with ``irreps_out[k]`` in ``irreps_in[i] x irreps_sh[j]``, one ``uvw``
    instruction each, in e3nn's loop order."""
    paths = [
        (i, j, k)
        for i, (_, a) in enumerate(irreps_in)
        for j, (_, b) in enumerate(irreps_sh)
        for k, (_, c) in enumerate(irreps_out)
        if c in a * b
    ]
    instructions = [(i, j, k, "uvw", True) for i, j, k in paths]
    tensor_product = e3nn.legacy.FunctionalTensorProduct(irreps_in, irreps_sh, irreps_out, instructions)
    return JaxConvolution(
        irreps_in, irreps_out, paths, tensor_product, e3nn.FunctionalLinear(irreps_in, irreps_out)
    )


def jax_layers(lmax: int, channels: int, layers: int = 2) -> tuple[e3nn.Irreps, list[JaxConvolution]]:
    """The harmonics' irreps and the convolutions of the network, derived with e3nn-jax's rules as
    ``gate_points_2101`` does: each gated layer outputs its scalars, one gate scalar per gated irrep (even if
    an even scalar can be made, else odd) and its gated irreps, sorted (the gates are the last scalars)."""
    irreps_sh = e3nn.Irreps.spherical_harmonics(lmax)
    hidden = e3nn.Irreps(str(irreps(lmax, channels)))
    features = hidden  # the input irreps are the hidden ones in this benchmark
    convolutions = []
    for _ in range(layers):
        reachable = {ir for _, a in features for _, b in irreps_sh for ir in a * b}
        scalars = e3nn.Irreps([(mul, ir) for mul, ir in hidden if ir.l == 0])
        gated = e3nn.Irreps([(mul, ir) for mul, ir in hidden if ir.l > 0])
        gate = "0e" if e3nn.Irrep("0e") in reachable else "0o"
        gates = e3nn.Irreps([(mul, gate) for mul, _ in gated])
        convolution = jax_convolution(features, irreps_sh, (scalars + gates + gated).sort().irreps.simplify())
        convolutions.append(convolution)
        features = e3nn.gate(convolution.irreps_out)
    convolutions.append(jax_convolution(features, irreps_sh, hidden))
    return irreps_sh, convolutions


def smooth_cutoff(x: jax.Array) -> jax.Array:
    """e3nn's ``gate_points_2101.smooth_cutoff``: 1 up to ``x = 1/2``, 0 from ``x = 1``."""
    u = 2 * (x - 1)
    y = (1 - jnp.cos(math.pi * u)) / 2
    return jnp.where(u > 0, 0.0, jnp.where(u < -1, 1.0, y))


def network(
    params: list[dict[str, jax.Array]],
    features: jax.Array,
    positions: jax.Array,
    src: jax.Array,
    dst: jax.Array,
    *,
    irreps_sh: e3nn.Irreps,
    convolutions: list[JaxConvolution],
    number_of_basis: int = 3,
    num_neighbors: float = 3.0,
) -> jax.Array:
    r"""The network on ``features`` (N, dim) at ``positions`` (N, 3) with edges ``src -> dst`` (E,):
    (N, dim out)."""
    vectors = positions[src] - positions[dst]
    lengths = jnp.linalg.norm(vectors, axis=1)
    harmonics = e3nn.spherical_harmonics(irreps_sh, vectors, normalize=True, normalization="component")
    attr = e3nn.IrrepsArray(irreps_sh, harmonics.array * smooth_cutoff(lengths / MAX_RADIUS)[:, None])
    basis = e3nn.soft_one_hot_linspace(
        lengths, start=0.0, end=MAX_RADIUS, number=number_of_basis, basis="gaussian", cutoff=False
    )
    silu = _normalized(torch.nn.functional.silu)
    acts = {p: _normalized(SCALAR_ACTIVATIONS[p]) for p in (1, -1)}
    gate_acts = {p: _normalized(GATE_ACTIVATIONS[p]) for p in (1, -1)}
    x = e3nn.IrrepsArray(convolutions[0].irreps_in, features)
    for n, (convolution, p) in enumerate(zip(convolutions, params, strict=True)):
        # e3nn's FullyConnectedNet on sqrt(n_B) basis: its first layer divides the sqrt(n_B) out again
        hidden = silu(basis @ p["radial_hidden"])
        weights = hidden @ p["radial_out"] / math.sqrt(p["radial_out"].shape[0])
        messages = jax.vmap(convolution.tensor_product.left_right)(weights, x[src], attr)
        summed = e3nn.scatter_sum(messages, dst=dst, output_size=x.shape[0]) / math.sqrt(num_neighbors)
        linear = jax.vmap(convolution.linear, in_axes=(None, 0))(p["linear"], x)
        x = (summed + linear) / math.sqrt(2)
        if n < len(convolutions) - 1:
            x = e3nn.gate(x, acts[1], acts[-1], gate_acts[1], gate_acts[-1], normalize_act=False)
    return x.array


def copied_params(fused: torch.nn.Module, dtype: jnp.dtype) -> list[dict[str, jax.Array]]:
    """The weights of the fused network as the jax parameters: the radial MLP's layers in e3nn's layout
    (``FullyConnectedNet``'s weights, the output columns path by path) and ``o3.Linear``'s weights."""
    return [
        {
            "radial_hidden": jnp.asarray(c.radial_hidden.detach().T.numpy(), dtype=dtype),
            "radial_out": jnp.asarray(c.e3nn_radial_weight().detach().numpy(), dtype=dtype),
            "linear": jnp.asarray(c.linear.detach().numpy(), dtype=dtype),
        }
        for c in fused.convolutions
    ]


def torch_gradients(fused: torch.nn.Module) -> list[dict[str, np.ndarray]]:
    """The gradients held by the fused network's weights, in the layout of :func:`copied_params`."""
    return [
        {
            "radial_hidden": c.radial_hidden.grad.T.numpy(),
            "radial_out": c.radial_mixing.grad.index_select(1, c.weight_at).numpy(),
            "linear": c.linear.grad.numpy(),
        }
        for c in fused.convolutions
    ]


def same_layers(fused: torch.nn.Module, irreps_sh: e3nn.Irreps, convolutions: list[JaxConvolution]) -> None:
    """Raise ``ValueError`` unless the jax layers have the torch network's irreps and paths."""
    if str(irreps_sh) != str(fused.irreps_sh):
        raise ValueError(f"harmonics differ: jax {irreps_sh}, torch {fused.irreps_sh}")
    for n, (mine, theirs) in enumerate(zip(convolutions, fused.convolutions, strict=True)):
        jax_side = (str(mine.irreps_in), str(mine.irreps_out), mine.paths)
        torch_side = (str(theirs.irreps_in), str(theirs.irreps_out), theirs.paths)
        if jax_side != torch_side:
            raise ValueError(f"convolution {n} differs: jax {jax_side}, torch {torch_side}")


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / np.abs(b).max())


def loss(params, features, positions, src, dst, **layers) -> tuple[jax.Array, jax.Array]:
    """Mean square of the output (the target is zero), as in ``bench_scale.training_step``; and the output."""
    output = network(params, features, positions, src, dst, **layers)
    return jnp.mean(output**2), output


def adam_step(params, state, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    """``torch.optim.Adam``'s update (no weight decay) of ``params`` with ``grads``; ``state = (m, v, t)``."""
    m, v, t = state
    t = t + 1
    m = jax.tree.map(lambda m, g: betas[0] * m + (1 - betas[0]) * g, m, grads)
    v = jax.tree.map(lambda v, g: betas[1] * v + (1 - betas[1]) * g * g, v, grads)
    correction1, correction2 = 1 - betas[0] ** t, 1 - betas[1] ** t
    params = jax.tree.map(
        lambda p, m, v: p - lr / correction1 * m / (jnp.sqrt(v / correction2) + eps), params, m, v
    )
    return params, (m, v, t)


@dataclass
class Row:
    """One configuration: step times (ms, median), compile time and the checks of equality."""

    n: int
    lmax: int
    channels: int
    dtype: str
    edges: int
    jax_ms: float
    fused_ms: float  #: the fused step finding its edges (vesin), as bench_scale.py times it
    fused_edges_ms: float  #: the fused step given the jax step's edges
    neighbours_ms: float  #: of the fused step: vesin's neighbour search alone
    compile_s: float  #: wall seconds to lower and compile the jitted jax step
    compile_cpu_s: float
    params: int  #: weights of either network (checked equal)
    output_rel_diff: float
    grad_rel_diff: float


class GivenEdges(torch.nn.Module):
    """The fused network on the given ``edges`` (2, E), the jax step's: ``f(features, positions)`` builds the
    geometry of these edges (vectors, harmonics, basis) in every call, as the jax step does, with no search."""

    def __init__(self, network: torch.nn.Module, edges: torch.Tensor) -> None:
        super().__init__()
        self.network, self.edges = network, edges

    def forward(self, features: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        return self.network(features, self.network.geometry(positions, edges=self.edges))


def measure(n: int, dtype_name: str, rounds: int) -> Row:
    """Build both networks with the same weights, check them equal, compile the jax step and time both."""
    dtype = getattr(torch, dtype_name)
    jdtype = jnp.dtype(dtype_name)
    fused = build(LMAX, CHANNELS, dtype, reference=False)["fused"]
    irreps_sh, convolutions = jax_layers(LMAX, CHANNELS, layers=len(fused.gates))
    same_layers(fused, irreps_sh, convolutions)
    layers = {"irreps_sh": irreps_sh, "convolutions": convolutions}
    positions = cloud(n, dtype)
    # the features of bench_scale's steps (_warmed_up): seeded normal draws
    features = torch.randn(n, fused.irreps_in.dim, dtype=dtype, generator=torch.Generator().manual_seed(1))

    src, dst = (np.asarray(a) for a in e3nn.radius_graph(np.asarray(positions.double()), MAX_RADIUS))
    geometry = fused.geometry(positions)
    if {*zip(src.tolist(), dst.tolist(), strict=True)} != {
        *zip(geometry.src.tolist(), geometry.dst.tolist(), strict=True)
    }:
        raise ValueError(f"e3nn_jax.radius_graph and vesin find different edges at N = {n}")

    params = copied_params(fused, jdtype)
    n_params = sum(p.numel() for p in fused.parameters())
    if sum(leaf.size for leaf in jax.tree.leaves(params)) != n_params:
        raise ValueError("the jax parameters do not have the torch network's number of weights")
    inputs = (
        jnp.asarray(features.numpy()),
        jnp.asarray(positions.numpy()),
        jnp.asarray(src),
        jnp.asarray(dst),
    )

    def train_step(params, state, *inputs):
        """Adam on the loss; also returns the loss, its gradient and the output at ``params`` (the check)."""
        (value, output), grads = jax.value_and_grad(loss, has_aux=True)(params, *inputs, **layers)
        new_params, state = adam_step(params, state, grads)
        return new_params, state, value, grads, output

    zeros = jax.tree.map(jnp.zeros_like, params)
    state = [params, (zeros, zeros, jnp.zeros((), jdtype))]
    wall, cpu = time.perf_counter(), time.process_time()
    compiled = jax.jit(train_step).lower(*state, *inputs).compile()
    compile_s, compile_cpu_s = time.perf_counter() - wall, time.process_time() - cpu

    def jax_step() -> tuple:
        state[0], state[1], *checked = compiled(*state, *inputs)
        return jax.block_until_ready(checked)

    # the first step (the warm-up) starts from the torch weights: compare output and gradients there
    _, grads, jax_output = jax_step()
    fused.zero_grad()
    output = fused(features, positions)
    output.pow(2).mean().backward()
    output_diff = _relative(np.asarray(jax_output), output.detach().numpy())
    grad_diff = max(
        _relative(np.asarray(grads[k][name]), theirs[name])
        for k, theirs in enumerate(torch_gradients(fused))
        for name in theirs
    )

    def neighbours() -> None:
        neighbor_pairs(positions, torch.zeros(3, 3, dtype=dtype), (False, False, False), MAX_RADIUS)

    with intra_op_threads(1):
        fused_step = training_step(fused, features, positions)
        edges = torch.from_numpy(np.stack([src, dst]).astype(np.int64))
        second = build(LMAX, CHANNELS, dtype, reference=False)["fused"]  # (seeded: the same weights)
        given_step = training_step(GivenEdges(second, edges), features, positions)
        steps = {"jax": jax_step, "fused": fused_step, "fused_edges": given_step, "neighbours": neighbours}
        for step in (fused_step, given_step, neighbours):  # warm-up: first-call overheads, optimizer state
            step()
        median = step_times(steps, rounds)
    return Row(
        n, LMAX, CHANNELS, dtype_name, len(src), median["jax"], median["fused"], median["fused_edges"],
        median["neighbours"], compile_s, compile_cpu_s, n_params, output_diff, grad_diff,
    )  # fmt: skip


HEADER = (
    f"{'N':>5} {'dtype':>7} {'edges':>6} {'jax ms':>9} {'fused ms':>9} {'jax/fused':>9} {'given ms':>9} "
    f"{'jax/given':>9} {'nbrs ms':>8} "
    f"{'compile s':>9} {'cpu s':>7} {'params':>7} {'out diff':>9} {'grad diff':>9}"
)


def format_row(row: Row) -> str:
    return (
        f"{row.n:>5} {row.dtype:>7} {row.edges:>6} {row.jax_ms:>9.2f} {row.fused_ms:>9.2f} "
        f"{row.jax_ms / row.fused_ms:>9.2f} {row.fused_edges_ms:>9.2f} {row.jax_ms / row.fused_edges_ms:>9.2f} "
        f"{row.neighbours_ms:>8.2f} {row.compile_s:>9.1f} "
        f"{row.compile_cpu_s:>7.1f} {row.params:>7} {row.output_rel_diff:>9.1e} {row.grad_rel_diff:>9.1e}"
    )


def configuration(text: str) -> tuple[int, str]:
    """``"N,DTYPE"`` as ``(N, dtype name)``.

    Examples
    --------
    >>> configuration("64,float32")
    (64, 'float32')
    """
    n, _, dtype = text.partition(",")
    if dtype not in ("float32", "float64") or not n.isdigit():
        raise ValueError(f"a configuration is N,DTYPE with DTYPE float32 or float64, got {text!r}")
    return int(n), dtype


def hold_to_one_processor() -> int:
    """Hold every thread of this process, and so every thread they start, to one processor; return it.

    jax runs a jitted step on a worker thread while the calling thread waits, partly spinning: on two
    processors the CPU time of a step counted both (4 points: 1.8 ms of CPU for 1.05 ms of wall time). On
    one, the waiting thread yields, and the CPU time of either network's step is the work it does.
    """
    processor = min(os.sched_getaffinity(0))
    for thread in os.listdir("/proc/self/task"):
        os.sched_setaffinity(int(thread), {processor})
    return processor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved turns of each contender")
    parser.add_argument("--csv", type=Path, default=None, help="where to write the table")
    parser.add_argument("--configs", nargs="+", metavar="N,DTYPE", help="e.g. 1024,float64")
    args = parser.parse_args()
    configurations = [configuration(text) for text in args.configs] if args.configs else CONFIGS
    processor = hold_to_one_processor()
    date = datetime.datetime.now(datetime.timezone.utc)
    versions = "; ".join(
        f"{name} {version(name)}" for name in ("jax", "jaxlib", "e3nn-jax", "torch", "e3nn", "vesin")
    )
    notes = [
        f"date {date:%Y-%m-%d %H:%M} UTC; {versions}; {os.cpu_count()} cores",
        f"one thread: XLA_FLAGS={os.environ['XLA_FLAGS']}, OMP_NUM_THREADS=1, torch intra-op threads 1; "
        f"the process held to processor {processor}",
        f"load average at start {load_average()}; {args.rounds} rounds",
        "command: PYTHONPATH=src nice -n 10 python benchmarks/bench_jax.py " + " ".join(sys.argv[1:]),
    ]
    print("\n".join(notes))
    print(HEADER)
    path = args.csv or Path(__file__).with_name(f"bench_jax-{date:%Y-%m-%d}.csv")
    rows = []
    for n, dtype in configurations:
        rows.append(measure(n, dtype, args.rounds))
        print(format_row(rows[-1]), flush=True)
        write(
            path, [*notes, f"load average now {load_average()}"], rows
        )  # after each row: a partial run is kept
    print(f"written to {path}")


if __name__ == "__main__":
    main()
