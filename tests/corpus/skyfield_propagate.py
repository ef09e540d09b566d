# Source: skyfielders/python-skyfield, skyfield/keplerlib.py (propagate, stumpff) + skyfield/functions.py
# Version: PyPI skyfield==1.55, imported unmodified from the installed package
# Licence: MIT
# Computes: universal-variable two-body propagation (SPICE prop2b): Stumpff functions, boolean masks,
#           nested functions, bisection while-loops on masked arrays, np.copyto(where=...)
import numpy as np

from skyfield.keplerlib import propagate

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(position, velocity, t1):
    pos, vel = propagate(position, velocity, 0.0, t1, 1.0)
    return np.sum(pos * pos) + np.sum(vel)


def make_args(rng):
    return np.array([1.0, 0.1, 0.0]), np.array([0.05, 0.9, 0.1]), np.array([0.5, 1.7])


WRT = (0, 1, 2)
NJIT = False
EXPECT = "unsupported"
REASON = "nested functions (closures); also raise, boolean-mask indexing, np.copyto(where=)"
