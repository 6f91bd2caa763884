"""The network: e3nn's gated network computed exactly (twin), O(3) equivariance, geometry, dtypes, bad input."""

import io
import math

import pytest
import torch

from symmetry_tasks.equivariance import (
    check_equivariance,
    equivariance_tolerance,
    irreps_matrix,
    random_orthogonal,
)
from symmetry_tasks.nn import DEFAULT_IRREPS, EquivariantNetwork, Geometry, default_dtype
from symmetry_tasks.shapes import rectangle, regular_polygon, square

#: Networks with multiplicities, odd scalars (0o), odd gates and the parity-free variant.
NETWORKS = {
    "multiplicities and odd scalars": {
        "irreps_in": "0e + 2x0o + 1o + 2x1e",
        "irreps_hidden": "3x0e + 2x0o + 2x1o + 1e + 2x2e + 2o",
        "irreps_out": "2x0e + 0o + 1o + 2x1e + 2e",
        "lmax": 2,
    },
    "odd gates": {"irreps_in": "1e", "irreps_hidden": "2x0o + 2x1o + 1e", "irreps_out": "0o + 1e", "lmax": 2},
    "three layers": {
        "irreps_in": "0e + 1o + 1e",
        "irreps_hidden": "2x0e + 0o + 1o + 2x1e + 2e + 3o",
        "irreps_out": "0e + 2x1o + 0o",
        "lmax": 3,
        "layers": 3,
    },
    "parity-free": {
        "irreps_in": "0e + 1o",
        "irreps_hidden": "2x0e + 1o + 2e",
        "irreps_out": "1o + 1e",
        "parity": False,
    },
    "tutorial": {},
}


EPS = torch.finfo(torch.float64).eps


def seeded(seed=0, **kwargs):
    torch.manual_seed(seed)
    return EquivariantNetwork(**kwargs)


def random_problem(model, n=6, seed=1, planar=False):
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(n, model.irreps_in.dim, dtype=torch.float64, generator=generator)
    positions = torch.randn(n, 3, dtype=torch.float64, generator=generator)
    if planar:  # coordinates that are exactly zero
        positions[:, 2] = 0.0
    return features, positions


@pytest.fixture(scope="module")
def model():
    return seeded()


@pytest.fixture
def features():
    return torch.randn(4, DEFAULT_IRREPS.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(3))


def relative(a, b):
    return float((a - b).detach().norm() / b.detach().norm())


def weight_gradient_pairs(model, twin):
    """Each convolution's weight gradients beside its twin's, in this network's layout: the radial MLP's
    hidden layer, its output layer (columns in mixing order) and the self-interaction."""
    return [
        pair
        for ours, theirs in zip(model.convolutions, twin.convolutions, strict=True)
        for pair in (
            (ours.radial_hidden.grad, theirs.radial.layer0.weight.grad.T),
            (ours.radial_mixing.grad, theirs.radial.layer1.weight.grad[:, ours.weight_of]),
            (ours.linear.grad, theirs.linear.weight.grad),
        )
    ]


def test_default_network_is_the_tutorials(model):
    assert str(model.irreps_in) == str(model.irreps_out) == "1x0e+1x1o+1x2e+1x3o+1x4e+1x5o"
    assert (model.lmax, model.max_radius, len(model.gates)) == (5, 3.0, 2)
    assert all(p.dtype == torch.float64 for p in model.parameters())


@pytest.mark.parametrize("name", NETWORKS)
def test_e3nn_twin_computes_the_same_function_and_gradients(name):
    """The twin is made of e3nn's TensorProduct, Linear, Gate, FullyConnectedNet and SphericalHarmonics."""
    model = seeded(**NETWORKS[name])
    twin = model.to_e3nn()
    features, positions = random_problem(model, planar=name == "tutorial")
    inputs = [(features.clone().requires_grad_(), positions.clone().requires_grad_()) for _ in range(2)]
    outputs = [model(*inputs[0]), twin(*inputs[1])]
    weights = torch.randn(outputs[0].shape, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    for output in outputs:
        (output * weights).sum().backward()
    pairs = [(outputs[0].detach(), outputs[1].detach())]
    pairs += [(inputs[0][n].grad, inputs[1][n].grad) for n in range(2)]
    pairs += weight_gradient_pairs(model, twin)
    # measured at most 3.4e-15 over these networks (outputs, gradients of features, positions, weights)
    assert max(relative(a, b) for a, b in pairs) < 3e-14


@pytest.mark.parametrize("name", NETWORKS)
def test_equivariant_under_random_o3_elements(name):
    model = seeded(**NETWORKS[name])
    features, positions = random_problem(model)
    # measured at most 2.8e-15 (the tutorial's network); improper elements only with parity
    errors = check_equivariance(
        model,
        features,
        positions,
        model.irreps_in,
        model.irreps_out,
        parity=model.parity,
        trials=3,
        tolerance=3e-14,
    )
    assert len(errors) == (6 if model.parity else 3)


def test_parity_free_network_is_not_equivariant_under_a_mirror():
    model = seeded(**NETWORKS["parity-free"])
    features, positions = random_problem(model)
    mirror = torch.diag(torch.tensor([1.0, 1.0, -1.0], dtype=torch.float64))
    # measured 1.6: a mirror is not a symmetry of the parity-free network
    (error,) = check_equivariance(
        model, features, positions, model.irreps_in, model.irreps_out, matrices=[mirror], tolerance=None
    )
    assert error > 0.1


def test_irreps_matrix_is_a_float64_accurate_representation():
    a, b = random_orthogonal(1, improper=True), random_orthogonal(2)
    d = irreps_matrix(DEFAULT_IRREPS, a @ b)
    # measured 3e-15 and 2e-15
    assert (d - irreps_matrix(DEFAULT_IRREPS, a) @ irreps_matrix(DEFAULT_IRREPS, b)).abs().max() < 3e-14
    assert (d @ d.T - torch.eye(d.shape[0], dtype=torch.float64)).abs().max() < 3e-14


def test_e3nn_d_from_matrix_is_as_accurate_as_the_default_dtype():
    """What the equivariance module says of e3nn's ``D_from_matrix``, which is why it solves its own D."""
    g = random_orthogonal(4, improper=True)
    ours = irreps_matrix(DEFAULT_IRREPS, g)
    e3nn_float32_default = DEFAULT_IRREPS.D_from_matrix(g)  # float64 in, constants in float32
    with default_dtype(torch.float64):
        e3nn_float64_default = DEFAULT_IRREPS.D_from_matrix(g)
    assert e3nn_float32_default.dtype == torch.float64
    assert 1e-7 < (e3nn_float32_default - ours).abs().max() < 1e-5  # measured 1.3e-6
    assert (e3nn_float64_default - ours).abs().max() < 1e-13  # measured 1.1e-14


def test_a_geometry_built_once_gives_what_the_positions_give(model, features):
    geometry = model.geometry(rectangle())
    assert isinstance(geometry, Geometry)
    assert torch.equal(model(features, geometry), model(features, rectangle()))


def test_a_geometry_of_other_settings_or_dtype_is_refused(features):
    near, far = seeded(max_radius=1.2), seeded(max_radius=3.0)
    with pytest.raises(ValueError, match="max_radius"):
        near(features, far.geometry(square()))
    geometry = far.geometry(square())
    far.float()
    with pytest.raises(TypeError, match="float64"):
        far(features.float(), geometry)


def test_geometry_memory_grows_with_the_edges_not_with_points_times_edges(model):
    """Points on a circle, each with the same few neighbours: the geometry must not hold an N x E table."""

    def size(n):
        points = regular_polygon(n, radius=n / (2 * math.pi))  # neighbours 1 apart
        geometry = seeded(max_radius=2.5).geometry(points)
        tensors = [value for value in vars(geometry).values() if isinstance(value, torch.Tensor)]
        return sum(t.numel() * t.element_size() for t in tensors) / geometry.n_edges

    assert size(40) == size(80)  # bytes per edge


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_follows_the_dtype_of_the_network(dtype):
    model = seeded(**NETWORKS["multiplicities and odd scalars"])
    features, positions = random_problem(model)
    expected = model(features, positions)
    model.to(dtype)
    output = model(features.to(dtype), positions.to(dtype))
    assert output.dtype == dtype
    assert model.geometry(positions.to(dtype)).attr.dtype == dtype
    # float32 measured 5.3e-7 from float64
    assert relative(output.double(), expected) < (5e-6 if dtype == torch.float32 else 1e-15)


def test_gradients_flow_to_positions_and_features(model, features):
    positions = square().requires_grad_(True)
    x = features.clone().requires_grad_(True)
    model(x, positions).pow(2).sum().backward()
    assert bool(positions.grad.abs().gt(0).any())
    assert bool(x.grad.abs().gt(0).any())


def test_points_beyond_max_radius_do_not_interact(features):
    net = seeded(max_radius=1.2)
    far = square() * 10  # every pair is farther than 1.2
    alone = torch.stack([net(features[i : i + 1], far[i : i + 1])[0] for i in range(4)])
    assert torch.allclose(net(features, far), alone, atol=1e-14)


def test_state_dict_round_trip(model, features):
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    buffer.seek(0)
    fresh = seeded(seed=99)
    fresh.load_state_dict(torch.load(buffer, weights_only=True))
    assert torch.equal(fresh(features, square()), model(features, square()))


def test_building_is_seeded():
    a, b = seeded(5), seeded(5)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)


@pytest.mark.parametrize(
    ("positions", "match"),
    [
        (torch.zeros(4, 2, dtype=torch.float64), r"shape \(N, 3\)"),
        (torch.tensor([[0.0, 0, 0], [1, 0, 0], [1, 1, 0], [math.nan, 1, 0]], dtype=torch.float64), "finite"),
        (torch.tensor([[0.0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 0, math.inf]], dtype=torch.float64), "finite"),
        (torch.tensor([[0.0, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=torch.float64), "coincident"),
    ],
)
def test_bad_positions_are_named(model, features, positions, match):
    with pytest.raises(ValueError, match=match):
        model(features, positions)


def test_bad_features_are_named(model, features):
    with pytest.raises(ValueError, match=r"shape \(4, 36\).*\(4, 35\)"):
        model(features[:, :35], square())
    with pytest.raises(ValueError, match="one row per point"):
        model(features[:3], square())
    with pytest.raises(TypeError, match=r"torch\.float64, got torch\.float32"):
        model(features.float(), square())
    with pytest.raises(ValueError, match="finite"):
        model(features * math.nan, square())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layers": -1}, "layers"),
        ({"max_radius": 0.0}, "max_radius"),
        ({"number_of_basis": 1}, "number_of_basis"),
        # 0o needs an input irrep of opposite parity to some harmonic; 0e has none
        ({"irreps_in": "0e", "irreps_hidden": "0e + 0o"}, "hidden irreps 0o cannot be built"),
        ({"irreps_out": "0e + 7e", "lmax": 1}, "irreps 7e cannot be built"),
    ],
)
def test_bad_hyperparameters_and_irreps_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EquivariantNetwork(**kwargs)


def test_impossible_lmax_is_named():
    with pytest.raises(ValueError, match="lmax"):
        EquivariantNetwork(lmax=-2)
    with pytest.raises(TypeError, match="lmax"):
        EquivariantNetwork(lmax=2.5)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", ["multiplicities and odd scalars", "tutorial"])
def test_native_dtype_end_to_end_is_equivariant(name, dtype):
    """``dtype=`` builds the network in that dtype: weights, geometry, output and gradients."""
    model = seeded(**NETWORKS[name], dtype=dtype)
    assert {p.dtype for p in model.parameters()} == {dtype}
    features, positions = random_problem(model, n=12)
    features, positions = features.to(dtype), (2 * positions).to(dtype).requires_grad_()
    output = model(features, positions)
    output.pow(2).sum().backward()
    assert output.dtype == positions.grad.dtype == dtype
    assert all(p.grad.dtype == dtype for p in model.parameters())
    edges = model.geometry(positions).n_edges
    errors = check_equivariance(
        model,
        features,
        positions.detach(),
        model.irreps_in,
        model.irreps_out,
        tolerance=equivariance_tolerance(dtype, edges),
    )
    # measured (float32, float64): 5.1e-7 and 2.6e-15 (multiplicities, 38 edges), 6.0e-7 and 1.2e-14
    # (tutorial, 16 edges); on 64 points (1092 edges) 1.1e-6 and 1.3e-14: within the 1e-5 and 1e-12
    assert max(errors) < (1e-5 if dtype == torch.float32 else 1e-12)


def test_float32_network_is_the_float64_one_rounded():
    model64, model32 = seeded(**NETWORKS["tutorial"]), seeded(**NETWORKS["tutorial"], dtype=torch.float32)
    features, positions = random_problem(model64)
    output32 = model32(features.float(), positions.float())
    edges = model64.geometry(positions).n_edges
    # measured 3.1e-7 (30 edges)
    assert relative(output32.double(), model64(features, positions)) < equivariance_tolerance(
        torch.float32, edges
    )


def test_twin_agrees_in_float32():
    model = seeded(**NETWORKS["multiplicities and odd scalars"], dtype=torch.float32)
    twin = model.to_e3nn()
    features, positions = (t.float() for t in random_problem(model))
    edges = model.geometry(positions).n_edges
    # measured 6.6e-7
    assert relative(model(features, positions), twin(features, positions)) < equivariance_tolerance(
        torch.float32, edges
    )


def test_irreps_matrix_accepts_a_float32_rotation():
    g = random_orthogonal(5, improper=True)
    d32, d64 = irreps_matrix(DEFAULT_IRREPS, g.float()), irreps_matrix(DEFAULT_IRREPS, g)
    assert d32.dtype == torch.float64
    eps32 = torch.finfo(torch.float32).eps
    # measured 5.2e-8: the float32 rounding of g, carried through D
    assert (d32 - d64).abs().max() < 64 * eps32
    # measured 6.0e-15: D of the nearest orthogonal matrix is orthogonal to float64 rounding
    assert (d32 @ d32.T - torch.eye(len(d32), dtype=torch.float64)).abs().max() < 64 * EPS * len(d32)
    with pytest.raises(ValueError, match="not orthogonal"):
        irreps_matrix("1o", (g + 1e-3).float())


def test_bad_dtype_is_named():
    with pytest.raises(TypeError, match=r"torch\.float16"):
        EquivariantNetwork(dtype=torch.float16)


def test_layers_take_features_as_rows_and_print_their_irreps():
    """Convolution and Gate take (N, dim) as e3nn's modules do, and agree with the network they make up."""
    model = seeded(**NETWORKS["multiplicities and odd scalars"])
    features, positions = random_problem(model)
    geometry = model.geometry(positions)
    x = features
    for convolution, gate in zip(model.convolutions, model.gates, strict=False):
        x = gate(convolution(x, geometry))
    x = model.convolutions[-1](x, geometry)
    assert torch.equal(x, model(features, geometry))
    assert str(model.irreps_in) in repr(model)
    assert f"-> {model.gates[0].irreps_out}" in repr(model.gates[0])
    assert f"-> {model.convolutions[-1].irreps_out}" in repr(model.convolutions[-1])


def test_layers_take_dtype_and_device():
    model = seeded(**NETWORKS["odd gates"])
    conv = model.convolutions[0]
    options = {"number_of_basis": 3, "radial_neurons": 4, "num_neighbors": 2.0}
    layer = type(conv)(
        conv.irreps_in, conv.irreps_sh, conv.irreps_out, **options, dtype=torch.float32, device="cpu"
    )
    assert {p.dtype for p in layer.parameters()} == {torch.float32}
    gate = type(model.gates[0])("0e", "0e", "1o", dtype=torch.float32)
    assert gate(torch.ones(2, 5)).dtype == torch.float32


def test_edges_taken_in_chunks_give_the_same_outputs_and_gradients(monkeypatch):
    """The coupling step runs over chunks of edges when its products would be large; force small chunks."""
    import symmetry_tasks.nn.convolution as convolution

    model = seeded(**NETWORKS["multiplicities and odd scalars"])
    features, positions = random_problem(model)
    results = []
    for chunk in (convolution.CHUNK_ELEMENTS, 3 * model.convolutions[0].width):  # all edges; 3 at a time
        monkeypatch.setattr(convolution, "CHUNK_ELEMENTS", chunk)
        x, p = features.clone().requires_grad_(), positions.clone().requires_grad_()
        output = model(x, p)
        output.pow(2).sum().backward()
        results.append([output.detach(), x.grad, p.grad] + [w.grad.clone() for w in model.parameters()])
        model.zero_grad()
    # each edge's numbers come from the same operations in either case; only the chunking differs
    for chunked, whole in zip(*results, strict=True):
        assert relative(chunked, whole) < 64 * EPS


def _step_results(model, features, positions):
    x, p = features.clone().requires_grad_(), positions.clone().requires_grad_()
    output = model(x, p)
    output.pow(2).sum().backward()
    # the columns of radial_mixing follow the mixing order, which each choice sets: compare in e3nn's order
    layers = [
        (conv.radial_hidden.grad, conv.radial_mixing.grad[:, conv.weight_at], conv.linear.grad)
        for conv in model.convolutions
    ]
    assert sum(map(len, layers)) == len(list(model.parameters()))
    return [output.detach(), x.grad, p.grad, *(grad for layer in layers for grad in layer)]


@pytest.mark.parametrize(
    ("expand", "gemm_cost"),
    [(0, 1e9), (10**6, 1e9), (0, 1e-9), (10**6, 1e-9)],
    ids=[
        "batched, weights recomputed",
        "expanded, weights recomputed",
        "batched, T recomputed",
        "expanded, T recomputed",
    ],
)
def test_every_mixing_and_recomputing_choice_gives_the_same_outputs_and_gradients(
    monkeypatch, expand, gemm_cost
):
    """Outputs of small multiplicity are mixed as one sum of products, others by batched products; the gradient
    computes the coupled products or the weights again. Every choice computes the same numbers up to the order
    of the sums."""
    import symmetry_tasks.nn.convolution as convolution

    settings = NETWORKS["multiplicities and odd scalars"]
    features, positions = random_problem(seeded(**settings))
    default = _step_results(seeded(**settings), features, positions)
    monkeypatch.setattr(convolution, "EXPAND_MULTIPLICITY", expand)
    monkeypatch.setattr(convolution, "EXPAND_SCALAR_MULTIPLICITY", expand)
    monkeypatch.setattr(convolution, "GEMM_COST", gemm_cost)
    model = seeded(**settings)
    expanded = {len(conv.batched) < len(conv.irreps_out) for conv in model.convolutions}
    assert expanded == {expand > 0}
    assert {conv.keep_coupled for conv in model.convolutions} == {gemm_cost > 1}
    # the same products, summed in another order: measured at most 7.0e-16
    for ours, theirs in zip(_step_results(model, features, positions), default, strict=True):
        assert relative(ours, theirs) < 64 * EPS


@pytest.mark.parametrize(("piece", "gemm_cost"), [(1, 1e9), (1, 1e-9), (2**30, 1e9), (2**30, 1e-9)])
def test_mixing_by_output_irrep_and_coupling_in_pieces_give_the_same_outputs_and_gradients(
    monkeypatch, piece, gemm_cost
):
    """Chunks of many edges mix their expanded outputs one output irrep at a time, and take the coupling step
    and its gradient in pieces; force both on a small problem (with pieces of one edge, or none), with the
    coupled products kept or computed again, and compare with all outputs at once in one piece."""
    import symmetry_tasks.nn.convolution as convolution

    settings = NETWORKS["multiplicities and odd scalars"]
    features, positions = random_problem(seeded(**settings))
    monkeypatch.setattr(convolution, "GEMM_COST", gemm_cost)
    default = _step_results(seeded(**settings), features, positions)
    monkeypatch.setattr(convolution, "BROADCAST_EDGES", 0)
    monkeypatch.setattr(convolution, "PIECE_EDGES", piece)
    model = seeded(**settings)
    assert {len(conv.expanded) > 0 for conv in model.convolutions} == {True}
    # the same products, summed in another order: measured at most 4.0e-16
    for ours, theirs in zip(_step_results(model, features, positions), default, strict=True):
        assert relative(ours, theirs) < 64 * EPS


def test_a_second_backward_through_the_same_graph_gives_the_same_gradients(model, features):
    """The layers free their caches during the backward pass; with retain_graph=True a second pass evaluates
    them again."""
    positions = square().clone().requires_grad_()
    output = model(features, positions).pow(2).sum()
    first = torch.autograd.grad(output, [positions, *model.parameters()], retain_graph=True)
    second = torch.autograd.grad(output, [positions, *model.parameters()])
    assert all(torch.equal(a, b) for a, b in zip(first, second, strict=True))


def test_points_with_no_edges_train_as_the_twin_does():
    """Every pair farther than max_radius: no edges, only the self-interaction. The backward pass runs (it
    failed on an empty edge list), the radial weights get a zero gradient, the rest is the twin's."""
    model = seeded(**NETWORKS["multiplicities and odd scalars"], max_radius=0.5)
    twin = model.to_e3nn()
    features, positions = random_problem(model, n=3)
    positions = 10 * positions  # pairs 0.5 apart or closer are vanishingly unlikely
    assert model.geometry(positions).n_edges == 0
    results = []
    for network in (model, twin):
        x, p = features.clone().requires_grad_(), positions.clone().requires_grad_()
        output = network(x, p)
        output.pow(2).sum().backward()
        results.append([output.detach(), x.grad, p.grad])
    ours, theirs = results
    assert float(ours[2].abs().max()) == float(theirs[2].abs().max()) == 0.0
    # measured at most 2.0e-16 (outputs and feature gradients)
    assert max(relative(a, b) for a, b in zip(ours[:2], theirs[:2], strict=True)) < 64 * EPS
    for conv in model.convolutions:
        assert torch.equal(conv.radial_hidden.grad, torch.zeros_like(conv.radial_hidden))
        assert torch.equal(conv.radial_mixing.grad, torch.zeros_like(conv.radial_mixing))


def test_the_two_directions_of_a_pair_share_the_radial_mlp_when_a_layer_asks_and_train_as_the_twin_does():
    """Layers whose radial MLP's products outweigh their coupling (many channels) evaluate it once per pair of
    a random cloud, for both directions, when no gradient flows to the positions; all layers of a network
    order the edges alike; outputs and every gradient stay the twin's."""
    from symmetry_tasks.nn import Edges

    model = seeded(**NETWORKS["multiplicities and odd scalars"])
    assert {conv.edges_per_kind for conv in model.convolutions} == {2}
    assert {conv.edges_per_kind for conv in seeded(**NETWORKS["tutorial"]).convolutions} == {4}
    twin = model.to_e3nn()
    features, positions = random_problem(model, n=12)
    geometry = model.geometry(positions)
    edges = Edges.of(geometry, geometry.attr, geometry.basis, True, model.convolutions[0].edges_per_kind)
    assert 2 * edges.radial_t.shape[1] == geometry.n_edges > 0
    weights = torch.randn(
        12, model.irreps_out.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(2)
    )
    inputs = [features.clone().requires_grad_() for _ in range(2)]
    outputs = [model(inputs[0], positions), twin(inputs[1], positions)]
    for output in outputs:
        (output * weights).sum().backward()
    pairs = [(outputs[0].detach(), outputs[1].detach()), (inputs[0].grad, inputs[1].grad)]
    pairs += weight_gradient_pairs(model, twin)
    # measured at most 2.3e-15 (outputs and every gradient); the twin test's bound
    assert max(relative(a, b) for a, b in pairs) < 3e-14


@pytest.mark.parametrize("name", ["multiplicities and odd scalars", "three layers"])
def test_edges_sharing_a_basis_row_train_as_the_twin_does(name):
    """Without gradients to the positions, the layers evaluate the radial MLP once per distinct basis row
    (both directions of a pair, or equal lengths in a crystal) and sum the weight gradients of its edges."""
    from symmetry_tasks.nn import Edges

    model = seeded(**NETWORKS[name], max_radius=2.5)
    twin = model.to_e3nn()
    features, _ = random_problem(model, n=4)
    # a cubic cell holding a square: many edges of the same length
    cell = 2.0 * torch.eye(3, dtype=torch.float64)
    positions = torch.tensor([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0.5]], dtype=torch.float64)
    geometry = model.geometry(positions, cell, True)
    edges = Edges.of(geometry, geometry.attr, geometry.basis, distinct=True)
    assert edges.radial_t.shape[1] < geometry.n_edges / 4
    assert bool((edges.kind.diff() >= 0).all())
    inputs = [features.clone().requires_grad_() for _ in range(2)]
    outputs = [model(inputs[0], positions, cell, True), twin(inputs[1], positions, cell, True)]
    for output in outputs:
        output.pow(2).sum().backward()
    pairs = [(outputs[0].detach(), outputs[1].detach()), (inputs[0].grad, inputs[1].grad)]
    pairs += weight_gradient_pairs(model, twin)
    # 136 edges of 10 distinct lengths; measured at most 8.2e-15 (three layers), as the twin test's bound
    assert max(relative(a, b) for a, b in pairs) < 3e-14
