# Source: vollib/py_lets_be_rational, py_lets_be_rational/lets_be_rational.py
#         (implied_volatility_from_a_transformed_rational_guess and the Householder iteration it calls)
# Version: PyPI py_lets_be_rational==1.1.2, imported unmodified (maybe_jit: numba off by default)
# Licence: MIT
# Computes: Black implied volatility by Jaeckel's rational guess + Householder steps; raises on bad input
import numpy as np

from py_lets_be_rational import implied_volatility_from_a_transformed_rational_guess

# ---- s2sad-corpus wrapper (not from the source) ----
# d sigma / d price is 1 / vega: the derivative of an iterative solver.


def objective(price, F, K, T):
    return implied_volatility_from_a_transformed_rational_guess(price, F, K, T, 1.0)


def make_args(rng):
    return 12.5, 100.0, 105.0, 1.5


WRT = (0, 1, 2, 3)
NJIT = False
EXPECT = "unsupported"
REASON = "recursive helper (normalised_black_call calls itself): recursion is not supported yet"
