"""s2sad: source-to-source reverse-mode automatic differentiation, compiled with Numba."""
from .api import CompilationError, grad, show, value_and_grad
from .errors import (NonDifferentiableError, S2SADError, SourceUnavailableError, UnsupportedError,
                     WrtError)
from .rules import adjoint, non_differentiable
from .runtime_api import stop_gradient

__all__ = ["grad", "value_and_grad", "show", "adjoint", "non_differentiable", "stop_gradient",
           "S2SADError", "UnsupportedError", "NonDifferentiableError", "SourceUnavailableError",
           "WrtError", "CompilationError"]
__version__ = "0.1.0"
