"""Rules of array-building and selecting functions (reverse, and forward where the adjoint is not one)."""
import numpy as np

from s2sad.numpy_types import ASTYPE          # the method x.astype(dtype)
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


@adjoint(np.sort)
def sort(g, ans, x):
    # the sorted vector is a permutation of x: its adjoint goes back where each element came from
    return unsort(g, x)


@tangent(np.sort)
def sort_tangent(t, ans, x):
    return t[np.argsort(x)]


@adjoint(np.cumsum)
def cumsum(g, ans, x):
    return cumsum_adjoint(g, x)


@tangent(np.cumsum)
def cumsum_tangent(t, ans, x):
    return np.cumsum(t)


@adjoint(np.diff)
def diff(g, ans, x):
    return diff_adjoint(g)


@tangent(np.diff)
def diff_tangent(t, ans, x):
    return np.diff(t)


@adjoint(np.asarray, np.ascontiguousarray)
def asarray(g, ans, x):
    return g


@tangent(np.asarray, np.ascontiguousarray)
def asarray_tangent(t, ans, x):
    return t


@adjoint(np.roll)
def roll(g, ans, x, shift, axis=None):
    return np.roll(g, -shift) if axis is None else np.roll(g, -shift, axis), None


@tangent(np.roll)
def roll_tangent(t, ans, x, shift, axis=None):
    return np.roll(t, shift) if axis is None else np.roll(t, shift, axis), None


# Functions of a tuple of arrays, np.concatenate((a, b, c), axis): the template names the
# tuple `*parts`. The adjoint is the contribution to one element, parts[k] (k is substituted,
# so that parts[:k] are the elements before it); the tangent gets `t`, the tuple of the
# elements' tangents.
@adjoint(np.concatenate)
def concatenate(g, ans, *parts, axis=0):
    return concatenate_piece(g, parts[:k], parts[k], axis)


@tangent(np.concatenate)
def concatenate_tangent(t, ans, *parts, axis=0):
    return np.concatenate(t, axis)


@adjoint(np.hstack)
def hstack(g, ans, *parts):
    return hstack_piece(g, parts[:k], parts[k])


@tangent(np.hstack)
def hstack_tangent(t, ans, *parts):
    return np.hstack(t)


@adjoint(np.vstack)
def vstack(g, ans, *parts):
    return vstack_piece(g, parts[:k], parts[k])


@tangent(np.vstack)
def vstack_tangent(t, ans, *parts):
    return np.vstack(t)


@adjoint(np.triu)
def triu(g, ans, x, k=0):
    return np.triu(g, k)


@tangent(np.triu)
def triu_tangent(t, ans, x, k=0):
    return np.triu(t, k)


@adjoint(np.tril)
def tril(g, ans, x, k=0):
    return np.tril(g, k)


@tangent(np.tril)
def tril_tangent(t, ans, x, k=0):
    return np.tril(t, k)


@adjoint(np.atleast_2d)
def atleast_2d(g, ans, x):
    return g.reshape(x.shape)


@tangent(np.atleast_2d)
def atleast_2d_tangent(t, ans, x):
    return np.atleast_2d(t)


@adjoint(ASTYPE)
def astype(g, ans, x, dtype):
    # x.astype(np.float64): from float arrays the identity; integer arrays carry no derivative
    return g, None


@tangent(ASTYPE)
def astype_tangent(t, ans, x, dtype):
    return t.copy(), None


# Functions with a tuple result, X, Y = np.meshgrid(x, y): in the adjoint `g` is the tuple of
# the elements' adjoints; the tangent returns a tuple per input, None where an element's
# tangent gets no contribution from that input.
@adjoint(np.meshgrid)
def meshgrid(g, ans, x, y, indexing="xy"):
    return np.sum(g[0], axis=0 if indexing == "xy" else 1), np.sum(g[1], axis=1 if indexing == "xy" else 0)


@tangent(np.meshgrid)
def meshgrid_tangent(t, ans, x, y, indexing="xy"):
    return (np.meshgrid(t, y, indexing=indexing)[0], None), (None, np.meshgrid(x, t, indexing=indexing)[1])


@adjoint(np.diag)
def diag(g, ans, x, k=0):
    # a vector on a diagonal, or the diagonal of a matrix: each the other's adjoint
    return diag_adjoint(g, x, k)


@tangent(np.diag)
def diag_tangent(t, ans, x, k=0):
    return np.diag(t, k)


@adjoint(np.trace)
def trace(g, ans, x):
    return g * np.eye(x.shape[0], x.shape[1])


@tangent(np.trace)
def trace_tangent(t, ans, x):
    return np.trace(t)


@adjoint(np.interp)
def interp(g, ans, x, xp, fp):
    # differentiable in the points x and the values fp (not in the abscissae xp)
    return g * interp_slope(x, xp, fp), None, interp_fp_adjoint(g, x, xp, fp)


@tangent(np.interp)
def interp_tangent(t, ans, x, xp, fp):
    return t * interp_slope(x, xp, fp), None, np.interp(x, xp, t)


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
                   np.arange, np.argmax, np.argmin, np.eye, np.identity,
                   np.argsort, np.nonzero, np.flatnonzero, np.searchsorted)
