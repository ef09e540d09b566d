"""Reverse-mode rules of array-building and selecting functions."""
import numpy as np

from s2sad.rules import adjoint, non_differentiable


@adjoint(np.where)
def where(g, ans, condition, a, b):
    return None, np.where(condition, g, 0.0), np.where(condition, 0.0, g)


@adjoint(np.clip)
def clip(g, ans, x, lower, upper):
    return g * ((x >= lower) & (x <= upper)), None, None


@adjoint(np.copy)
def copy(g, ans, x):
    return g


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
