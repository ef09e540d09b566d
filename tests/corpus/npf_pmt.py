# Source: numpy/numpy-financial, numpy_financial/_financial.py (pmt, _convert_when)
# Version: PyPI numpy-financial==1.0.0, imported unmodified from the installed package
# Licence: BSD-3-Clause
# Computes: annuity payment: map(np.array, [...]) tuple unpacking, np.where for the zero-rate case
import numpy as np

import numpy_financial as npf

# ---- s2sad-corpus wrapper (not from the source) ----
# Total paid on a 30-year monthly mortgage.


def objective(rate, pv):
    return -360.0 * npf.pmt(rate / 12.0, 360.0, pv)


def make_args(rng):
    return 0.05, 200000.0


WRT = (0, 1)
NJIT = False
EXPECT = "unsupported"
REASON = "try/except in the helper _convert_when, reported as 'the function ends without return'"
