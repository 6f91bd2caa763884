r"""
The order parameter without a character table
=============================================

:doc:`Task 3 <03_breaking_with_x2_y2>` reads :math:`x^2 - y^2` off the character table of :math:`D_{4h}`;
:doc:`Task 4 <04_learning_the_input>` lets gradient descent find something like it. Here the order
parameter is *computed*: from the two point clouds alone we get their groups, and from the groups every
spherical harmonic that the rectangle's group leaves unchanged and the square's group does not.

For a degree :math:`l`, the harmonics left unchanged by a group :math:`K` form the range of the projector
:math:`P_K = \frac{1}{|K|}\sum_{k \in K} D^l(k)`. The order parameters of :math:`G > H` span the range of
:math:`P_H - P_G`; splitting that space with the projectors onto the irreps of :math:`G` gives each
direction its Mulliken label. See :doc:`/theory/d4h_d2h` for the same result in table form.
"""

# %%
# From point clouds to order parameters
# -------------------------------------
# :func:`symmetry_tasks.symmetry.symmetry_group` finds the group of each shape;
# :func:`symmetry_tasks.symmetry.order_parameters` does the rest.

import matplotlib.pyplot as plt
import sympy
import torch
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication,
    parse_expr,
    standard_transformations,
)

from symmetry_tasks import plotting, shapes
from symmetry_tasks.nn import DEFAULT_IRREPS
from symmetry_tasks.signals import LMAX, x2_minus_y2
from symmetry_tasks.symmetry import breaking
from symmetry_tasks.symmetry import symmetry_group
from symmetry_tasks.tasks import deform, scalar_inputs, task4

# sphinx_gallery_thumbnail_number = 2

G, H = symmetry_group(shapes.square()), symmetry_group(shapes.rectangle())
print(f"square: {G.name} ({G.order} operations), rectangle: {H.name} ({H.order} operations)")
found = breaking.order_parameters(G, H, LMAX)
for p in found:
    print(f"l = {p.irrep.l} ({p.irrep}), irrep {p.label}: {p.polynomial}")

implicit = (*standard_transformations, implicit_multiplication, convert_xor)
quadratic, quartic_polynomial = (parse_expr(p.polynomial, transformations=implicit) for p in found)
print("quartic / quadratic =", sympy.cancel(quartic_polynomial / quadratic))

# %%
# We observe two order parameters up to :math:`l_\max = 5`, both in the irrep :math:`B_{1g}`: the
# quadratic :math:`x^2 - y^2` and a quartic which, divided by :math:`x^2 - y^2`, leaves
# :math:`x^2 + y^2 - 6z^2`, a function every operation of the square leaves unchanged. The odd degrees
# offer none: the rectangle's group contains the inversion, which flips every odd harmonic. The
# lowest one is the feature of Task 3, computed rather than looked up:

lowest = found[0]
print("computed l = 2 vector:", lowest.vector.numpy().round(4))
print(f"cosine with Task 3's feature: {float(lowest.vector @ x2_minus_y2(2)[4:9]):+.12f}")

# %%
# Any order parameter will do
# ---------------------------
# Nothing singles out the lowest degree. We train the network of Task 2 with the *quartic* order
# parameter added to every point instead (:func:`symmetry_tasks.symmetry.as_input` puts it into its
# ``l = 4`` block).

quartic = found[1]
plain = scalar_inputs(4, DEFAULT_IRREPS)
features = plain + breaking.as_input(quartic, DEFAULT_IRREPS, 0.1)
result = deform(shapes.square(), shapes.rectangle(), features, name="square to rectangle, quartic input")
print(
    f"input group with the quartic feature: {symmetry_group(result.positions, features, DEFAULT_IRREPS).name}"
)
print(f"final loss: {result.losses[-1]:.2e}")
errors = (result.predicted - result.target_positions).norm(dim=1)
print("distance of each predicted point from its target:", ", ".join(f"{e:.1e}" for e in errors.tolist()))

ax = plotting.loss_curve(result.losses, label="quartic order parameter")
ax = plotting.positions_over_target(
    result.predicted,
    result.target_positions,
    "quartic order parameter: decoded positions",
    start=result.positions,
)

# %%
# We observe that the quartic feature lowers the input's group to the printed :math:`D_{2h}` and that
# training succeeds. An order parameter is defined by what it leaves invariant, not by its degree.
#
# What did Task 4 learn?
# ----------------------
# Task 4 learns an input freely. Its symmetry-breaking part is what is left after removing the part the
# square's group allows: :func:`symmetry_tasks.symmetry.symmetric_projection` with the square's group
# (whose point permutations it needs) gives the allowed part. We compare the rest, point by point, with
# the space spanned by the computed order parameters.

learned = task4()
irreps_in = learned.model.irreps_in
allowed = breaking.symmetric_projection(G, learned.inputs, irreps_in)
breaking_part = learned.inputs - allowed
span = torch.stack([breaking.as_input(p, irreps_in, 1.0) for p in found])  # orthonormal rows
for tol in (1e-6, 1e-3):
    group = symmetry_group(learned.positions, learned.inputs, irreps_in, tol=tol)
    print(f"group of the learned input, to a tolerance of {tol:.0e}: {group.name}")
print("point  |breaking part|  share in span  cosine with x^2 - y^2")
for a, row in enumerate(breaking_part):
    inside = float((span @ row).norm() / row.norm())
    cosine = float(span[0] @ row / row.norm())
    print(f"{a:5d}  {float(row.norm()):15.3f}  {inside:13.4f}  {cosine:+21.4f}")
plt.show()

# %%
# We observe that, taken exactly, the learned input has an even smaller group than the rectangle (the
# first printed name): nothing in Task 4 forces the learned input to stop at :math:`D_{2h}`, and small
# stray components lower the symmetry further. They are tiny: ignoring deviations below the second
# tolerance leaves the rectangle's group. The symmetry-breaking part itself lies almost entirely in the
# space of the computed order parameters (the printed share in their span is close to 1), and almost
# entirely along :math:`x^2 - y^2`. Gradient descent found the answer of this page; this page finds it
# without training.
