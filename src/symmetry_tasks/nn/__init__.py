"""The gated equivariant point-convolution network, and its twin built from e3nn's modules."""

from .autodiff import EdgeChunk, Edges, Layer, chain
from .convolution import Convolution
from .gate import Gate
from .geometry import EdgeEmbedding, Geometry
from .harmonics import SphericalHarmonics
from .network import DEFAULT_IRREPS, OUTPUT_INIT_SCALE, EquivariantNetwork
from .torch_settings import default_dtype, intra_op_threads
from .twin import E3nnTwin

__all__ = [
    "DEFAULT_IRREPS",
    "OUTPUT_INIT_SCALE",
    "Convolution",
    "E3nnTwin",
    "EdgeChunk",
    "EdgeEmbedding",
    "Edges",
    "EquivariantNetwork",
    "Gate",
    "Geometry",
    "Layer",
    "SphericalHarmonics",
    "chain",
    "default_dtype",
    "intra_op_threads",
]
