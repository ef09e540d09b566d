# Source: statsmodels/statsmodels, statsmodels/tsa/stattools/_stattools.py (levinson_durbin)
# Version: PyPI statsmodels==0.15.0, imported unmodified from the installed package
# Licence: BSD-3-Clause
# Computes: Levinson-Durbin recursion (AR coefficients and PACF from autocovariances): reversed slices
#           [::-1], np.dot of slices, np.diag(...).copy(), a NamedTuple result, keyword arguments
import numpy as np

from statsmodels.tsa.stattools import levinson_durbin

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(acov):
    sigma_v, arcoefs, pacf, sigma, phi = levinson_durbin(acov, nlags=5, isacov=True)
    return sigma_v + np.sum(arcoefs * arcoefs) + np.sum(pacf)


def make_args(rng):
    return (0.7 ** np.arange(6.0) + 0.05 * rng.random(6),)


WRT = (0,)
NJIT = False
EXPECT = "unsupported"
REASON = "inlined because it rebinds its parameter (s = array_like(s, 's')), then resolves its names in the caller's module (array_like, int_like, string_like, ...)"
