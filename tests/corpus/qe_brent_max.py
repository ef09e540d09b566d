# Source: QuantEcon/QuantEcon.py, quantecon/optimize/scalar_maximization.py (brent_max)
# Version: PyPI quantecon==0.11.4, imported unmodified from the installed package (@njit there)
# Licence: BSD-3-Clause
# Computes: Brent's bounded scalar maximiser (golden section + parabolic steps, while loop, raise);
#           takes the function to maximise as an argument, with extra args as a tuple
import numpy as np
from numba import njit

from quantecon.optimize import brent_max

# ---- s2sad-corpus wrapper (not from the source) ----
# Value function of a consumption-savings step: max over c of log(c) + beta * sqrt(w - c);
# by the envelope theorem d/dw = beta * 0.5 / sqrt(w - c*).


@njit
def bellman_rhs(c, w, beta):
    return np.log(c) + beta * np.sqrt(w - c)


def objective(w, beta):
    xf, fval, info = brent_max(bellman_rhs, 1e-6, w - 1e-6, args=(w, beta), xtol=1e-12)
    return fval


def make_args(rng):
    return 2.0, 0.9


WRT = (0, 1)
NJIT = True
EXPECT = "unsupported"
REASON = "a helper returning a nested tuple (xf, fval, (status_flag, num_iter)): its third element is not typed"
