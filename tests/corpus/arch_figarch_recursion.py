# Source: bashtage/arch, arch/univariate/recursions_python.py (figarch_recursion_python, figarch_weights_python)
# Version: PyPI arch==8.0.0, imported unmodified from the installed package (numba-jitted there)
# Licence: NCSA (University of Illinois/NCSA Open Source License, BSD-style)
# Computes: FIGARCH(1, d, 1) variances via truncated ARCH(inf) weights from a helper
import numpy as np

from arch.univariate.recursions_python import figarch_recursion

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(parameters, resids, backcast):
    nobs = resids.shape[0]
    fresids = resids * resids
    sigma2 = np.zeros(nobs)
    var_bounds = np.empty((nobs, 2))
    for t in range(nobs):
        var_bounds[t, 0] = 1e-8
        var_bounds[t, 1] = 1e8
    figarch_recursion(parameters, fresids, sigma2, 1, 1, nobs, 50, backcast, var_bounds)
    return -0.5 * np.sum(np.log(sigma2) + resids * resids / sigma2)


def make_args(rng):
    resids = rng.standard_normal(30)
    return np.array([0.1, 0.2, 0.4, 0.3]), resids, float(np.mean(resids ** 2))


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
