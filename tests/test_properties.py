"""Properties over generated inputs (hypothesis, derandomized so that every run draws the same cases).

Group axioms of the 32 point groups seen in any frame, exactness of their characters there, and the
equivariance of the displacement encoding for any displacements and any orthogonal matrix.
"""

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from symmetry_tasks.equivariance import irreps_matrix
from symmetry_tasks.signals import displacement_signals, signal_irreps
from symmetry_tasks.symmetry import NAMES, character_table, point_group

F64 = torch.float64
EPS = torch.finfo(F64).eps
PROPERTIES = settings(derandomize=True, database=None, deadline=None, max_examples=40)

unit = st.floats(-1.0, 1.0, allow_nan=False)
quaternions = st.tuples(unit, unit, unit, unit).filter(lambda q: sum(c * c for c in q) > 1e-2)


def orthogonal(quaternion: tuple[float, float, float, float], improper: bool) -> torch.Tensor:
    """The rotation of a (non-zero, not necessarily unit) quaternion, times the inversion if ``improper``."""
    w, x, y, z = (torch.tensor(quaternion, dtype=F64) / torch.tensor(quaternion, dtype=F64).norm()).tolist()
    rotation = torch.tensor(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ],
        dtype=F64,
    )
    return -rotation if improper else rotation


@PROPERTIES
@given(name=st.sampled_from(NAMES), quaternion=quaternions, improper=st.booleans())
def test_a_turned_group_is_a_group(name: str, quaternion, improper: bool) -> None:
    """Closed under products and inverses, with the identity first, in any frame."""
    group = point_group(name).transformed(orthogonal(quaternion, improper))
    g = group.matrices
    assert torch.allclose(g @ g.transpose(1, 2), torch.eye(3, dtype=F64).expand_as(g), rtol=0, atol=16 * EPS)
    assert group.index(torch.eye(3, dtype=F64)) == 0
    for a in g:
        group.index(a.T)  # raises if the inverse is missing
        for b in g[:: max(1, len(g) // 6)]:
            group.index(a @ b)


@PROPERTIES
@given(name=st.sampled_from(NAMES), quaternion=quaternions, improper=st.booleans())
def test_characters_of_a_turned_group_are_those_of_its_elements(
    name: str, quaternion, improper: bool
) -> None:
    """In any frame, the vector representation's character (the traces) decomposes into integers."""
    group = point_group(name).transformed(orthogonal(quaternion, improper))
    table = character_table(group)
    traces = torch.stack([g.trace() for g in group.matrices]).to(torch.complex128)
    counts = table.decompose_character(traces[[m[0] for m in table.class_members]])
    rebuilt = sum(m * table.character(label) for label, m in counts.items())
    assert torch.allclose(rebuilt, traces, rtol=0, atol=16 * EPS * group.order)


displacements = st.lists(st.tuples(unit, unit, unit), min_size=1, max_size=5)


@PROPERTIES
@given(d=displacements, quaternion=quaternions, improper=st.booleans())
def test_the_encoding_is_equivariant(d, quaternion, improper: bool) -> None:
    """Encoding rotated displacements is rotating the encoded signals: Y(g d) = D(g) Y(d)."""
    d = torch.tensor(d, dtype=F64)
    g = orthogonal(quaternion, improper)
    rotated = displacement_signals(d @ g.T)
    expected = displacement_signals(d) @ irreps_matrix(signal_irreps(), g).T
    irreps_dim = expected.shape[1]
    assert torch.allclose(rotated, expected, rtol=0, atol=64 * irreps_dim * EPS * (1 + float(d.abs().max())))
