# Source: properscoring/properscoring, properscoring/_gufuncs.py (_crps_ensemble_gufunc)
# Version: PyPI properscoring==0.1, imported unmodified from the installed package (@guvectorize there)
# Licence: Apache-2.0
# Computes: CRPS of a weighted, sorted ensemble forecast: for over enumerate, break, early return,
#           results written into the 0-d output slot result[0]
import numpy as np

from properscoring._gufuncs import _crps_ensemble_gufunc

# ---- s2sad-corpus wrapper (not from the source) ----
# As crps_ensemble calls it (forecasts sorted along the last axis); mean over 10 observations.


def objective(observations, forecasts, weights):
    return np.mean(_crps_ensemble_gufunc(observations, forecasts, weights))


def make_args(rng):
    forecasts = np.sort(rng.standard_normal((10, 8)), axis=-1)
    return rng.standard_normal(10), forecasts, 1.0 + rng.random((10, 8))


WRT = (0, 1, 2)
NJIT = False
EXPECT = "unsupported"
REASON = "numba @guvectorize kernel (a GUFunc object, not read as a helper)"
