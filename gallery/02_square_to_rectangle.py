"""
Task 2: from a square to a rectangle, and why it gets stuck
===========================================================

Now the same experiment in reverse: four points on the corners of a square, each carrying the
scalar 1, and a network asked to pull them into the rectangle of :doc:`Task 1 <01_rectangle_to_square>`.
The network, the target encoding and the optimiser are unchanged. The loss stops falling early and
stays on a plateau, however long we train.

The reason is not the optimiser but symmetry. An equivariant network cannot produce an output that
is less symmetric than its input, and the rectangle is less symmetric than the square.
"""

# %%
# The task
# --------

import matplotlib.pyplot as plt
import torch

from symmetry_tasks import plotting, shapes
from symmetry_tasks.equivariance import wigner_D
from symmetry_tasks.signals import signal_irreps
from symmetry_tasks.tasks import task2

# sphinx_gallery_thumbnail_number = 2

ax = plotting.task_diagram(
    shapes.square(),
    shapes.rectangle(),
    "Task 2: square to rectangle",
    start_label="square (input)",
    finish_label="rectangle (target)",
)

# %%
# Training gets stuck
# -------------------
# :func:`symmetry_tasks.tasks.task2` trains exactly as Task 1 did.

result = task2()
losses = result.losses
print(f"{result.name}: {len(losses)} weight steps")
print(f"loss at the first step: {losses[0]:.4e}")
print(f"loss at the last step:  {losses[-1]:.4e}")
window = len(losses) // 2
change = abs(losses[-1] - losses[-window]) / losses[-window]
print(f"relative change of the loss over the last {window} steps: {change:.1e}")

ax = plotting.loss_curve(losses, label="task 2")

# %%
# We observe a quick drop followed by a flat line: the printed relative change over the second half
# of training is tiny, and the printed final loss is the plateau. More steps, another seed or another
# learning rate land on the same plateau, because it is set by the geometry of the problem, not by
# the optimiser.
#
# The outputs are as symmetric as the square
# ------------------------------------------
# Look at each surface from above. The output at a corner is mirror-symmetric about the diagonal
# through that corner: where the target wants one lobe, the network draws two of equal size.

figure = plotting.signal_surfaces(
    result.outputs,
    result.positions,
    markers={"square (input)": result.positions, "rectangle (target)": result.target_positions},
)
figure

# %%
# We can measure the symmetry instead of eyeballing it. An operation :math:`g` of the square
# carries point :math:`i` to some point :math:`\pi(i)`; an output with the square's symmetry must
# then satisfy :math:`f_{\pi(i)} = D(g)\, f_i`, with :math:`D(g)` the Wigner matrix of the output
# irreps (:func:`symmetry_tasks.equivariance.wigner_D`). We check four operations: two that the
# rectangle shares with the square (the half turn about z and the mirror :math:`x \to -x`) and two
# that only the square has (the quarter turn about z and the diagonal mirror :math:`x \leftrightarrow y`).

operations = {
    "half turn about z (C2)": [[-1, 0, 0], [0, -1, 0], [0, 0, 1]],
    "mirror x -> -x (sigma_v)": [[-1, 0, 0], [0, 1, 0], [0, 0, 1]],
    "quarter turn about z (C4)": [[0, -1, 0], [1, 0, 0], [0, 0, 1]],
    "diagonal mirror x <-> y (sigma_d)": [[0, 1, 0], [1, 0, 0], [0, 0, 1]],
}
irreps = result.model.irreps_out


def symmetry_defect(signals: torch.Tensor, g: torch.Tensor) -> float:
    """Relative size of f_pi(i) - D(g) f_i over the square's points."""
    moved = result.positions @ g.T
    image = torch.cdist(moved, result.positions).argmin(dim=1)  # point i goes to point image[i]
    return float((signals[image] - signals @ wigner_D(irreps, g).T).norm() / signals.norm())


print(f"{'operation':36s} {'output':>9s} {'target':>9s}")
for name, matrix in operations.items():
    g = torch.tensor(matrix, dtype=torch.float64)
    print(f"{name:36s} {symmetry_defect(result.outputs, g):9.1e} {symmetry_defect(result.targets, g):9.1e}")

# %%
# We observe that the output passes all four tests to round-off. The target passes the two tests of
# operations it shares with the square and fails the quarter turn and the diagonal mirror by a
# printed defect of order one. The network was asked for something it is unable to express.
#
# What the output does instead: at each corner, compare the output signal in the direction the point
# should move, :math:`\hat d_i`, with its value in the mirror image of that direction across the
# corner's diagonal.

sphere = signal_irreps()
for i, (start, finish) in enumerate(zip(result.positions, result.target_positions, strict=True)):
    wanted = (finish - start) / (finish - start).norm()
    diagonal = start / start.norm()
    mirrored = 2 * (wanted @ diagonal) * diagonal - wanted
    along, across = (sphere.signal_xyz(result.outputs[i], u).item() for u in (wanted, mirrored))
    print(f"point {i}: f(wanted direction) = {along:.4f}, f(mirrored direction) = {across:.4f}")

# %%
# We observe equal printed values: the network hedges, and the plateau is the price of hedging. The
# smallest loss an output with the square's symmetry can reach is its distance to the symmetric part
# of the target, and training finds that floor.
#
# Curie's principle
# -----------------
# What we see is Pierre Curie's principle, in the form that matters for equivariant networks: *the
# symmetry group of the output contains the symmetry group of the input*. The square with its
# identical scalars is invariant under the point group :math:`D_{4h}` (16 operations: the rotations
# of the square, each possibly combined with the inversion); the rectangle only under its subgroup
# :math:`D_{2h}` (8 operations). Every operation in :math:`D_{4h}` but not in :math:`D_{2h}`, like the
# quarter turn and the diagonal mirror above, must also leave the output unchanged, so the output
# cannot be the rectangle. See :doc:`/theory/curie` for the argument and :doc:`/theory/d4h_d2h` for
# the two groups.
#
# .. note::
#
#    The original tutorial used a network without parity and said the square's group is then
#    :math:`C_4` and the rectangle's :math:`C_2`. Its rotations alone in fact form :math:`D_4` (8
#    operations, with the half turns about in-plane axes) and :math:`D_2` (4 operations); the
#    argument is the same. Our network is equivariant under parity too, so the full groups with
#    inversion apply. :doc:`/theory/c4_c2` has the details.
#
# Where the points end up
# -----------------------
# Decoding picks the highest peak of each output. With two peaks of equal height, round-off decides
# which one wins, so the decoded shape below reflects that coin toss rather than anything the
# network learned.

errors = (result.predicted - result.target_positions).norm(dim=1)
print("distance of each predicted point from its target:", ", ".join(f"{e:.1e}" for e in errors.tolist()))

ax = plotting.positions_over_target(
    result.predicted, result.target_positions, "Task 2: decoded positions", start=result.positions
)
plt.show()

# %%
# The way out is to give the network an input that is no more symmetric than the answer.
# :doc:`Task 3 <03_breaking_with_x2_y2>` adds such an input by hand;
# :doc:`Task 4 <04_learning_the_input>` lets gradient descent find it.
