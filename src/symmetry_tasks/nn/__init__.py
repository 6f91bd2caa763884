"""The gated equivariant point-convolution network."""

from .network import DEFAULT_IRREPS, OUTPUT_INIT_SCALE, EquivariantNetwork

__all__ = ["DEFAULT_IRREPS", "OUTPUT_INIT_SCALE", "EquivariantNetwork"]
