"""The network: exact O(3) equivariance, the parity-free variant, caching, saving, bad input."""

import io
import math

import pytest
import torch

from symmetry_tasks.equivariance import assert_equivariant, equivariance_error, random_orthogonal, wigner_D
from symmetry_tasks.nn import DEFAULT_IRREPS, EquivariantNetwork
from symmetry_tasks.shapes import rectangle, square

F64 = torch.float64


def seeded(seed=0, **kwargs):
    torch.manual_seed(seed)
    return EquivariantNetwork(**kwargs)


@pytest.fixture(scope="module")
def model():
    return seeded()


@pytest.fixture
def features():
    return torch.randn(4, DEFAULT_IRREPS.dim, dtype=F64, generator=torch.Generator().manual_seed(3))


def test_default_network_is_the_tutorials(model):
    assert str(model.irreps_in) == str(model.irreps_out) == "1x0e+1x1o+1x2e+1x3o+1x4e+1x5o"
    assert model.max_radius == 3.0
    assert all(p.dtype == F64 for p in model.parameters())


def test_exactly_o3_equivariant(model, features):
    errors = assert_equivariant(model, features, rectangle(), model.irreps_in, model.irreps_out, trials=4)
    assert len(errors) == 8  # four rotations, four improper rotations
    assert max(errors) < 1e-9


def test_wigner_d_is_a_float64_accurate_representation():
    a, b = random_orthogonal(1, improper=True), random_orthogonal(2)
    d = wigner_D(DEFAULT_IRREPS, a @ b)
    assert (d - wigner_D(DEFAULT_IRREPS, a) @ wigner_D(DEFAULT_IRREPS, b)).abs().max() < 1e-12
    assert (d @ d.T - torch.eye(d.shape[0], dtype=F64)).abs().max() < 1e-12


def test_parity_free_network_is_only_so3_equivariant(features):
    net = seeded(parity=False)
    assert (
        max(assert_equivariant(net, features, square(), net.irreps_in, net.irreps_out, parity=False)) < 1e-9
    )
    mirror = torch.diag(torch.tensor([1.0, 1.0, -1.0], dtype=F64))
    assert equivariance_error(net, features, rectangle(), net.irreps_in, net.irreps_out, mirror) > 1e-3


def test_output_shape_and_dtype(model, features):
    out = model(features, square())
    assert out.shape == (4, model.irreps_out.dim)
    assert out.dtype == F64


def test_cached_geometry_gives_the_same_output_as_a_fresh_one(model, features):
    positions = rectangle()
    first = model(features, positions)
    again = model(features, positions.clone())
    with_grad = model(features, positions.clone().requires_grad_(True))
    assert torch.equal(first, again)
    assert torch.allclose(first, with_grad, atol=1e-14)


def test_gradients_flow_to_positions_and_features(model, features):
    positions = square().requires_grad_(True)
    x = features.clone().requires_grad_(True)
    model(x, positions).pow(2).sum().backward()
    assert positions.grad is not None and bool(positions.grad.abs().gt(0).any())
    assert x.grad is not None and bool(x.grad.abs().gt(0).any())


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
        (torch.zeros(4, 2, dtype=F64), r"shape \(N, 3\)"),
        (torch.tensor([[0.0, 0, 0], [1, 0, 0], [1, 1, 0], [math.nan, 1, 0]], dtype=F64), "finite"),
        (torch.tensor([[0.0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 0, math.inf]], dtype=F64), "finite"),
        (torch.tensor([[0.0, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=F64), "coincident"),
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
    with pytest.raises(TypeError, match="float64"):
        model(features.float(), square())
    with pytest.raises(ValueError, match="finite"):
        model(features * math.nan, square())


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"layers": -1}, "layers"), ({"max_radius": 0.0}, "max_radius")]
)
def test_bad_hyperparameters_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EquivariantNetwork(**kwargs)


def test_impossible_lmax_is_named():
    with pytest.raises(ValueError, match="lmax"):
        EquivariantNetwork(lmax=-2)
    with pytest.raises(TypeError, match="lmax"):
        EquivariantNetwork(lmax=2.5)
