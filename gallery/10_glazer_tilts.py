r"""
Glazer's tilt systems, computed
===============================

Most perovskites ABX3 are not cubic. Their BX6 octahedra, which share corners, turn a little about
the cube's axes, and the pattern of those turns sets the crystal's symmetry. Glazer (1972) wrote each
pattern as three letters with signs, one per axis x, y, z: the sign says how the turns about that axis
follow each other along it (+ all the same way, - alternating, 0 no turn), and equal letters mean
equal angles.

``a+b-b-`` is calcium titanate, the mineral perovskite itself: in phase about :math:`x`, alternating
and equal about :math:`y` and :math:`z`.

Glazer listed 23 such systems. Here :func:`symmetry_tasks.crystals.perovskite` builds every one of
them in a :math:`2 \times 2 \times 2` supercell of the cube, and spglib names its space group
(:func:`symmetry_tasks.crystals.space_group`). Nothing below is looked up: the test suite compares the
table with the one Howard and Stokes (1998) derived by group theory.
"""

# %%
# The construction
# ----------------
# Every octahedron turns about its :math:`B` site by a small rotation whose vector has, along each
# axis, the angle of that axis times a sign: the sign alternates from one octahedron to the next
# across the axis, and also along it for a ``-`` tilt. Each :math:`X` is shared by two octahedra,
# which would put it at slightly different places; it goes to the middle. The cell edge, the angles
# that each letter gets, and the size of the structure:

from collections import defaultdict

import numpy as np

from symmetry_tasks import crystals, plotting

atoms = crystals.perovskite("a+b-b-")
print(f"cubic cell edge a = {crystals.LATTICE_CONSTANT} Å")
print(f"default angles (degrees): {crystals.DEFAULT_ANGLES}")
print(
    f"{len(atoms)} atoms: {atoms.get_chemical_formula()}, "
    f"cell {atoms.cell.lengths().round(2).tolist()} Å"
)

# %%
# The table
# ---------
# For each system: its space group (number and Hermann–Mauguin
# symbol), the number of symmetry operations spglib finds in the
# supercell, and the site symmetry of a :math:`B` site, a point
# group (:func:`symmetry_tasks.crystals.site_symmetry`).

table = {}
print("  #  system  group         ops  B site")
for k, tilts in enumerate(crystals.GLAZER_SYSTEMS, start=1):
    structure = crystals.perovskite(tilts)
    group = crystals.space_group(structure)
    b = int(np.flatnonzero(structure.numbers == 22)[0])
    site = crystals.site_symmetry(structure, b)
    count = len(crystals.operations(structure))
    table[tilts] = (group, count, site)
    print(
        f"{k:3d}  {tilts}  {group.number:3d} "
        f"{group.symbol:9s} {count:4d}  {site.hermann_mauguin}"
    )

cubic, count, site = table["a0a0a0"]
assert (cubic.symbol, count, site.name) == ("Pm-3m", 384, "Oh")
assert table["a+b-b-"][0].symbol == "Pnma"  # checked

# %%
# The untilted cube is :math:`Pm\bar 3m` with 384 operations in the
# supercell (48 rotations and reflections times 8 translations), and
# its :math:`B` site has the full cubic point group
# :math:`m\bar 3m`. Every tilt removes operations; ``a+b-b-`` lands
# in :math:`Pnma`, the group of calcium titanate.
#
# Which systems share a group
# ---------------------------
# Glazer's 23 symbols do not give 23 groups. Each system with a
# repeated letter is a special case of the system with the same
# signs and distinct letters
# (:func:`symmetry_tasks.crystals.general_system`): equal angles can
# only add symmetry. Sometimes they add none, and then the two share a
# group.

sharing = defaultdict(list)
for tilts, (group, _, _) in table.items():
    sharing[group].append(tilts)
print(f"{len(table)} systems, {len(sharing)} space groups")
for group, systems in sorted(sharing.items()):
    if len(systems) > 1:
        names = ", ".join(systems)
        print(f"{group.number:3d} {group.symbol:9s} {names}")
print()
print("special case  general  equal pairs  more symmetry")
for tilts, (_, count, _) in table.items():
    general = crystals.general_system(tilts)
    if general == tilts:
        continue
    letters, signs = tilts[0::2], tilts[1::2]
    pairs = {
        "".join(sorted(signs[i] + signs[j]))
        for i in range(3)
        for j in range(i + 1, 3)
        if letters[i] == letters[j] and signs[i] != "0"
    }
    more = count > table[general][1]
    assert count % table[general][1] == 0  # checked: a supergroup
    if pairs == {"+-"}:
        assert not more  # checked: mixed pairs add nothing
    print(
        f"{tilts}        {general}   {' '.join(sorted(pairs)):11s}"
        f"  {'yes' if more else 'no'}"
    )
assert table["a+b+b+"][0] == table["a+b+c+"][0]  # checked

# %%
# We observe that a pair of equal angles about an in-phase and an
# anti-phase axis (``+-`` above) never adds symmetry: no operation of
# the cube can carry one of those patterns onto the other. A pair of
# the same kind (``++`` or ``--``) usually does, by an operation that
# swaps the two axes, with one exception in the table: ``a+b+b+``
# stays in the group of ``a+b+c+``.
#
# Howard and Stokes (1998) found 15 structures from the group theory
# of the tilts alone. Two of Glazer's systems, ``a+b+c-`` and
# ``a+b+b-``, come out here in :math:`Pmmn`, a group that is not
# among their 15 (the test suite checks this against their table):
# they are among the six systems in which, as Woodward (1997) showed,
# perfectly rigid octahedra cannot stay linked.
#
# In phase and anti-phase, seen from above
# ----------------------------------------
# Down the z axis, a tilt about z turns each octahedron's square of
# corners. In ``a0a0c+`` the layer above (dashed) turns the same way
# and hides behind the one below; in ``a0a0c-`` it turns the other
# way.

# sphinx_gallery_thumbnail_number = 1
figure, axes = plotting.subplots(1, 2, figsize=(7.0, 3.6))
for ax, tilts in zip(axes, ("a0a0c+", "a0a0c-"), strict=True):
    group = table[tilts][0]
    plotting.octahedra_from_above(
        crystals.perovskite(tilts, (0, 0, 12)),
        title=f"{tilts}: {group.symbol}",
        ax=ax,
    )

# %%
# The angles of these two are 12° instead of the default, to make the
# turns easy to see; the space groups in the titles are those of the
# table.
#
# In three dimensions
# -------------------
# Calcium titanate's ``a+b-b-``, with the angles exaggerated to 12°
# and 9°: drag to turn it.

plotting.octahedra_figure(
    crystals.perovskite("a+b-b-", (12, 9, 9)),
    title="a+b-b- (Pnma)",
)

# %%
# And ``a-a-a-``, where every octahedron turns about a body diagonal
# of the cube, alternating along all three axes: the structure of
# LaAlO3, rhombohedral :math:`R\bar 3c`.

print(table["a-a-a-"][0])
assert table["a-a-a-"][0].symbol == "R-3c"  # checked
plotting.octahedra_figure(
    crystals.perovskite("a-a-a-", (10, 10, 10)),
    title="a-a-a- (R-3c)",
)
