# Source: numba/numba, numba/tests/test_blackscholes.py (blackscholes_scalar, cnd)
# Version: numba==0.68.1 (its installed test module), imported unmodified (@njit / @register_jitable there)
# Licence: BSD-2-Clause
# Computes: Black-Scholes call and put prices in a scalar loop, written into caller-provided arrays;
#           polynomial normal-CDF approximation with a branch
import numpy as np

import numba.tests.test_blackscholes as source

from tests.corpus._support import as_user_code

# ---- s2sad-corpus wrapper (not from the source) ----
# s2sad treats numba.* modules as library code: take the same code objects into a user namespace.
blackscholes_scalar, cnd = as_user_code(source, ["blackscholes_scalar", "cnd"], njit=["blackscholes_scalar", "cnd"])
# As the numba test calls it: outputs allocated by the caller; value of a small book.


def objective(S, X, T, R, V):
    n = S.shape[0]
    callResult = np.zeros(n)
    putResult = np.zeros(n)
    blackscholes_scalar(callResult, putResult, S, X, T, R, V)
    return np.sum(callResult) + 0.5 * np.sum(putResult)


def make_args(rng):
    n = 16
    return (rng.uniform(5.0, 30.0, n), rng.uniform(1.0, 100.0, n), rng.uniform(0.25, 10.0, n), 0.02, 0.30)


WRT = (0, 1, 2, 3, 4)
NJIT = True
EXPECT = "grad"
