# Source: numba/numba, numba/tests/test_blackscholes.py (blackscholes_arrayexpr, cnd_array)
# Version: numba==0.68.1 (its installed test module), imported unmodified (@njit / @register_jitable there)
# Licence: BSD-2-Clause
# Computes: vectorised Black-Scholes call and put prices (array expressions, np.where), tuple result
import numpy as np

import numba.tests.test_blackscholes as source

from tests.corpus._support import as_user_code

# ---- s2sad-corpus wrapper (not from the source) ----
# s2sad treats numba.* modules as library code: take the same code objects into a user namespace.
blackscholes_arrayexpr, cnd_array = as_user_code(source, ["blackscholes_arrayexpr", "cnd_array"],
                                                 njit=["blackscholes_arrayexpr", "cnd_array"])


def objective(S, X, T, R, V):
    call, put = blackscholes_arrayexpr(S, X, T, R, V)
    return np.sum(call) + 0.5 * np.sum(put)


def make_args(rng):
    n = 16
    return (rng.uniform(5.0, 30.0, n), rng.uniform(1.0, 100.0, n), rng.uniform(0.25, 10.0, n), 0.02, 0.30)


WRT = (0, 1, 2, 3, 4)
NJIT = True
EXPECT = "grad"
