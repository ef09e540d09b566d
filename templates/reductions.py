"""Reverse-mode rules of NumPy reductions. `axis` is an option: an int, or None for all axes."""
import numpy as np

from s2sad.rules import adjoint


@adjoint(np.sum)
def sum(g, ans, x, axis=None):
    return g * np.ones_like(x) if axis is None else np.expand_dims(g, axis) * np.ones_like(x)


@adjoint(np.mean)
def mean(g, ans, x, axis=None):
    return g * np.ones_like(x) / x.size if axis is None else \
        np.expand_dims(g, axis) * np.ones_like(x) / x.shape[axis]


@adjoint(np.max, np.amax)
def max(g, ans, x, axis=None):
    # ties share nothing: every maximal element gets the whole adjoint (as the subgradient 1)
    return g * (x == ans) if axis is None else np.expand_dims(g, axis) * (x == np.expand_dims(ans, axis))


@adjoint(np.min, np.amin)
def min(g, ans, x, axis=None):
    return g * (x == ans) if axis is None else np.expand_dims(g, axis) * (x == np.expand_dims(ans, axis))


@adjoint(np.prod)
def prod(g, ans, x, axis=None):
    # assumes no zero factor (as the quotient rule does)
    return g * ans / x if axis is None else np.expand_dims(g * ans, axis) / x
