"""Training loops: losses decrease, penalties behave, bad input is named."""

import pytest
import torch

from symmetry_tasks.nn import EquivariantNetwork
from symmetry_tasks.shapes import rectangle, square
from symmetry_tasks.signals import displacement_signals
from symmetry_tasks.tasks import scalar_inputs
from symmetry_tasks.training import TRAINING_THREADS, InputPenalty, fit, fit_alternating


@pytest.fixture
def problem():
    torch.manual_seed(0)
    model = EquivariantNetwork(layers=1)
    return model, scalar_inputs(4, model), rectangle(), displacement_signals(square() - rectangle())


def test_fit_records_one_loss_per_step_and_descends(problem):
    model, x, r, t = problem
    steps = []
    losses = fit(model, x, r, t, 30, callback=lambda i, loss: steps.append(i))
    assert len(losses) == 30 and steps == list(range(30))
    assert losses[-1] < 0.1 * losses[0]


def test_fit_trains_with_the_chosen_threads_and_restores_the_count(problem):
    model, x, r, t = problem
    before = torch.get_num_threads()
    seen = []
    fit(model, x, r, t, 2, callback=lambda i, loss: seen.append(torch.get_num_threads()))
    assert seen == [TRAINING_THREADS] * 2
    assert torch.get_num_threads() == before


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_fit_follows_the_dtype_of_the_network(problem, dtype):
    model, x, r, t = problem
    model.to(dtype)
    losses = fit(model, x.to(dtype), r, t.to(dtype), 30)
    assert losses[-1] < 0.1 * losses[0]


def test_fit_alternating_changes_the_input_but_not_the_callers(problem):
    model, x, _, _ = problem
    before = x.clone()
    t = displacement_signals(rectangle() - square())
    learned, history = fit_alternating(model, x, square(), t, 10)
    assert torch.equal(x, before)
    assert len(history.losses) == len(history.input_losses) == len(history.inputs) == 10
    assert not torch.equal(learned, x)


def test_fit_alternating_steps_the_input_as_with_the_weights_differentiated(problem):
    """The input step skips the weights' gradients, which it never used: same input gradient, same
    trajectory, to the last bit, and every weight still trainable afterwards."""
    model, x, _, _ = problem
    model.convolutions[0].requires_grad_(False)
    t = displacement_signals(rectangle() - square())
    twin = EquivariantNetwork(layers=1)
    twin.load_state_dict(model.state_dict())
    twin.convolutions[0].requires_grad_(False)
    learned, history = fit_alternating(model, x, square(), t, 5)

    geometry = twin.geometry(square())
    weights = torch.optim.Adam([p for p in twin.parameters() if p.requires_grad], 1e-2, fused=True)
    reference = x.clone().requires_grad_(True)
    inputs = torch.optim.Adam([reference], 1e-3, fused=True)
    penalty = InputPenalty(twin.irreps_in)
    for step in range(5):
        for optimizer, loss in (
            (weights, lambda: torch.nn.functional.mse_loss(twin(reference.detach(), geometry), t)),
            (inputs, lambda: torch.nn.functional.mse_loss(twin(reference, geometry), t) + penalty(reference)),
        ):
            optimizer.zero_grad()
            loss().backward()
            optimizer.step()
        assert torch.equal(history.inputs[step], reference.detach())
    assert torch.equal(learned, reference.detach())
    assert [p.requires_grad for p in model.parameters()] == [p.requires_grad for p in twin.parameters()]


def test_penalty_is_zero_at_the_plain_input_and_rotation_invariant_on_the_breaking_block(problem):
    model, x, _, _ = problem
    penalty = InputPenalty(model.irreps_in)
    assert float(penalty(x)) == 0.0
    a, b = x.clone(), x.clone()
    a[:, 4:9] = torch.tensor([0.0, 0.0, 0.1, 0.0, 0.0], dtype=torch.float64)
    b[:, 4:9] = torch.tensor([0.0, 0.0, 0.05, 0.0, 0.05 * 3**0.5], dtype=torch.float64)  # same norm
    assert float(penalty(a)) == pytest.approx(float(penalty(b)), rel=16 * torch.finfo(torch.float64).eps)
    c = x.clone()
    c[0, 1] = 0.5  # an l = 1 component on one point costs its mean absolute value
    assert float(penalty(c)) == pytest.approx(0.5 / (4 * (3 + 7 + 9 + 11)))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"steps": -1}, ValueError, "steps"),
        ({"steps": 2.0}, ValueError, "steps"),
        (
            {"features": torch.zeros(4, 9, dtype=torch.float64)},
            ValueError,
            r"features must have shape \(4, 36\)",
        ),
        ({"targets": torch.zeros(3, 36, dtype=torch.float64)}, ValueError, "targets"),
        ({"positions": torch.zeros(4, 3, dtype=torch.float64)}, ValueError, "coincident"),
    ],
)
def test_bad_input_is_named(problem, kwargs, error, match):
    model, x, r, t = problem
    arguments = {"features": x, "positions": r, "targets": t, "steps": 1} | kwargs
    for function in (fit, fit_alternating):
        with pytest.raises(error, match=match):
            function(model, **arguments)
