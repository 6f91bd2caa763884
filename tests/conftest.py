import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def tutorial_plateau() -> float:
    """The tutorial's plateau of Task 2 (its "0.0007"): the best any O(3)-equivariant network can do."""
    return 7.0702e-4
