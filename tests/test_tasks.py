"""The four tasks reproduce the tutorial's findings (seeded), and Task 2 sits on the symmetric optimum."""

import pytest
import torch

from symmetry_tasks import tasks
from symmetry_tasks.equivariance import wigner_D
from symmetry_tasks.signals import displacement_signals, signal_irreps, x2_minus_y2
from symmetry_tasks.symmetry.point_groups import point_group

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results():
    return {1: tasks.task1(), 2: tasks.task2(), 3: tasks.task3(), 4: tasks.task4()}


def max_position_error(result):
    return float((result.predicted - result.target_positions).norm(dim=1).max())


def test_task1_trains(results):
    assert results[1].losses[-1] < 1e-6
    assert max_position_error(results[1]) < 0.05


def test_task3_trains(results):
    assert results[3].losses[-1] < 1e-6
    assert max_position_error(results[3]) < 0.05


def test_task3_input_is_the_x2_minus_y2_combination(results):
    l2 = results[3].inputs[:, 4:9]
    assert torch.allclose(l2, 0.1 * x2_minus_y2()[4:9].expand(4, 5))
    assert bool((l2[:, [0, 1, 3]] == 0).all()) and bool((l2[:, [2, 4]] != 0).all())


def symmetric_projection(points, targets, group):
    """Average of the targets over the group: the best output that keeps the input's symmetry."""
    irreps = signal_irreps()
    average = torch.zeros_like(targets)
    for g in group:
        image = points @ g.T
        perm = torch.cdist(image, points).argmin(dim=1)  # g maps point a to point perm[a]
        average += targets[perm] @ wigner_D(irreps, g)  # D(g)^-1 t_{g a}
    return average / len(group)


def test_task2_stalls_on_the_error_of_the_best_symmetric_output(results):
    d4h = point_group("D4h").matrices  # the projection below is computed here, independently of breaking.py
    assert len(d4h) == 16
    result = results[2]
    best = symmetric_projection(result.positions, result.targets, d4h)
    floor = float((best - result.targets).pow(2).mean())
    assert floor == pytest.approx(7.0702e-4, rel=1e-4)  # the tutorial's plateau, 0.0007
    assert result.losses[-1] == pytest.approx(floor, rel=1e-2)
    assert min(result.losses) > floor * (1 - 1e-9)  # no equivariant network goes below it
    assert torch.allclose(result.outputs, best, atol=1e-3)
    assert max_position_error(result) > 0.2


def test_task4_learns_an_input_that_breaks_the_symmetry(results):
    result = results[4]
    assert result.losses[result.stuck_steps - 1] == pytest.approx(7.0702e-4, rel=1e-2)
    assert result.losses[-1] < 1e-5
    assert max_position_error(result) < 0.05
    l2 = result.inputs[:, 4:9]
    cosine = torch.nn.functional.cosine_similarity(l2, x2_minus_y2()[4:9].expand(4, 5), dim=1)
    assert bool((cosine.abs() > 0.9).all())
    odd = torch.cat([result.inputs[:, 1:4], result.inputs[:, 9:16], result.inputs[:, 25:36]], dim=1)
    assert float(odd.abs().max()) < 0.1 * float(l2.norm(dim=1).min())
    assert torch.allclose(result.inputs[:, 0], torch.ones(4, dtype=torch.float64), atol=1e-2)


def test_targets_are_the_displacement_signals(results):
    for result in results.values():
        expected = displacement_signals(result.target_positions - result.positions)
        assert torch.equal(result.targets, expected)
        assert len(result.losses) > 0


def test_same_seed_same_losses_to_the_last_bit():
    assert tasks.task1(steps=20).losses == tasks.task1(steps=20).losses
    first, second = (
        tasks.task4(stuck_steps=5, alternating_steps=5),
        tasks.task4(stuck_steps=5, alternating_steps=5),
    )
    assert first.losses == second.losses
    assert torch.equal(first.inputs, second.inputs)


def test_callback_sees_every_step():
    seen = []
    tasks.task4(stuck_steps=3, alternating_steps=4, callback=lambda step, loss: seen.append(step))
    assert seen == list(range(7))
