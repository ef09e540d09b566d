# Source: QuantEcon/QuantEcon.py, quantecon/markov/gth_solve.py (_gth_solve_jit)
# Version: PyPI quantecon==0.11.4, imported unmodified from the installed package (@jit(nopython=True) there)
# Licence: BSD-3-Clause
# Computes: stationary distribution of a Markov chain by GTH elimination, in place (A and out), with break
import numpy as np

from quantecon.markov.gth_solve import _gth_solve_jit

# ---- s2sad-corpus wrapper (not from the source) ----
# As quantecon.gth_solve calls it: on a copy of A, into a zeroed out-array; expected reward.


def objective(P, reward):
    n = P.shape[0]
    A = P.copy()
    x = np.zeros(n)
    _gth_solve_jit(A, x)
    return np.sum(x * reward)


def make_args(rng):
    P = rng.random((6, 6)) + 0.2
    P = P / P.sum(axis=1)[:, None]
    return P, rng.standard_normal(6)


WRT = (0, 1)
NJIT = True
EXPECT = "grad"
