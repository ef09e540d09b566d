# Source: bashtage/arch, arch/univariate/recursions_python.py (midas_recursion_python)
# Version: PyPI arch==8.0.0, imported unmodified from the installed package (numba-jitted there)
# Licence: NCSA (University of Illinois/NCSA Open Source License, BSD-style)
# Computes: MIDAS-hyperbolic volatility: weighted lagged squared returns, unpacks a parameter array
import numpy as np

from arch.univariate.recursions_python import midas_recursion

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(parameters, weights, resids, backcast):
    nobs = resids.shape[0]
    sigma2 = np.zeros(nobs)
    var_bounds = np.empty((nobs, 2))
    for t in range(nobs):
        var_bounds[t, 0] = 1e-8
        var_bounds[t, 1] = 1e8
    midas_recursion(parameters, weights, resids, sigma2, nobs, backcast, var_bounds)
    return -0.5 * np.sum(np.log(sigma2) + resids * resids / sigma2)


def make_args(rng):
    resids = rng.standard_normal(30)
    w = 0.9 ** np.arange(12.0)
    return np.array([0.1, 0.6, 0.2]), w / w.sum(), resids, float(np.mean(resids ** 2))


WRT = (0, 1, 2, 3)
NJIT = True
EXPECT = "grad"
