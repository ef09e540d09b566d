"""s2sad: source-to-source automatic differentiation (reverse and forward mode), compiled with Numba."""
from .api import CompilationError, grad, show, value_and_grad
from .products import hvp, jvp, vjp
from .errors import (NonDifferentiableError, S2SADError, SourceUnavailableError, UnsupportedError,
                     WrtError)
from .rules import adjoint, non_differentiable, tangent
from .runtime_api import stop_gradient

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "hvp", "show", "adjoint", "tangent", "non_differentiable",
           "stop_gradient",
           "S2SADError", "UnsupportedError", "NonDifferentiableError", "SourceUnavailableError",
           "WrtError", "CompilationError"]
__version__ = "0.1.0"
