# Source: properscoring/properscoring, properscoring/_crps.py (crps_gaussian, _normpdf; _normcdf = scipy.special.ndtr)
# Version: PyPI properscoring==0.1, imported unmodified from the installed package
# Licence: Apache-2.0
# Computes: closed-form CRPS of a Gaussian forecast (a proper scoring rule used as a training loss)
import numpy as np

from properscoring import crps_gaussian

# ---- s2sad-corpus wrapper (not from the source) ----
# Mean CRPS of Gaussian forecasts (mu, sig) for observations x.


def objective(x, mu, sig):
    return np.mean(crps_gaussian(x, mu, sig))


def make_args(rng):
    x = rng.standard_normal(20)
    return x, x + 0.3 * rng.standard_normal(20), 0.5 + rng.random(20)


WRT = (0, 1, 2)
NJIT = False
EXPECT = "unsupported"
REASON = "scipy.special.ndtr has no rule (the message names crps_gaussian, not ndtr)"
