# Source: bashtage/arch, arch/univariate/recursions_python.py (garch_recursion_python, bounds_check_python)
# Version: PyPI arch==8.0.0, imported unmodified from the installed package (numba-jitted there)
# Licence: NCSA (University of Illinois/NCSA Open Source License, BSD-style)
# Computes: GJR-GARCH(p, o, q) conditional variances, filling the caller's sigma2 (out-parameter)
import numpy as np

from arch.univariate.recursions_python import garch_recursion

# ---- s2sad-corpus wrapper (not from the source) ----
# As arch's GARCH.compute_variance calls it: the result lands in sigma2; Gaussian log-likelihood.


def objective(parameters, resids, backcast):
    nobs = resids.shape[0]
    fresids = resids * resids
    sresids = np.sign(resids)
    sigma2 = np.zeros(nobs)
    var_bounds = np.empty((nobs, 2))
    for t in range(nobs):
        var_bounds[t, 0] = 1e-8
        var_bounds[t, 1] = 1e8
    garch_recursion(parameters, fresids, sresids, sigma2, 1, 1, 1, nobs, backcast, var_bounds)
    return -0.5 * np.sum(np.log(sigma2) + resids * resids / sigma2)


def make_args(rng):
    resids = rng.standard_normal(40)
    return np.array([0.1, 0.1, 0.05, 0.8]), resids, float(np.mean(resids ** 2))


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
