# Source: bashtage/arch, arch/univariate/recursions_python.py (aparch_recursion_python, bounds_check_python)
# Version: PyPI arch==8.0.0, imported unmodified from the installed package (numba-jitted there)
# Licence: NCSA (University of Illinois/NCSA Open Source License, BSD-style)
# Computes: APARCH(1, 1, 1) variance recursion with an estimated power delta (x ** delta)
import numpy as np

from arch.univariate.recursions_python import aparch_recursion

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(parameters, resids, backcast):
    nobs = resids.shape[0]
    abs_resids = np.abs(resids)
    sigma2 = np.zeros(nobs)
    sigma_delta = np.zeros(nobs)
    var_bounds = np.empty((nobs, 2))
    for t in range(nobs):
        var_bounds[t, 0] = 1e-8
        var_bounds[t, 1] = 1e8
    aparch_recursion(parameters, resids, abs_resids, sigma2, sigma_delta, 1, 1, 1, nobs,
                     backcast, var_bounds)
    return -0.5 * np.sum(np.log(sigma2) + resids * resids / sigma2)


def make_args(rng):
    resids = rng.standard_normal(40)
    return np.array([0.1, 0.1, 0.2, 0.8, 1.5]), resids, float(np.mean(resids ** 2))


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
