"""Programs with early exits: break, continue, return inside loops and branches."""
import math

import numpy as np


def newton_break(a):
    x = a
    for it in range(100):
        fx = x * x * x - a
        dx = fx / (3.0 * x * x)
        if abs(dx) < 1e-14:
            break
        x = x - dx
    return x * 2.0

def newton_while_true(a):
    x = 1.0
    while True:
        xn = x - (x * x - a) / (2.0 * x)
        if abs(xn - x) < 1e-13:
            x = xn
            break
        x = xn
    return x

def early_return(x, p):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.9:
            return s * p
        if x[i] < 0.1:
            continue
        s += math.sin(x[i] * p)
    if s > 1.0:
        return s * s
    return s + p

def search(x):
    n = x.shape[0]
    total = 0.0
    for i in range(n):
        j = 0
        while j < n:
            if x[j] > x[i]:
                break
            total += x[i] * x[j]
            j += 1
    return total


def iterate_arrays(x, w):
    s = 0.0
    for v in x:
        s += math.sin(v)
    for i, v in enumerate(w):
        if i % 2 == 0:
            s += v * x[i]
    for a, b in zip(x, w):
        if a > 0.9:
            break
        s += a * b * b
    for k, b in zip(range(1, 4), w):
        s += k * b
    return s
