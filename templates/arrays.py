"""Rules of array-building and selecting functions (reverse, and forward where the adjoint is not one)."""
import numpy as np

from s2sad.rules import adjoint, non_differentiable, tangent


@adjoint(np.where)
def where(g, ans, condition, a, b):
    return None, np.where(condition, g, 0.0), np.where(condition, 0.0, g)


@adjoint(np.clip)
def clip(g, ans, x, lower, upper):
    return g * ((x >= lower) & (x <= upper)), None, None


@adjoint(np.copy)
def copy(g, ans, x):
    return g


@tangent(np.copy)
def copy_tangent(t, ans, x):
    # a copy's tangent is a copy too: stores into the copy must not reach the original's tangent
    return t.copy()


@tangent(np.transpose)
def transpose_tangent(t, ans, x):
    return np.transpose(t)


@tangent(np.expand_dims, np.reshape)
def reshape_tangent(t, ans, x, shape):
    return t.reshape(ans.shape), None


@tangent(np.ravel)
def ravel_tangent(t, ans, x):
    return np.ravel(t)


@adjoint(np.transpose)
def transpose(g, ans, x):
    return np.transpose(g)


@adjoint(np.expand_dims)
def expand_dims(g, ans, x, axis):
    return g.reshape(x.shape), None


@adjoint(np.reshape)
def reshape(g, ans, x, shape):
    return g.reshape(x.shape), None


@adjoint(np.ravel)
def ravel(g, ans, x):
    return g.reshape(x.shape)


@adjoint(np.square)
def square(g, ans, x):
    return 2.0 * g * x


non_differentiable(np.zeros, np.ones, np.empty, np.zeros_like, np.ones_like, np.empty_like,
                   np.arange, np.argmax, np.argmin, np.full, np.full_like, np.linspace)
