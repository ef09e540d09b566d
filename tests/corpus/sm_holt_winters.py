# Source: statsmodels/statsmodels, statsmodels/tsa/holtwinters/_smoothers.py (holt_win_add_add_dam,
#         holt_win_init, HoltWintersArgs)
# Version: PyPI statsmodels==0.15.0, imported unmodified from the installed package
# Licence: BSD-3-Clause
# Computes: additive damped-trend additive-seasonal Holt-Winters residuals; state lives in an object
#           (hw_args.lvl, .b, .s arrays written in place), boolean-mask store p[xi.astype(bool)] = x
import numpy as np

from statsmodels.tsa.holtwinters._smoothers import HoltWintersArgs, holt_win_add_add_dam

# ---- s2sad-corpus wrapper (not from the source) ----
# As ExponentialSmoothing.fit's SSE objective calls it (all parameters free, no transform).


def objective(x, y):
    m = 4
    n = y.shape[0]
    xi = np.ones(x.shape[0], dtype=np.int64)
    bounds = np.zeros((x.shape[0], 2))
    hw_args = HoltWintersArgs(xi, np.zeros(x.shape[0]), bounds, y, m, n)
    res = holt_win_add_add_dam(x, hw_args)
    return np.sum(res * res)


def make_args(rng):
    t = np.arange(24.0)
    y = 10.0 + 0.2 * t + np.array([1.0, -0.5, 0.3, -0.8])[t.astype(int) % 4] + 0.2 * rng.standard_normal(24)
    x = np.array([0.3, 0.1, 0.2, 10.0, 0.2, 0.95, 1.0, -0.5, 0.3, -0.8])
    return x, y


WRT = (0, 1)
NJIT = False
EXPECT = "unsupported"
REASON = "class instance argument (HoltWintersArgs, properties over arrays)"
