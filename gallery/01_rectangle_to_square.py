"""
Task 1: from a rectangle to a square
====================================

Four points sit on the corners of a rectangle, and we ask an E(3)-equivariant network to move each
of them onto the corner of a square. Every point carries the same input, the scalar 1, so the only
thing that tells the points apart is where they are.

This is the easy direction. A square is *more* symmetric than a rectangle: whatever the rectangle's
symmetry operations do to the rectangle, they also do to the square, so nothing in the task asks the
network to break a symmetry that its input has. :doc:`Task 2 <02_square_to_rectangle>` runs the same
experiment backwards and fails; this page is the baseline it fails against.

Every claim on this page is checked by the code next to it: an ``assert`` that would stop the page
from being built if the claim were false.
"""

# %%
# The task
# --------
# Point :math:`i` of the rectangle should land on point :math:`i` of the square. Both shapes lie in
# the xy-plane and are centred at the origin (:func:`symmetry_tasks.shapes.rectangle`,
# :func:`symmetry_tasks.shapes.square`).

import torch

from symmetry_tasks import plotting, shapes
from symmetry_tasks.equivariance import (
    check_equivariance,
    irreps_matrix,
    random_orthogonal,
)
from symmetry_tasks.signals import decode_displacements
from symmetry_tasks.tasks import task1

# What "at round-off" means on this page: a thousand times the
# precision of float64.
ROUND_OFF = 1e3 * torch.finfo(torch.float64).eps

# sphinx_gallery_thumbnail_number = 1
ax = plotting.task_diagram(
    shapes.rectangle(),
    shapes.square(),
    "Task 1: rectangle to square",
    start_label="rectangle (input)",
    finish_label="square (target)",
)

# %%
# How a network outputs a displacement
# ------------------------------------
# The network's output at each point is not a 3-vector but a function on the sphere, written in
# spherical harmonics up to :math:`l = 5` (the irreps ``0e + 1o + 2e + 3o + 4e + 5o``). We read the
# output as a displacement: its direction is where the function peaks, its length is the value at
# the peak. The training target at each point is the signal built that way from the wanted
# displacement, :func:`symmetry_tasks.signals.displacement_signals`, and a finished output is decoded
# with :func:`symmetry_tasks.signals.decode_displacements`.
#
# Using a whole signal instead of a vector makes the symmetry of the output visible: a signal can
# have many peaks of equal height, which is how a network hedges when it cannot decide. We will see
# that happen in Task 2.
#
# Training
# --------
# :func:`symmetry_tasks.tasks.task1` builds the network (:class:`symmetry_tasks.nn.EquivariantNetwork`,
# seeded), and fits its weights with Adam on the mean squared error between output and target signals.

result = task1()
losses = result.losses
half = len(losses) // 2
print(f"{result.name}: {len(losses)} weight steps")
print(f"loss at the first step: {losses[0]:.3e}")
print(f"loss at the last step:  {losses[-1]:.3e}")
print(f"reduction factor: {losses[0] / losses[-1]:.1e}")
print(f"over the second half:  {losses[half] / losses[-1]:.1e}")
# the largest climb: a loss over the lowest loss of the steps before
lowest = torch.tensor(losses).cummin(dim=0).values
climbs = torch.tensor(losses[1:]) / lowest[:-1]
step = int(climbs.argmax()) + 1
print(
    f"largest climb: step {step},"
    f" {float(climbs.max()):.0f} times the lowest loss before it"
)

ax = plotting.loss_curve(losses, label="task 1")

# checked: several orders of magnitude in all, and still falling
# by more than one in the second half of training
assert losses[0] / losses[-1] > 1e3
assert losses[half] / losses[-1] > 10
assert climbs.max() > 1  # checked: the curve does climb

# %%
# We observe a loss that falls by the printed reduction factor over training, and by more than a
# factor of ten in the second half alone, but not smoothly. Once the loss is tiny, a step of Adam at its
# fixed learning rate overshoots the narrow valley the weights sit in: the loss climbs back up (at its
# worst by the printed factor, at the printed step) and falls again below where it was. The spikes
# cost nothing in the end; a learning rate that decays over training would smooth them out.
#
# The output signals
# ------------------
# Each surface below is one output signal drawn around its point: the distance from the point to the
# surface in a direction is the size of the signal there, and the colour its sign (red positive, blue
# negative). The long red lobe of each surface points towards that point's corner of the square.
# Drag or swipe to rotate, scroll or pinch to zoom.

wanted = result.target_positions - result.positions
moves = decode_displacements(result.outputs)
cosines = torch.cosine_similarity(moves, wanted, dim=1)
print("cosine of each decoded move with its wanted move:")
print(", ".join(f"{c:.6f}" for c in cosines.tolist()))
assert bool(
    (cosines > 0.99).all()
)  # checked: the lobes point right

figure = plotting.signal_surfaces(
    result.outputs,
    result.positions,
    markers={
        "rectangle (input)": result.positions,
        "square (target)": result.target_positions,
    },
    title="Task 1: output signals",
)
figure

# %%
# Equivariance, checked
# ---------------------
# The network is equivariant under rotations and reflections: rotating the input point cloud by
# :math:`g` rotates every output signal by the Wigner matrix :math:`D(g)` of its irreps,
#
# .. math::
#
#     f(g\,r) = D(g)\, f(r).
#
# We draw a random rotation (seeded, :func:`symmetry_tasks.equivariance.random_orthogonal`), feed the
# rotated rectangle to the trained network, and compare with the rotated output of the original
# rectangle (:func:`symmetry_tasks.equivariance.irreps_matrix` builds :math:`D(g)` in float64). The input
# features are scalars, so rotating them changes nothing, but we apply :math:`D(g)` to them anyway.

model, inputs = result.model, result.inputs
irreps_in, irreps_out = model.irreps_in, model.irreps_out
g = random_orthogonal(seed=1)
rotated_positions = result.positions @ g.T
rotated_inputs = inputs @ irreps_matrix(irreps_in, g).T
with torch.no_grad():
    rotated_output = model(rotated_inputs, rotated_positions)
print("rotation matrix g:")
print(g.numpy().round(3))
print("relative error |f(g r) - D(g) f(r)| / |f(r)|:")
for improper in (False, True):
    h = random_orthogonal(seed=1, improper=improper)
    (error,) = check_equivariance(
        model,
        inputs,
        result.positions,
        irreps_in,
        irreps_out,
        matrices=[h],
        tolerance=None,
    )
    kind = "rotation times inversion" if improper else "rotation"
    print(f"  {kind:24s} {error:.1e}")
    assert error < ROUND_OFF  # checked: round-off

# %%
# We observe relative errors at the level of double-precision round-off (below a thousand times the
# float64 precision) for both the rotation and the rotation combined with the inversion: the network
# is equivariant under the whole orthogonal group O(3), not only under rotations. Below is the output
# for the rotated rectangle. It is the same picture, turned.

figure = plotting.signal_surfaces(
    rotated_output,
    rotated_positions,
    markers={
        "rotated rectangle": rotated_positions,
        "rotated square": result.target_positions @ g.T,
    },
    title="Task 1, rotated: output signals",
)
figure

# %%
# Decoding the rotated output gives the rotated prediction, to the accuracy of the decoder
# (its directions are good to about :math:`10^{-8}`):

decoded = rotated_positions + decode_displacements(rotated_output)
gap = (decoded - result.predicted @ g.T).norm(dim=1).max()
print(f"largest distance, decoded vs rotated prediction: {gap:.1e}")
assert gap < 1e-6  # checked

# %%
# Where the points end up
# -----------------------
# Finally we decode the output of the original rectangle and draw the predicted corners over the
# target square, with a segment from each target corner to its prediction. The legend gives the
# largest distance between a prediction and its corner.

ax = plotting.final_positions(result)

side = float(
    shapes.square()[:, 0].max() - shapes.square()[:, 0].min()
)
miss = (result.predicted - result.target_positions).norm(dim=1)
assert miss.max() < 1e-3 * side  # checked: on the corners

# %%
# We observe the four predictions on the four corners of the square, each less than a thousandth
# of the square's side away. The theory behind this success, and behind the failure that comes next,
# is on the page :doc:`/theory/curie`.
