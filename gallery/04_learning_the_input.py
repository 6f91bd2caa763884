r"""
Task 4: letting gradient descent break the symmetry
===================================================

:doc:`Task 3 <03_breaking_with_x2_y2>` fixed the square-to-rectangle problem with a feature read off
a character table. Here nobody reads a table. We treat the input features themselves as parameters
and let gradient descent change them, alternating with ordinary weight updates. If the input has to
lose symmetry for the loss to fall, the gradient should find out how.

The run has two phases. First the weights alone are trained, exactly as in :doc:`Task 2 <02_square_to_rectangle>`,
until the loss sits on its plateau. Then each round makes one step
on the weights and one step on the input.
"""

# %%
# Training in two phases
# ----------------------
# :func:`symmetry_tasks.tasks.task4` runs both phases; the second is
# :func:`symmetry_tasks.training.fit_alternating`. The input step minimises the loss plus a penalty
# (:class:`symmetry_tasks.training.InputPenalty`) that keeps the scalar near 1, pushes every block
# other than ``l = 2`` towards zero, asks all points to carry the same ``l = 2`` block and keeps that
# block small.

import matplotlib.pyplot as plt
import torch

from symmetry_tasks import plotting
from symmetry_tasks.plotting import input_table
from symmetry_tasks.signals import polynomial_to_sh, signal_irreps, x2_minus_y2
from symmetry_tasks.tasks import task4

# sphinx_gallery_thumbnail_number = 1

result = task4()
stuck, total = result.stuck_steps, len(result.losses)
print(f"weight-only steps: {stuck}, alternating rounds: {total - stuck}")
print(f"loss at the end of the stuck phase: {result.losses[stuck - 1]:.4e}")
print(f"loss at the last step:              {result.losses[-1]:.4e}")

ax = plotting.loss_curve(
    result.losses,
    phases=[(0, stuck, "weights only (stuck)"), (stuck, total, "weights and input, alternating")],
    label="loss",
)

# %%
# We observe the plateau of Task 2 during the first phase, at the printed value. Once the input may
# move, the loss leaves the plateau and keeps falling to the printed final value. Nothing about the
# network changed at the boundary; only the input gained the freedom to become less symmetric.
#
# What input did it learn?
# ------------------------
# Below is the learned input, one row per point and one column per component, grouped by ``l``
# (e3nn's order, with y as the polar axis: see :doc:`/theory/e3nn_coordinates`). The colour scale is
# set by everything but the scalar column, whose values are written in its cells. After a gap, two
# extra columns give the projection of each row on two unit ``l = 2`` directions: :math:`x^2 - y^2`,
# the order parameter of Task 3, and :math:`2z^2 - x^2 - y^2`, a function that every operation of the
# square leaves unchanged (the irrep :math:`A_{1g}` of :math:`D_{4h}`).

order_parameter = x2_minus_y2()
invariant = polynomial_to_sh("2*z^2 - x^2 - y^2")
invariant = invariant / invariant.norm()
ax = plotting.input_heatmap(
    result.inputs,
    projections={"x²−y²": order_parameter, "2z²−x²−y²": invariant},
    title="learned input",
)

# %%
# The numbers behind the picture: the size of each ``l`` block (averaged over the points) and the
# ``l = 2`` block itself.

norms = signal_irreps().norms(result.inputs).mean(dim=0)
for degree, norm in enumerate(norms.tolist()):
    print(f"l = {degree}: mean block norm {norm:.2e}")
others = torch.cat([norms[1:2], norms[3:]]).max()
print(f"l = 2 block over the largest other non-scalar block: {float(norms[2] / others):.0f} times")
print()
print(input_table(result.inputs, 2))

# %%
# We observe that the scalar stays at its printed value and that the ``l = 2`` block outweighs every
# other non-scalar block by the printed factor; the table shows the same ``l = 2`` block on every
# point. Now the decisive question: how much of that block is :math:`x^2 - y^2`? We print, per point,
# the cosine of its ``l = 2`` block with the two directions above, and what is left outside them.

block = slice(4, 9)
for i, row in enumerate(result.inputs[:, block]):
    unit = row / row.norm()
    along = float(unit @ order_parameter[block])
    along_invariant = float(unit @ invariant[block])
    rest = float((unit - along * order_parameter[block] - along_invariant * invariant[block]).norm())
    print(
        f"point {i}: cos with x^2-y^2 {along:+.4f}, cos with 2z^2-x^2-y^2 {along_invariant:+.4f}, rest {rest:.1e}"
    )

# %%
# We observe that the learned block lies in the plane of these two directions (the printed rest is
# small) and points mostly along :math:`x^2 - y^2`, as the printed cosine says: gradient descent
# rediscovered the order parameter of Task 3, sign aside (the network's weights absorb the sign).
# The part along :math:`2z^2 - x^2 - y^2` is harmless. That function is invariant under the whole
# group of the square, so it breaks no symmetry and cannot be what lets the loss leave the plateau.
# Nothing pins it to zero exactly because the penalty on the ``l = 2`` block is an
# :math:`\ell_1` norm of coefficients in e3nn's basis, which is not rotation invariant: it favours
# some directions in the ``l = 2`` space over others, and in today's basis :math:`x^2 - y^2` is a
# mixture of two components rather than one (see :doc:`Task 3 <03_breaking_with_x2_y2>`).
#
# As a function on the sphere, the learned input at every point is a slightly deformed sphere, like
# the hand-made feature of Task 3. As there, the colours compare the signal with its mean over the
# sphere (the value of the ``l = 0`` part alone): red above, blue below.

scalar_parts = torch.zeros_like(result.inputs)
scalar_parts[:, 0] = result.inputs[:, 0]
up = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)
mean = float(signal_irreps().signal_xyz(scalar_parts, up).mean())
figure = plotting.signal_surfaces(
    result.inputs, result.positions, cmid=mean, markers={"square": result.positions}
)
figure

# %%
# Where the points end up
# -----------------------

errors = (result.predicted - result.target_positions).norm(dim=1)
print("distance of each predicted point from its target:", ", ".join(f"{e:.1e}" for e in errors.tolist()))

ax = plotting.positions_over_target(
    result.predicted, result.target_positions, "Task 4: decoded positions", start=result.positions
)
plt.show()

# %%
# We observe the predictions on the rectangle's corners, up to the printed distances. Symmetry
# breaking did not need a character table: it needed an input that was allowed to change, and a
# loss that rewarded the change. Why the first phase cannot escape its plateau on its own, and how
# low a symmetric output can go, is the subject of :doc:`/theory/curie`.
