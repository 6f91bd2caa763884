r"""
Task 3: breaking the symmetry with an x²−y² input
=================================================

Task 2 failed because the input, a square of identical scalars, has more symmetry than the
rectangle the network should produce. Curie's principle does not forbid the task; it says the
missing information has to come in through the input. So we add to every point a feature whose
symmetry is exactly the rectangle's, and nothing more: the quadratic x² − y².

This page explains where that choice comes from, how to write it in e3nn's basis (where it is *not*
a single component), and shows that with it the network learns the task that
:doc:`Task 2 <02_square_to_rectangle>` could not.
"""

# %%
# Why x²−y²
# ----------
# The square's point group :group:`D4h` has 16 operations; with the z axis normal to the square,
# each one maps :math:`(x, y, z)` to a signed permutation that either keeps or swaps x and y. The 8
# that never swap are the rectangle's group :group:`D2h`. We list all 16, check which ones map the
# rectangle onto itself, and compute the character of :math:`x^2 - y^2`: the factor
# :math:`\chi(g) = \pm 1` it picks up under :math:`g`. In e3nn that factor is
# :math:`\hat v \cdot D^{2}(g)\, \hat v` for the unit coefficient vector :math:`\hat v` of
# :math:`x^2 - y^2` (:func:`symmetry_tasks.signals.x2_minus_y2`) and the Wigner matrix
# :math:`D^2(g)` of ``2e`` (:func:`symmetry_tasks.equivariance.irreps_matrix`).

import itertools

import torch

from symmetry_tasks import plotting, shapes
from symmetry_tasks.equivariance import irreps_matrix
from symmetry_tasks.polynomials import (
    component_names,
    polynomial_to_sh,
    sh_to_polynomial,
)
from symmetry_tasks.signals import (
    decode_displacements,
    signal_irreps,
    x2_minus_y2,
)
from symmetry_tasks.symmetry import symmetry_group
from symmetry_tasks.tasks import (
    BREAKING_AMPLITUDE,
    deform,
    task2,
    task3,
)

ROUND_OFF = 1e3 * torch.finfo(torch.float64).eps  # as on Task 1

# sphinx_gallery_thumbnail_number = 1


def maps_onto(points: torch.Tensor, g: torch.Tensor) -> bool:
    """Whether ``g`` maps the point set onto itself."""
    gaps = torch.cdist(points @ g.T, points).min(dim=1).values
    return bool(gaps.max() < 1e-12)


def substitution(g: torch.Tensor) -> str:
    """How ``g`` acts on the coordinates, e.g. ``(-y,x,z)``."""
    images = []
    for row in g.tolist():
        (axis,) = [n for n, e in zip("xyz", row, strict=True) if e]
        images.append(("-" if sum(row) < 0 else "") + axis)
    return "(" + ",".join(images) + ")"


v = x2_minus_y2(2)[4:]  # the l = 2 block
square, rectangle = shapes.square(), shapes.rectangle()
print("(x,y,z) ->   keeps square  keeps rectangle  chi")
rows = []
for swap, signs in itertools.product(
    (False, True), itertools.product((1, -1), repeat=3)
):
    g = torch.diag(torch.tensor(signs, dtype=torch.float64))
    if swap:
        g = g[[1, 0, 2]]
    chi = float(v @ irreps_matrix("2e", g) @ v)
    keeps = maps_onto(square, g), maps_onto(rectangle, g)
    rows.append((swap, *keeps, chi))
    print(
        f"{substitution(g):12s} {keeps[0]!s:>12}"
        f" {keeps[1]!s:>16} {chi:+4.0f}"
    )

# checked: all 16 keep the square; the rectangle's 8 are those
# without a swap, with chi = +1 on them and -1 on the other 8
for swap, keeps_square, keeps_rectangle, chi in rows:
    assert keeps_square and keeps_rectangle == (not swap)
    assert abs(chi - (-1 if swap else 1)) < ROUND_OFF

# %%
# We observe that all 16 operations keep the square, exactly the 8 without a swap keep the
# rectangle, and the character is :math:`+1` on those 8 and :math:`-1` on the other 8. In
# the language of character tables, :math:`x^2 - y^2` spans the irrep :math:`B_{1g}` of
# :math:`D_{4h}`: it is invariant under the rectangle's operations and changes sign under every
# operation the rectangle lacks. A feature with that property lowers the symmetry of the input from
# :math:`D_{4h}` to :math:`D_{2h}` and no further, which is all Curie's principle asks for. The
# tables and the general recipe for finding such *order parameters* are on
# :doc:`/theory/character_tables` and :doc:`/theory/d4h_d2h`.
#
# Writing x²−y² in e3nn's basis
# ------------------------------
# Character tables put the principal axis along z. Modern e3nn orders its spherical harmonics with
# y as the polar axis, and names the five ``l = 2`` components as follows
# (:func:`symmetry_tasks.polynomials.component_names`, each up to a constant):

print(component_names(2)[4:])

# %%
# None of them is :math:`x^2 - y^2`. Its coefficient vector combines two of them
# (:func:`symmetry_tasks.polynomials.polynomial_to_sh` solves for it, and
# :func:`symmetry_tasks.polynomials.sh_to_polynomial` translates back):

print("unit x^2 - y^2, l = 2 block:", v.numpy().round(4))
print("read back as a polynomial:", sh_to_polynomial(v, 2))
assert int((v.abs() > ROUND_OFF).sum()) == 2  # checked: two
assert sh_to_polynomial(v, 2) == "x^2 - y^2"

# %%
# The original tutorial, written for an older e3nn with z as the polar axis, set a single entry,
# index 8 of the signal (the last ``l = 2`` component). In today's basis that entry is another
# function, and only part of it is :math:`x^2 - y^2`; the rest is :math:`2z^2 - x^2 - y^2`, which the
# square's group leaves unchanged and which therefore breaks nothing.

old = torch.zeros(5, dtype=torch.float64)
old[4] = 1.0
invariant = polynomial_to_sh("2*z^2 - x^2 - y^2", 2)[4:]
invariant = invariant / invariant.norm()
along, along_invariant = float(old @ v), float(old @ invariant)
rest = float((old - along * v - along_invariant * invariant).norm())
print("index 8 today:", sh_to_polynomial(old, 2))
print(f"its cosine with x^2 - y^2:        {along:+.4f}")
print(f"its cosine with 2z^2 - x^2 - y^2: {along_invariant:+.4f}")
print(f"what is left outside these two:   {rest:.1e}")
# checked: part of it on each, nothing outside them
assert abs(along) > 0.1 and abs(along_invariant) > 0.1
assert rest < ROUND_OFF

# %%
# We observe two cosines far from zero and nothing left outside the two directions: the old index
# names a mixture, of :math:`x^2 - y^2` with a negative sign and of :math:`2z^2 - x^2 - y^2`. A faithful
# port sets two components, in the printed ratio, to get the tutorial's feature. The old index is not
# wrong, though: the invariant part changes nothing, so it lowers the square's group to the same
# :group:`D2h`, and a network trained with it from the start learns the task just as well (checked
# after the training below). The sign of :math:`x^2 - y^2` only matters against a network that was
# already trained with the other sign: there it picks the other rectangle
# (:doc:`08_two_domains`). The conventions are spelled out on :doc:`/theory/e3nn_coordinates`.
#
# The deformed sphere
# -------------------
# Every point now carries the scalar 1 plus a small multiple of the :math:`x^2 - y^2` direction
# (:data:`symmetry_tasks.tasks.BREAKING_AMPLITUDE`). As a function on the sphere this is a sphere
# pushed out along one in-plane axis and pulled in along the other. The colours below compare the
# signal with its mean over the sphere, which is the value of its ``l = 0`` part alone: red where
# the feature pushes the sphere out, blue where it pulls it in.

result = task3()
print(f"amplitude of the x^2 - y^2 feature: {BREAKING_AMPLITUDE}")
feature = result.inputs[0]
sphere = signal_irreps()
axes = torch.eye(3, dtype=torch.float64)
along_x, along_y, along_z = sphere.signal_xyz(
    feature, axes
).tolist()
scalar_part = torch.zeros_like(feature)
scalar_part[0] = feature[0]
mean = float(sphere.signal_xyz(scalar_part, axes[2]))
print(
    f"input along x {along_x:.4f}, y {along_y:.4f}, z {along_z:.4f}"
)
print(f"mean over the sphere: {mean:.4f}")
# checked: out along x, in along y, untouched along z
assert along_x > mean > along_y
assert abs(along_z - mean) < ROUND_OFF

figure = plotting.signal_surfaces(
    feature, cmid=mean, title="the input feature of every point"
)
figure

# %%
# We observe the input pushed out along x, pulled in along y and untouched along z. It is unchanged
# by the eight operations that keep the rectangle and altered by the other eight, exactly like the
# rectangle itself.
#
# Training succeeds
# -----------------
# :func:`symmetry_tasks.tasks.task3` is Task 2 with this input. We plot its loss over the loss of
# Task 2.

stuck = task2()
print(f"final loss, task 2 (scalar input): {stuck.losses[-1]:.3e}")
print(f"final loss, task 3 (x^2 - y^2):    {result.losses[-1]:.3e}")
assert result.losses[-1] < 1e-3 * stuck.losses[-1]  # checked

ax = plotting.loss_curve(stuck.losses, label="task 2: scalars only")
ax = plotting.loss_curve(
    result.losses, ax=ax, label="task 3: scalars + x²−y²"
)

# %%
# We observe the Task 3 curve leaving the Task 2 plateau behind and ending more than a thousand times
# lower. The old index-8 feature, at the same amplitude, does as well:

index_8 = result.inputs.clone()
index_8[:, 4:9] = BREAKING_AMPLITUDE * old
with_index_8 = deform(
    shapes.square(), rectangle, index_8, name="index 8 input"
)
group_8 = symmetry_group(square, index_8, result.model.irreps_in)
print(f"group of the index-8 input: {group_8.name}")
print(f"final loss with index 8: {with_index_8.losses[-1]:.3e}")
assert group_8.name == "D2h"  # checked: the rectangle's group
assert with_index_8.losses[-1] < 1e-3 * stuck.losses[-1]  # checked

# %%
# The outputs no longer hedge: at each corner the signal is larger in the direction the point
# should move than in the mirror image of that direction, and its peak points at the rectangle's
# corner.

wanted = result.target_positions - result.positions
unit = wanted / wanted.norm(dim=1, keepdim=True)
diagonal = result.positions / result.positions.norm(
    dim=1, keepdim=True
)
mirrored = (
    2 * (unit * diagonal).sum(1, keepdim=True) * diagonal - unit
)
for i, output in enumerate(result.outputs):
    there, across = sphere.signal_xyz(
        output, torch.stack([unit[i], mirrored[i]])
    )
    print(f"point {i}: wanted {there:.4f}, mirrored {across:.4f}")
    assert there > 2 * across  # checked: one dominant lobe
moves = decode_displacements(result.outputs)
assert bool(
    (torch.cosine_similarity(moves, wanted, dim=1) > 0.99).all()
)

figure = plotting.signal_surfaces(
    result.outputs,
    result.positions,
    markers={
        "square (input)": result.positions,
        "rectangle (target)": result.target_positions,
    },
    title="Task 3: output signals",
)
figure

# %%
# Where the points end up
# -----------------------

ax = plotting.final_positions(result)

side = float(rectangle[:, 1].max() - rectangle[:, 1].min())
miss = (result.predicted - result.target_positions).norm(dim=1)
assert miss.max() < 1e-2 * side  # checked: on the corners

# %%
# We observe the predictions on the rectangle's corners, each less than a hundredth of its long
# side away. :doc:`Task 4 <04_learning_the_input>` reaches the same result without reading a
# character table.
