"""Programs that call the user's own helper functions (plain and @numba.njit)."""
import math
import numpy as np
import numba

def sq(v):
    return v * v

def smooth(a, b):
    return math.tanh(a) * b + sq(a - b)

@numba.njit
def rhs(y, p):
    return np.array([p[0] * y[0] - p[1] * y[0] * y[1], -p[2] * y[1] + p[3] * y[0] * y[1]])

def rk4(y0, p, dt, n):
    y = y0.copy()
    for s in range(n):
        k1 = rhs(y, p)
        k2 = rhs(y + 0.5 * dt * k1, p)
        k3 = rhs(y + 0.5 * dt * k2, p)
        k4 = rhs(y + dt * k3, p)
        y = y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return np.sum(y * y)

def loop_helper(x, c):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.3:
            s += smooth(x[i], c)
        else:
            s -= sq(x[i] * c)
    return s

def scale(v, k):
    out = np.zeros(v.shape[0])
    t = 0.0
    for i in range(v.shape[0]):
        t = t * 0.5 + v[i]
        out[i] = k * t * t
    return out

def uses_array_helper(x, k):
    w = scale(x, k)
    return np.sum(w * x) + sq(k)


def polar(r, theta):
    return r * np.cos(theta), r * np.sin(theta)


def moments(v):
    return np.sum(v), np.sum(v * v), v * 2.0


def uses_tuple_helpers(x, r):
    s = 0.0
    for i in range(x.shape[0]):
        a, b = polar(r, x[i])
        s += a * b
    total, squares, doubled = moments(x)
    return s + total * squares + np.sum(doubled * x)
