"""Rules of NumPy reductions (reverse and forward). `axis` is an option: an int, or None for all axes."""
import numpy as np

from s2sad import runtime
from s2sad.rules import adjoint, tangent


@adjoint(np.sum)
def sum(g, ans, x, axis=None):
    return g * np.ones_like(x) if axis is None else np.expand_dims(g, axis) * np.ones_like(x)


@adjoint(np.mean)
def mean(g, ans, x, axis=None):
    return g * np.ones_like(x) / x.size if axis is None else \
        np.expand_dims(g, axis) * np.ones_like(x) / x.shape[axis]


@tangent(np.sum)
def sum_tangent(t, ans, x, axis=None):
    return np.sum(t) if axis is None else np.sum(t, axis)


@tangent(np.mean)
def mean_tangent(t, ans, x, axis=None):
    return np.mean(t) if axis is None else np.mean(t, axis)


@adjoint(np.max, np.amax, np.min, np.amin)
def extremum(g, ans, x, axis=None):
    # tied extremal elements share the adjoint equally (as JAX does): when ties move together
    # the derivative is that of one of them, not their sum
    return g * (x == ans) / np.sum(x == ans) if axis is None else \
        np.expand_dims(g, axis) * (x == np.expand_dims(ans, axis)) / \
        np.expand_dims(np.sum(x == np.expand_dims(ans, axis), axis), axis)


@tangent(np.max, np.amax, np.min, np.amin)
def extremum_tangent(t, ans, x, axis=None):
    # the transpose of the adjoint above: the mean tangent of the extremal elements
    return np.sum(t * (x == ans)) / np.sum(x == ans) if axis is None else \
        np.sum(t * (x == np.expand_dims(ans, axis)), axis) / np.sum(x == np.expand_dims(ans, axis), axis)


@adjoint(np.prod)
def prod(g, ans, x, axis=None):
    # exact with zero factors over all axes; along one axis it assumes no zero factor
    return g * prod_of_others(x) if axis is None else np.expand_dims(g * ans, axis) / x


@tangent(np.prod)
def prod_tangent(t, ans, x, axis=None):
    return np.sum(t * prod_of_others(x)) if axis is None else np.sum(t / x, axis) * ans


@adjoint(runtime.PYTHON["prod_of_others"], runtime.COMPILED["prod_of_others"])
def prod_of_others(g, ans, x):
    # second derivatives of np.prod (hvp): sum over i != k of g[i] ans[i] / x[k]; assumes x[k] != 0
    return (np.sum(g * ans) - g * ans) / x
