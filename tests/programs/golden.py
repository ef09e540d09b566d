"""Small functions whose generated derivatives are kept as golden files (tests/golden/)."""
import math

import numpy as np


def energy(x, k):
    s = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1] - x[i]
        if d > 0.0:
            s += k * d * d
        else:
            s += 0.5 * k * d * d * d * d
    return s


def euler_decay(y, rate, dt, steps):
    for n in range(steps):
        y = y - dt * rate * y * y
    return y


def running_max(x):
    best = x[0]
    for i in range(1, x.shape[0]):
        best = max(best, math.sin(x[i]))
    return best


def newton_sqrt(a):
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


def smooth_stencil(u, c):
    v = np.zeros(u.shape[0])
    for i in range(1, u.shape[0] - 1):
        v[i] = u[i] + c * (u[i - 1] - 2.0 * u[i] + u[i + 1])
    return np.sum(v * v)
