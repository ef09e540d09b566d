"""Functions with array and tuple results, aliasing and in-place updates, for jvp/vjp/hvp."""
import math

import numpy as np

import s2sad


def euler_trajectory(y0, k, dt):
    """An array result: the whole trajectory of y' = -k sin(y)."""
    n = 12
    out = np.empty(n)
    y = y0
    for i in range(n):
        y = y - dt * k * math.sin(y)
        out[i] = y
    return out


def stencil(u, c):
    """An array result built by slices and an in-place update of a copy."""
    v = u.copy()
    v[1:-1] = u[1:-1] + c * (u[:-2] - 2.0 * u[1:-1] + u[2:])
    v[0] = 0.0
    return v * v


def polar_pair(r, theta):
    """A tuple result."""
    return r * np.cos(theta), r * np.sin(theta)


def alias_store_then_read(x, s):
    """b aliases a; a store through b followed by a read of a: rejected (not silently wrong)."""
    a = x.copy()
    b = a
    b[0] = s * a[1]
    return np.sum(a * a)


def view_store_then_read(x, s):
    a = x.copy()
    view = a[1:]
    view[0] = view[0] * s
    return np.sum(a * a)


def double_buffer(u0, c):
    """Two buffers swapped every step: names are rebound, memory is never shared while stored."""
    u = u0.copy()
    v = np.zeros_like(u0)
    n = u.shape[0]
    for t in range(4):
        for i in range(1, n - 1):
            v[i] = u[i] + c * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        v[0] = u[0]
        v[n - 1] = u[n - 1]
        u, v = v, u
    keep = u                 # an alias that is only read
    c2 = c + 0.0             # a new float; its tangent aliases nothing
    w = u + 0.0              # a new array: its tangent must not alias u's
    w[0] = c2 * w[0]
    return np.sum(keep * u) + np.sum(w)


def quartic(x, k):
    """A scalar with a non-trivial Hessian: loops, a branch, a helper."""
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.0:
            s += k * x[i] ** 4
        else:
            s += smooth_abs(x[i]) * k * k
    return s + np.dot(x, x) * math.exp(k)


def smooth_abs(v):
    return math.sqrt(v * v + 0.1)


def rosenbrock(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] * x[i]) ** 2 + (1.0 - x[i]) ** 2
    return s


def rosenbrock_hessian(x):
    """Hand-derived Hessian of `rosenbrock`, for comparison."""
    n = x.shape[0]
    h = np.zeros((n, n))
    for i in range(n - 1):
        h[i, i] += 1200.0 * x[i] ** 2 - 400.0 * x[i + 1] + 2.0
        h[i, i + 1] += -400.0 * x[i]
        h[i + 1, i] += -400.0 * x[i]
        h[i + 1, i + 1] += 200.0
    return h


def with_stop_gradient(x, k):
    return np.sum(x * s2sad.stop_gradient(x)) * k


def counts(x, n):
    """An integer argument, held constant."""
    s = 0.0
    for i in range(n):
        s += math.sin(x[i % x.shape[0]] * (i + 1))
    return s
