"""Functions that validate their input with `raise`, as Numba kernels often do."""
import numpy as np


class ConvergenceError(Exception):
    pass


def validated_norm(x, p):
    if p <= 0.0:
        raise ValueError("p must be positive")
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] < -1e6:
            raise ValueError("x out of range")
        s += abs(x[i]) ** p
    return s ** (1.0 / p)


def newton_or_fail(a):
    x = a
    for k in range(100):
        step = (x * x - a) / (2.0 * x)
        x = x - step
        if abs(step) < 1e-15 * abs(x):
            return x
    raise ConvergenceError("no convergence")


def helper_that_checks(v, scale):
    if scale == 0.0:
        raise ZeroDivisionError("scale is zero")
    return np.sum(v * v) / scale


def calls_a_checking_helper(v):
    return helper_that_checks(v, 2.0) + helper_that_checks(np.sin(v), 3.0)
