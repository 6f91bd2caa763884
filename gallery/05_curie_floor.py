r"""
Task 2 sits on the Curie floor
==============================

:doc:`Task 2 <02_square_to_rectangle>` stalls on a plateau. Here we compute that plateau before training,
from symmetry alone, and find that the network reaches it: the loss of Task 2 is not a failure of the
optimiser but the best that *any* equivariant model can do on that input.

The argument in one line. The square carrying identical scalars is unchanged by every operation
:math:`g` of its group :math:`G = D_{4h}`, which moves point :math:`a` to point :math:`\pi_g(a)`. An
equivariant network must then give outputs with :math:`o_{\pi_g(a)} = D(g)\, o_a` for every :math:`g`.
These outputs form a linear subspace, and the closest point of that subspace to the targets :math:`t` is
their average over the group,

.. math::

    \bar t_a = \frac{1}{|G|} \sum_{g \in G} D(g)^{T}\, t_{\pi_g(a)} .

The mean squared distance from :math:`t` to :math:`\bar t` is the *Curie floor*: a lower bound on the
loss that holds for every weight of every equivariant architecture. The theory is on
:doc:`/theory/curie`.
"""

# %%
# The floor, computed
# -------------------
# :func:`symmetry_tasks.symmetry.curie_floor` finds the symmetry group of the input (positions and
# features together, with :func:`symmetry_tasks.symmetry.symmetry_group`), averages the targets over it with
# :func:`symmetry_tasks.symmetry.symmetric_projection` and returns the residual.

import matplotlib.pyplot as plt

from symmetry_tasks import plotting, shapes
from symmetry_tasks.equivariance import random_orthogonal, wigner_D
from symmetry_tasks.signals import displacement_signals, signal_irreps, x2_minus_y2
from symmetry_tasks.symmetry import breaking
from symmetry_tasks.tasks import task2

# sphinx_gallery_thumbnail_number = 1

result = task2()
irreps_in, irreps_out = result.model.irreps_in, result.model.irreps_out
floor = breaking.curie_floor(result.positions, result.inputs, result.targets, irreps_in, irreps_out)
print(f"symmetry group of the input: {floor.group.name} ({floor.group.order} operations)")
print(f"Curie floor:                 {floor.floor:.6e}")
print(f"final loss of Task 2:        {result.losses[-1]:.6e}")
print(f"relative gap:                {(result.losses[-1] - floor.floor) / floor.floor:.1e}")

ax = plotting.loss_curve(result.losses, floor=floor.floor, label="Task 2")

# %%
# We observe the loss curve flattening exactly onto the dashed line; the printed relative gap between
# the final loss and the floor is tiny. The network has done all it can.
#
# The floor is a property of the problem, not of the frame
# --------------------------------------------------------
# Rotate the whole problem, positions, input features and targets, by a random rotation, and by a
# random rotation combined with the inversion. The group found is then a rotated copy of
# :math:`D_{4h}` and the floor must not change.

for improper in (False, True):
    g = random_orthogonal(seed=3, improper=improper)
    turned = breaking.curie_floor(
        result.positions @ g.T,
        result.inputs @ wigner_D(irreps_in, g).T,
        result.targets @ wigner_D(irreps_out, g).T,
        irreps_in,
        irreps_out,
    )
    kind = "rotation + inversion" if improper else "rotation"
    change = abs(turned.floor - floor.floor) / floor.floor
    print(f"{kind:20s}: {turned.group.name}, floor {turned.floor:.6e}, change {change:.0e}")

# %%
# We observe the same group name and the same floor, with relative changes at round-off.
#
# The best symmetric output and the network's output
# --------------------------------------------------
# The projection :math:`\bar t` is the best output a symmetric model can give. We compare the trained
# network's output with it, and show both as signals on the sphere at each corner.

best = floor.best
distance = float((result.outputs - best).norm() / best.norm())
print(f"relative distance, network output to best symmetric: {distance:.1e}")
print(f"mean squared error of the best symmetric output: {float((best - result.targets).pow(2).mean()):.6e}")

markers = {"square (input)": result.positions, "rectangle (target)": result.target_positions}
figure = plotting.signal_surfaces(best, result.positions, markers=markers, title="best symmetric output")
figure

# %%

figure = plotting.signal_surfaces(
    result.outputs, result.positions, markers=markers, title="output of the trained network"
)
figure

# %%
# We observe two pictures that are hard to tell apart, and a printed relative distance that is small.
# Both hedge in the same way: at each corner, two equal lobes pointing in opposite directions. The corner
# should move along the diagonal of an edge, and the mirror through the corner's diagonal turns that
# direction into its opposite, so a symmetric output cannot say which of the two ways to go.
#
# What the floor is made of
# -------------------------
# The residual :math:`t - \bar t` is the part of the target that no symmetric output can produce. We
# split its squared norm by degree :math:`l` of the signal.

residual = result.targets - best
per_degree = signal_irreps().norms(residual).pow(2).sum(dim=0)
total = float(per_degree.sum())
for degree, part in enumerate(per_degree.tolist()):
    print(f"l = {degree}: {part / total:6.1%} of the unreachable part")

# %%
# We observe that all of the even degrees are reachable and all of the odd ones are lost. This matches
# the pictures: a signal made of even degrees takes the same value in opposite directions, so it can
# hold the two equal lobes exactly; the odd degrees are what would make one lobe larger than the other,
# and each corner's mirror symmetry cancels them.
#
# No floor when the output is allowed
# -----------------------------------
# Task 1 (rectangle to square) asks for more symmetry, and Task 3 adds :math:`x^2 - y^2` to the square's
# input, which lowers its group to the rectangle's. Both floors vanish.

plain = result.inputs
with_order_parameter = plain + 0.1 * x2_minus_y2()
for name, start, finish, features in (
    ("Task 1", shapes.rectangle(), shapes.square(), plain),
    ("Task 3", shapes.square(), shapes.rectangle(), with_order_parameter),
):
    other = breaking.curie_floor(start, features, displacement_signals(finish - start), irreps_in, irreps_out)
    print(f"{name}: input group {other.group.name}, floor {other.floor:.1e}")
plt.show()

# %%
# We observe floors at round-off. The floor is zero exactly when the target is as symmetric as the input
# allows, which is Curie's principle in a number. :doc:`08_two_domains` asks what happens when the data
# themselves contain both rectangles.
