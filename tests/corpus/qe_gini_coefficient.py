# Source: QuantEcon/QuantEcon.py, quantecon/_inequality.py (gini_coefficient)
# Version: PyPI quantecon==0.11.4, imported unmodified from the installed package (@njit(parallel=True) there)
# Licence: BSD-3-Clause
# Computes: Gini index by the O(n^2) double loop over prange, abs of differences
import numpy as np

from quantecon import gini_coefficient

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(y):
    return gini_coefficient(y)


def make_args(rng):
    return (rng.pareto(3.0, 20) + 1.0,)


WRT = (0,)
NJIT = True
EXPECT = "unsupported"
REASON = "numba.prange loop"
