"""The point clouds of the tasks: float64 arrays of shape :math:`(N, 3)`, centred at the origin."""

from __future__ import annotations

import math

import torch

#: The tutorial stretches the unit square by these factors to make its rectangle.
RECTANGLE_SCALE = (0.5, 1.5, 0.0)


def _centred(points: torch.Tensor) -> torch.Tensor:
    return points - points.mean(dim=0)


def square() -> torch.Tensor:
    """The unit square in the xy-plane, centred at the origin, corners in counter-clockwise order.

    Returns
    -------
    torch.Tensor
        float64 tensor of shape :math:`(4, 3)`.

    Examples
    --------
    >>> square()
    tensor([[-0.5000, -0.5000,  0.0000],
            [ 0.5000, -0.5000,  0.0000],
            [ 0.5000,  0.5000,  0.0000],
            [-0.5000,  0.5000,  0.0000]], dtype=torch.float64)
    """
    corners = torch.tensor(
        [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]], dtype=torch.float64
    )
    return _centred(corners)


def rectangle() -> torch.Tensor:
    r"""The square scaled by :math:`(0.5, 1.5, 0)`: a :math:`0.5 \times 1.5` rectangle, long side along y.

    Point :math:`i` of the rectangle is the image of point :math:`i` of :func:`square`.

    Examples
    --------
    >>> rectangle()[2]
    tensor([0.2500, 0.7500, 0.0000], dtype=torch.float64)
    """
    return _centred(square() * torch.tensor(RECTANGLE_SCALE, dtype=torch.float64))


def regular_polygon(n: int, radius: float = 1.0) -> torch.Tensor:
    r"""The regular ``n``-gon in the xy-plane with circumradius ``radius``, first vertex on the x axis.

    Examples
    --------
    >>> regular_polygon(4).round(decimals=6)
    tensor([[ 1.,  0.,  0.],
            [ 0.,  1.,  0.],
            [-1.,  0.,  0.],
            [-0., -1.,  0.]], dtype=torch.float64)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 3:
        raise ValueError(f"a polygon needs an int n >= 3 vertices, got {n!r}")
    if not (isinstance(radius, (int, float)) and math.isfinite(radius) and radius > 0):
        raise ValueError(f"radius must be a finite positive number, got {radius!r}")
    angles = torch.arange(n, dtype=torch.float64) * (2 * math.pi / n)
    return torch.stack([radius * angles.cos(), radius * angles.sin(), torch.zeros_like(angles)], dim=1)


def cube() -> torch.Tensor:
    """The 8 corners of the cube :math:`[-1/2, 1/2]^3`.

    Examples
    --------
    >>> cube().shape
    torch.Size([8, 3])
    """
    signs = torch.tensor(
        [[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], dtype=torch.float64
    )
    return 0.5 * signs


def stretch(points: object, factors: tuple[float, float, float]) -> torch.Tensor:
    r"""Scale a point cloud along x, y and z by ``factors`` about its centroid: :math:`r_a \mapsto S r_a`.

    Point :math:`i` of the result is the image of point :math:`i`. Stretching a regular shape along an axis
    lowers its symmetry: the hexagon (:math:`D_{6h}`) becomes a stretched hexagon (:math:`D_{2h}`), the cube
    (:math:`O_h`) a square prism (:math:`D_{4h}`), the equilateral triangle (:math:`D_{3h}`) an isosceles
    one (:math:`C_{2v}`).

    Parameters
    ----------
    points : array-like, shape :math:`(N, 3)`
    factors : three finite positive numbers

    Examples
    --------
    >>> stretch(cube(), (1.0, 1.0, 2.0))[-1]
    tensor([0.5000, 0.5000, 1.0000], dtype=torch.float64)
    """
    cloud = torch.as_tensor(points, dtype=torch.float64)
    if cloud.dim() != 2 or cloud.shape[1] != 3:
        raise ValueError(f"points must have shape (N, 3), got {tuple(cloud.shape)}")
    scale = torch.as_tensor(factors, dtype=torch.float64)
    if scale.shape != (3,) or not bool((torch.isfinite(scale) & (scale > 0)).all()):
        raise ValueError(f"factors must be three finite positive numbers, got {factors!r}")
    centre = cloud.mean(dim=0)
    return (cloud - centre) * scale + centre
