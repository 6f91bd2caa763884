"""e3nn's Wigner matrices and spherical harmonics in numpy: the same as e3nn's, and a representation of O(3)."""

import numpy as np
import pytest
import torch
from e3nn import o3

from symmetry_tasks import wigner
from symmetry_tasks.equivariance import random_orthogonal
from symmetry_tasks.symmetry import NAMES, point_group

EPS = np.finfo(np.float64).eps
LMAX = 12  # the highest degree of e3nn's spherical harmonics

# random rotations, the same times the inversion, and every element of the 32 groups
ELEMENTS = np.concatenate(
    [np.stack([random_orthogonal(seed, improper).numpy() for seed in range(8) for improper in (False, True)])]
    + [point_group(name).array for name in NAMES]
)


def bound(l: int) -> float:
    """Rounding of a product of three exponentials of size 2l + 1 (measured: 8.1 EPS (2l + 1) at most
    against e3nn, whose own error dominates: 4.7e-15 for l = 1, where ours is 1.3e-15)."""
    return 64 * EPS * (2 * l + 1)


@pytest.fixture(scope="module")
def e3nn_float64():
    """e3nn builds its generators in torch's default dtype: float64 for the comparison, then restored."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


@pytest.mark.parametrize("l", range(LMAX + 1))
def test_wigner_matrices_are_e3nns(l, e3nn_float64):
    matrices = torch.tensor(ELEMENTS, dtype=torch.float64)
    for p in (1, -1):
        theirs = o3.Irrep(l, p).D_from_matrix(matrices).numpy()
        ours = wigner.wigner_matrices(l, p, ELEMENTS)
        assert ours.shape == theirs.shape == (len(ELEMENTS), 2 * l + 1, 2 * l + 1)
        assert np.abs(ours - theirs).max() < bound(l), (l, p)


@pytest.mark.parametrize("l", [0, 1, 2, 5, LMAX])
def test_generators_are_e3nns(l, e3nn_float64):
    from e3nn.o3._wigner import so3_generators

    assert np.abs(wigner.so3_generators(l) - so3_generators(l).numpy()).max() < bound(l)


@pytest.mark.parametrize("l", [1, 4, LMAX])
def test_a_representation_of_o3(l):
    """Orthogonal, a homomorphism, the identity at the identity, and the parity on the inversion."""
    d = wigner.wigner_matrices(l, -1, ELEMENTS)
    eye = np.eye(2 * l + 1)
    assert np.abs(d @ np.swapaxes(d, 1, 2) - eye).max() < bound(l)
    a, b = ELEMENTS[1], ELEMENTS[6]  # a rotation and an improper element
    product = wigner.wigner_matrices(l, -1, a @ b)
    assert np.abs(
        product - wigner.wigner_matrices(l, -1, a) @ wigner.wigner_matrices(l, -1, b)
    ).max() < bound(l)
    assert np.array_equal(wigner.wigner_matrices(l, -1, np.eye(3)), eye)  # exact: 1 + V (e^0 - 1) V^H
    assert np.array_equal(
        wigner.wigner_matrices(l, -1, -np.eye(3)), -wigner.wigner_matrices(l, -1, np.eye(3))
    )
    assert np.abs(wigner.wigner_matrices(1, -1, ELEMENTS) - ELEMENTS).max() < bound(1)  # l = 1 is (x, y, z)


def test_euler_angles_near_the_poles():
    """A turn about x by 1e-9, near the pole beta = 0: arccos would lose half the digits, arctan2 does not."""
    tiny = 1e-9
    turn = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(tiny), -np.sin(tiny)], [0.0, np.sin(tiny), np.cos(tiny)]])
    alpha, beta, gamma = wigner.euler_angles(turn[None])
    assert abs(beta[0] - tiny) < 4 * EPS * tiny and alpha[0] == gamma[0] == 0.0
    d = wigner.wigner_matrices(LMAX, 1, turn)
    exact = wigner.wigner_matrices(LMAX, 1, np.eye(3)) + tiny * wigner.so3_generators(LMAX)[0]
    assert np.abs(d - exact).max() < bound(LMAX) + (LMAX * tiny) ** 2  # first order in the angle


@pytest.mark.parametrize("l", range(LMAX + 1))
def test_spherical_harmonics_are_e3nns(l):
    points = np.random.default_rng(l).standard_normal((40, 3))
    points[0] = 0.0  # the origin: 1 for l = 0, 0 above
    theirs = o3.spherical_harmonics(
        l, torch.tensor(points), normalize=False, normalization="component"
    ).numpy()
    ours = wigner.spherical_harmonics(l, points)
    assert ours.shape == (40, 2 * l + 1)
    assert np.abs(ours - theirs).max() < bound(l) * np.abs(theirs).max()


def test_harmonics_turn_with_the_wigner_matrices():
    """Y(g r) = D(g) Y(r) for improper g too: the harmonics of degree l have parity (-1)^l."""
    points = np.random.default_rng(0).standard_normal((10, 3))
    for l in (2, 3, LMAX):
        for g in ELEMENTS[:4]:
            turned = wigner.spherical_harmonics(l, points @ g.T)
            expected = wigner.spherical_harmonics(l, points) @ wigner.wigner_matrices(l, (-1) ** l, g).T
            assert np.abs(turned - expected).max() < bound(l) * np.abs(expected).max()


def test_representation_matrices_are_block_diagonal():
    g = ELEMENTS[3]
    d = wigner.representation_matrices([(0, 1), (2, -1), (1, 1)], g)
    assert d.shape == (9, 9)
    assert np.array_equal(d[1:6, 1:6], wigner.wigner_matrices(2, -1, g))
    assert np.array_equal(d[6:, 6:], wigner.wigner_matrices(1, 1, g)) and d[0, 0] == 1.0
    assert not d[1:6, 6:].any() and not d[0, 1:].any()
    assert wigner.representation_matrices([(1, 1)], ELEMENTS).shape == (len(ELEMENTS), 3, 3)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: wigner.wigner_matrices(1, 1, np.ones((3, 3))), "not orthogonal"),
        (lambda: wigner.wigner_matrices(1, 1, np.eye(2)), r"shape \(2, 2\)"),
        (lambda: wigner.wigner_matrices(-1, 1, np.eye(3)), "lmax"),
        (lambda: wigner.wigner_matrices(1, 0, np.eye(3)), "parity p must be 1 or -1, got 0"),
        (lambda: wigner.spherical_harmonics(1, np.ones(3)), r"shape \(3,\)"),
        (lambda: wigner.euler_angles(-np.eye(3)), "improper"),
        (lambda: wigner.spherical_harmonics(1, [[np.nan, 0.0, 0.0]]), "finite"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
