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


@adjoint(np.full)
def full(g, ans, shape, fill_value):
    return None, np.sum(g)


@tangent(np.full)
def full_tangent(t, ans, shape, fill_value):
    return None, np.full(ans.shape, t)


@adjoint(np.full_like)
def full_like(g, ans, a, fill_value):
    # only the shape of `a` matters
    return np.zeros_like(a), np.sum(g)


@tangent(np.full_like)
def full_like_tangent(t, ans, a, fill_value):
    return np.zeros_like(ans), np.full_like(ans, t)


@adjoint(np.linspace)
def linspace(g, ans, start, stop, num):
    # ans[i] = start + (stop - start) * w[i], w = linspace(0, 1, num)
    return np.sum(g * (1.0 - np.linspace(0.0, 1.0, num))), np.sum(g * np.linspace(0.0, 1.0, num)), None


@tangent(np.linspace)
def linspace_tangent(t, ans, start, stop, num):
    return t * (1.0 - np.linspace(0.0, 1.0, num)), t * np.linspace(0.0, 1.0, num), None


non_differentiable(np.zeros, np.ones, np.empty, np.zeros_like, np.ones_like, np.empty_like,
                   np.arange, np.argmax, np.argmin)
