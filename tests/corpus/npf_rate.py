# Source: numpy/numpy-financial, numpy_financial/_financial.py (rate, _g_div_gp, _convert_when)
# Version: PyPI numpy-financial==1.0.0, imported unmodified from the installed package
# Licence: BSD-3-Clause
# Computes: interest rate of an annuity by Newton's iteration in a while loop with a tolerance;
#           map(np.asarray, [...]), string keyword `when`, Decimal-aware defaults
import numpy as np

import numpy_financial as npf

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(pmt, pv, fv):
    return npf.rate(24.0, pmt, pv, fv)


def make_args(rng):
    return -100.0, 2000.0, 0.0


WRT = (0, 1, 2)
NJIT = False
EXPECT = "unsupported"
REASON = "a None-default parameter reassigned (if guess is None: guess = ...); also map(np.asarray, [...]), string keyword"
