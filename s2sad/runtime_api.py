"""Functions users call inside differentiated code."""
import numba

from .rules import non_differentiable


@numba.njit
def stop_gradient(x):
    """The value of `x`, through which no derivative flows."""
    return x


non_differentiable(stop_gradient)
