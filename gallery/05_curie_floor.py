r"""
The Curie floor: Task 2's plateau, computed from symmetry
=========================================================

How low can the loss of an equivariant network go when its input is more symmetric than its target?
Symmetry alone answers, before any training: the answer is a number, the Curie floor, and Task 2's
plateau is exactly that number. The loss of Task 2 is not a failure of the optimiser but the best
that any equivariant model can do on that input.

The argument in one line. The square carrying identical scalars is unchanged by every operation
:math:`g` of its group :math:`G = D_{4h}`, which moves point :math:`a` to point :math:`\pi_g(a)`. An
equivariant network must then give outputs with :math:`o_{\pi_g(a)} = D(g)\, o_a` for every :math:`g`.
These outputs form a linear subspace, and the closest point of that subspace to the targets :math:`t` is
their average over the group,

.. math::

    \bar t_a = \frac{1}{|G|} \sum_{g \in G} D(g)^{T}\, t_{\pi_g(a)} .

The mean squared distance from :math:`t` to :math:`\bar t` is the *Curie floor*: a lower bound on the
loss that holds for every weight of every equivariant architecture. The theory is on
:doc:`/theory/curie`; the experiment is :doc:`Task 2 <02_square_to_rectangle>`.
"""

# %%
# The floor, computed
# -------------------
# :func:`symmetry_tasks.symmetry.curie_floor` finds the symmetry group of the input (positions and
# features together, with :func:`symmetry_tasks.symmetry.symmetry_group`), averages the targets over it
# with :func:`symmetry_tasks.symmetry.symmetric_projection` and returns the residual.

import torch

from symmetry_tasks import plotting, shapes
from symmetry_tasks.equivariance import (
    irreps_matrix,
    random_orthogonal,
)
from symmetry_tasks.signals import (
    displacement_signals,
    signal_irreps,
    x2_minus_y2,
)
from symmetry_tasks.symmetry import breaking, symmetry_group
from symmetry_tasks.tasks import task2

ROUND_OFF = 1e3 * torch.finfo(torch.float64).eps  # as on Task 1

# sphinx_gallery_thumbnail_number = 1

result = task2()
irreps_in = result.model.irreps_in
irreps_out = result.model.irreps_out
floor = breaking.curie_floor(
    result.positions,
    result.inputs,
    result.targets,
    irreps_in,
    irreps_out,
)
gap = (result.losses[-1] - floor.floor) / floor.floor
group = floor.group
print(
    f"group of the input: {group.name} ({group.order} operations)"
)
print(f"Curie floor:          {floor.floor:.6e}")
print(f"final loss of Task 2: {result.losses[-1]:.6e}")
print(f"relative gap:         {gap:.1e}")

ax = plotting.loss_curve(
    result.losses, floor=floor.floor, label="Task 2"
)

# checked: the square's group; the loss ends on the floor and never
# goes below it
assert group.name == symmetry_group(shapes.square()).name
assert group.order == 16
assert 0 <= gap < 1e-3
assert min(result.losses) >= floor.floor * (1 - ROUND_OFF)

# %%
# We observe the loss curve flattening onto the dashed line: the final loss is above the floor by the
# printed relative gap (the check allows a thousandth), and no step of training went below it. The network has done all it can.
#
# The floor is a property of the problem, not of the frame
# --------------------------------------------------------
# Rotate the whole problem, positions, input features and targets, by a random rotation, and by a
# random rotation combined with the inversion. The group found is then a rotated copy of
# :group:`D4h` and the floor must not change.

for improper in (False, True):
    g = random_orthogonal(seed=3, improper=improper)
    turned = breaking.curie_floor(
        result.positions @ g.T,
        result.inputs @ irreps_matrix(irreps_in, g).T,
        result.targets @ irreps_matrix(irreps_out, g).T,
        irreps_in,
        irreps_out,
    )
    kind = "rotation + inversion" if improper else "rotation"
    change = abs(turned.floor - floor.floor) / floor.floor
    print(f"{kind:20s}: {turned.group.name}, change {change:.0e}")
    assert turned.group.name == group.name  # checked
    assert change < ROUND_OFF

# %%
# We observe the same group name and the same floor, with relative changes at round-off.
#
# The best symmetric output and the network's output
# --------------------------------------------------
# The projection :math:`\bar t` is the best output a symmetric model can give. We compare the trained
# network's output with it, and show both as signals on the sphere at each corner.

best = floor.best
distance = float((result.outputs - best).norm() / best.norm())
best_error = float((best - result.targets).pow(2).mean())
print(
    f"relative distance, network to best symmetric: {distance:.1e}"
)
print(f"mean squared error of the best symmetric: {best_error:.6e}")
assert distance < 1e-2  # checked: close
assert abs(best_error - floor.floor) < ROUND_OFF * floor.floor

# each signal in the direction a corner should move, and opposite
sphere = signal_irreps()
wanted = result.target_positions - result.positions
unit = wanted / wanted.norm(dim=1, keepdim=True)
for name, signals in (("best", best), ("network", result.outputs)):
    lobes = torch.stack(
        [
            sphere.signal_xyz(f, torch.stack([u, -u]))
            for f, u in zip(signals, unit, strict=True)
        ]
    )
    gap = float((lobes[:, 0] - lobes[:, 1]).abs().max())
    size = float(lobes.abs().max())
    print(f"{name}: lobes up to {size:.4f}, unequal by {gap:.1e}")
    assert gap < ROUND_OFF * size  # checked: two equal lobes

# side by side, seen from above, each around its own copy of the
# square and on one scale: the best symmetric output on the left,
# the network's on the right; the longest lobe drawn a third of
# the square's side
side = float((result.positions[1] - result.positions[0]).norm())
shift = torch.tensor([1.05 * side, 0.0, 0.0], dtype=torch.float64)
figure = plotting.signal_surfaces(
    torch.cat([best, result.outputs]),
    torch.cat([result.positions - shift, result.positions + shift]),
    scale=side / 3 / size,
    markers={
        "square (input)": torch.cat(
            [result.positions - shift, result.positions + shift]
        )
    },
    title="best symmetric output (left), network (right)",
    view="above",
)
figure

# %%
# We observe two pictures that are hard to tell apart: the network's output is the printed relative
# distance from the best symmetric one (the check allows a percent). Both hedge in the same way: at each corner, two equal lobes pointing in
# opposite directions. The corner should move along the diagonal of an edge, and the mirror through
# the corner's diagonal turns that direction into its opposite, so a symmetric output cannot say
# which of the two ways to go.

# %%
# What the floor is made of
# -------------------------
# The residual :math:`t - \bar t` is the part of the target that no symmetric output can produce. We
# split the target by degree :math:`l` of the signal, and print, for each degree, the share of the
# target that the best symmetric output reproduces and the share of the floor that degree holds.

residual = result.targets - best
target_parts = sphere.norms(result.targets).pow(2).sum(dim=0)
kept_parts = (
    1 - sphere.norms(residual).pow(2).sum(dim=0) / target_parts
)
lost_parts = sphere.norms(residual).pow(2).sum(dim=0)
lost_parts = lost_parts / lost_parts.sum()
print("l  reproduced  share of the floor")
for degree, (kept, lost) in enumerate(
    zip(kept_parts, lost_parts, strict=True)
):
    # abs: a share of 0 can come out as -1e-16
    print(f"{degree}  {abs(kept):10.1%}  {lost:18.1%}")
    # checked: even degrees fully reproduced, odd degrees fully lost
    assert abs(kept - (1 if degree % 2 == 0 else 0)) < 1e-9

# %%
# We observe that the best symmetric output reproduces the even degrees of the target completely and
# none of the odd degrees: the floor is made of the odd degrees alone. This matches the pictures: a
# signal made of even degrees takes the same value in opposite directions, so it can hold the two
# equal lobes exactly; the odd degrees are what would make one lobe larger than the other, and each
# corner's mirror symmetry cancels them.
#
# No floor when the output is allowed
# -----------------------------------
# Task 1 (rectangle to square) asks for more symmetry, and Task 3 adds :math:`x^2 - y^2` to the
# square's input, which lowers its group to the rectangle's. Both floors vanish.

plain = result.inputs
broken = plain + 0.1 * x2_minus_y2()
others = (
    ("Task 1", shapes.rectangle(), shapes.square(), plain),
    ("Task 3", shapes.square(), shapes.rectangle(), broken),
)
for name, start, finish, features in others:
    other = breaking.curie_floor(
        start,
        features,
        displacement_signals(finish - start),
        irreps_in,
        irreps_out,
    )
    print(
        f"{name}: group {other.group.name}, floor {other.floor:.1e}"
    )
    assert other.floor < ROUND_OFF * floor.floor  # checked: zero

# %%
# We observe floors at round-off. The floor is zero exactly when the target is as symmetric as the
# input allows, which is Curie's principle in a number. :doc:`08_two_domains` asks what happens when
# the data themselves contain both rectangles.
