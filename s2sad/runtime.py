"""Helpers the generated code calls, usable both in plain Python and inside Numba code.

Tapes are preallocated NumPy arrays, reused between calls: the caller hands them in and
gets them back. Growth is geometric, so a tape that must grow inside compiled code does so
O(log n) times, and only on the first call with a larger problem.

`unbroadcast`, `dot_adjoint_*`, `push_array`, `pop_array*` are plain Python functions with
a Numba `overload` each, so the same name works in both modes.
"""
import numba
import numpy as np
from numba import types
from numba.extending import overload


def reserve(tape, needed):
    """`tape`, or a copy at least twice as large, so that indices below `needed` are valid."""
    if needed <= tape.shape[0]:
        return tape
    grown = np.empty(max(needed, 2 * tape.shape[0], 64), dtype=tape.dtype)
    for k in range(tape.shape[0]):       # an element loop: Numba compiles a slice copy ~8x slower
        grown[k] = tape[k]
    return grown


# --------------------------------------------------------------------------- broadcasting
def unbroadcast(c, like):
    """Sum the adjoint contribution `c` down to the shape of `like` (undoing broadcasting)."""
    if np.ndim(like) == 0:
        return np.sum(c)
    if np.ndim(c) == 0:
        return np.zeros_like(like) + c
    c = np.asarray(c)
    while c.ndim > like.ndim:
        c = c.sum(axis=0)
    for axis in range(c.ndim):
        if like.shape[axis] == 1 and c.shape[axis] != 1:
            c = c.sum(axis=axis, keepdims=True)
    return c


@overload(unbroadcast)
def _unbroadcast(c, like):
    if isinstance(like, types.Number):
        if isinstance(c, types.Array):
            return lambda c, like: np.sum(c)
        return lambda c, like: c
    if isinstance(c, types.Number):
        return lambda c, like: np.zeros_like(like) + c
    if like.ndim == 1 and c.ndim == 1:
        def one(c, like):
            if like.shape[0] == 1 and c.shape[0] != 1:
                return np.full(1, np.sum(c))
            return np.ascontiguousarray(c)
        return one
    if like.ndim == 1 and c.ndim == 2:
        def two_to_one(c, like):
            s = np.sum(c, axis=0)
            if like.shape[0] == 1 and s.shape[0] != 1:
                return np.full(1, np.sum(s))
            return s
        return two_to_one
    if like.ndim == 2 and c.ndim == 2:
        def two(c, like):
            out = np.ascontiguousarray(c)
            if like.shape[0] == 1 and out.shape[0] != 1:
                out = np.sum(out, axis=0).reshape((1, out.shape[1]))
            if like.shape[1] == 1 and out.shape[1] != 1:
                out = np.sum(out, axis=1).reshape((out.shape[0], 1))
            return out
        return two
    return None


# --------------------------------------------------------------------------- np.dot and @
def dot_adjoint_a(g, a, b):
    """Adjoint contribution of `a @ b` (or np.dot) to `a`."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if a.ndim == 2 and b.ndim == 1:
        return np.outer(g, b)
    if a.ndim == 1 and b.ndim == 2:
        return np.dot(b, g)
    return np.dot(g, b.T)


def dot_adjoint_b(g, a, b):
    """Adjoint contribution of `a @ b` (or np.dot) to `b`."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 2 and b.ndim == 1:
        return np.dot(a.T, g)
    if a.ndim == 1 and b.ndim == 2:
        return np.outer(a, g)
    return np.dot(a.T, g)


@overload(dot_adjoint_a)
def _dot_adjoint_a(g, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return lambda g, a, b: g * b
    if a.ndim == 2 and b.ndim == 1:
        return lambda g, a, b: np.outer(g, b)
    if a.ndim == 1 and b.ndim == 2:
        return lambda g, a, b: np.dot(np.ascontiguousarray(b), np.ascontiguousarray(g))
    return lambda g, a, b: np.dot(np.ascontiguousarray(g), np.ascontiguousarray(b.T))


@overload(dot_adjoint_b)
def _dot_adjoint_b(g, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return lambda g, a, b: g * a
    if a.ndim == 2 and b.ndim == 1:
        return lambda g, a, b: np.dot(np.ascontiguousarray(a.T), np.ascontiguousarray(g))
    if a.ndim == 1 and b.ndim == 2:
        return lambda g, a, b: np.outer(a, g)
    return lambda g, a, b: np.dot(np.ascontiguousarray(a.T), np.ascontiguousarray(g))


# --------------------------------------------------------------------------- arrays on the float tape
def push_array(tape, top, value, headroom=0):
    """Save a copy of array `value` and its shape on the float tape; returns (tape, top).

    The tape keeps room for `headroom` more pushes after it: those the enclosing code has
    reserved room for and not yet made (see `ReverseTransform.reserve`)."""
    tape = reserve(tape, top + value.size + value.ndim + headroom)
    tape[top:top + value.size] = value.ravel()
    top += value.size
    for axis in range(value.ndim):
        tape[top] = value.shape[axis]
        top += 1
    return tape, top


@overload(push_array)
def _push_array(tape, top, value, headroom=0):
    ndim = value.ndim

    def impl(tape, top, value, headroom=0):
        tape = _reserve_compiled(tape, top + value.size + ndim + headroom)
        tape[top:top + value.size] = np.ascontiguousarray(value).ravel()
        top += value.size
        for axis in range(ndim):
            tape[top] = value.shape[axis]
            top += 1
        return tape, top
    return impl


def pop_array1(tape, top):
    """Restore a 1-D array saved by push_array; returns (array, top)."""
    n = int(tape[top - 1])
    top -= 1 + n
    return tape[top:top + n].copy(), top


def pop_array2(tape, top):
    """Restore a 2-D array saved by push_array; returns (array, top)."""
    m, n = int(tape[top - 2]), int(tape[top - 1])
    top -= 2 + m * n
    return tape[top:top + m * n].reshape((m, n)).copy(), top


# --------------------------------------------------------------------------- products
def prod_of_others(x):
    """out[i] = the product of every element of x but x[i] (the derivative of np.prod),
    exact where x has zeros (unlike np.prod(x) / x)."""
    flat = np.asarray(x, dtype=np.float64).ravel()
    before = np.concatenate((np.ones(1), np.cumprod(flat[:-1])))
    after = np.concatenate((np.cumprod(flat[::-1][:-1])[::-1], np.ones(1)))
    return (before * after)[:flat.shape[0]].reshape(np.shape(x))


def _prod_of_others_loop(x):
    flat = x.ravel()
    n = flat.shape[0]
    out = np.empty(n)
    running = 1.0
    for i in range(n):
        out[i] = running
        running *= flat[i]
    running = 1.0
    for i in range(n - 1, -1, -1):
        out[i] *= running
        running *= flat[i]
    return out.reshape(x.shape)


_reserve_compiled = numba.njit(cache=True)(reserve)
PYTHON = {"reserve": reserve, "unbroadcast": unbroadcast, "dot_adjoint_a": dot_adjoint_a,
          "dot_adjoint_b": dot_adjoint_b, "push_array": push_array, "pop_array1": pop_array1,
          "pop_array2": pop_array2, "prod_of_others": prod_of_others}
COMPILED = dict(PYTHON, reserve=_reserve_compiled, pop_array1=numba.njit(cache=True)(pop_array1),
                pop_array2=numba.njit(cache=True)(pop_array2),
                prod_of_others=numba.njit(cache=True)(_prod_of_others_loop))
NAMES = tuple(PYTHON)
