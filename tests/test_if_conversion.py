"""If-conversion (`s2sad/if_conversion.py`): a small branch at the end of a fused loop's
iteration, whose arms only do scalar arithmetic, is computed without a branch, and only where
computing the arm not taken cannot fail."""
import math

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads

CONVERTED = "both arms computed"


def energy(x, k):
    s = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1] - x[i]
        if d > 0.0:
            s += k * d * d
        else:
            s += 0.5 * k * d * d * d * d
    return s


def huber(w, b, x, y, delta):
    s = 0.0
    for i in range(x.shape[0]):
        r = y[i] - (w * x[i] + b)
        if abs(r) <= delta:
            s += 0.5 * r * r
        else:
            s += delta * (abs(r) - 0.5 * delta)
    return s / x.shape[0]


def divides_by_a_value(x, c):
    # the else arm divides by d, which is zero exactly when the first arm is taken
    s = 0.0
    for i in range(x.shape[0]):
        d = x[i] - c
        if d == 0.0:
            s += 1.0
        else:
            s += math.sin(d) / d
    return s


def reads_an_array_in_one_arm(x):
    # x[i + 1] is out of bounds at the last i: the arm that reads it must not run there
    s = 0.0
    n = x.shape[0]
    for i in range(n):
        if i < n - 1:
            s += x[i] * x[i + 1]
        else:
            s += x[i]
    return s


X = np.array([0.3, -0.5, 0.8, 0.1, 0.6, -0.9, 0.2])
Y = np.array([1.0, 0.2, -0.3, 0.9, 0.4, 0.0, -1.2])

CASES = [
    (energy, (X, 3.0), (0, 1), True),
    (huber, (0.7, -0.2, X, Y, 0.5), (0, 1, 4), True),
    (divides_by_a_value, (X, 0.25), (0, 1), False),
    (reads_an_array_in_one_arm, (X,), 0, False),
]


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
@pytest.mark.parametrize("func, args, wrt, converted", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradients_are_exact(func, args, wrt, converted, jit):
    check_grads(func, args, wrt=wrt, jit=jit)


@pytest.mark.parametrize("func, args, wrt, converted", CASES, ids=[c[0].__name__ for c in CASES])
def test_only_arms_safe_to_compute_both_are_converted(func, args, wrt, converted):
    assert (CONVERTED in s2sad.show(func, wrt, *args)) == converted


def test_a_division_by_zero_in_the_arm_not_taken_never_happens():
    x = np.array([0.25, 0.5, 0.25])           # d == 0.0 exactly at two points
    g = s2sad.grad(divides_by_a_value, wrt=0)
    assert np.all(np.isfinite(g(x, 0.25)))
