# Source: bashtage/arch, arch/univariate/recursions_python.py (egarch_recursion_python)
# Version: PyPI arch==8.0.0, imported unmodified from the installed package (numba-jitted there)
# Licence: NCSA (University of Illinois/NCSA Open Source License, BSD-style)
# Computes: EGARCH(p, o, q) log-variance recursion; fills sigma2 and three scratch arrays
import numpy as np

from arch.univariate.recursions_python import egarch_recursion

# ---- s2sad-corpus wrapper (not from the source) ----
# As arch's EGARCH.compute_variance calls it (scratch arrays allocated by the caller).


def objective(parameters, resids, backcast):
    nobs = resids.shape[0]
    sigma2 = np.zeros(nobs)
    var_bounds = np.empty((nobs, 2))
    for t in range(nobs):
        var_bounds[t, 0] = 1e-8
        var_bounds[t, 1] = 1e8
    lnsigma2 = np.empty(nobs)
    std_resids = np.empty(nobs)
    abs_std_resids = np.empty(nobs)
    egarch_recursion(parameters, resids, sigma2, 1, 1, 1, nobs, backcast, var_bounds,
                     lnsigma2, std_resids, abs_std_resids)
    return -0.5 * np.sum(np.log(sigma2) + resids * resids / sigma2)


def make_args(rng):
    resids = rng.standard_normal(40)
    return np.array([0.02, 0.15, -0.05, 0.9]), resids, float(np.log(np.mean(resids ** 2)))


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
