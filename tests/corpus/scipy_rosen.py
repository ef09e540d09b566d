# Source: scipy/scipy, scipy/optimize/_optimize.py (rosen)
# Version: scipy as installed (1.17.1 here; the project already depends on scipy), imported unmodified
# Licence: BSD-3-Clause
# Computes: the Rosenbrock test function, written against the array API (array_namespace, xp_promote, xp.sum)
import numpy as np

from scipy.optimize import rosen

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(x):
    return rosen(x)


def make_args(rng):
    return (rng.uniform(-1.5, 1.5, 12),)


WRT = (0,)
NJIT = False
EXPECT = "unsupported"
REASON = "scipy.* functions are opaque (no rule for scipy.optimize.rosen); inside: array-API namespace (array_namespace, xp_promote)"
