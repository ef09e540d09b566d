# Source: pastas/pastas, pastas/recharge.py (FlexModel.get_snow_balance)
# Version: PyPI pastas==2.0.0, imported unmodified from the installed package (@staticmethod @njit there)
# Licence: MIT
# Computes: degree-day snow bucket: np.where snowfall, exp smoothing of melt, min by branch, `.real`
import numpy as np

from pastas.recharge import FlexModel

# ---- s2sad-corpus wrapper (not from the source) ----
get_snow_balance = FlexModel.get_snow_balance   # the staticmethod's njit function


def objective(prec, temp, tt, k):
    ss, ps, m = get_snow_balance(prec, temp, tt, k)
    return np.sum(ss) - np.sum(m * m)


def make_args(rng):
    prec = 5.0 * rng.random(40)
    temp = np.linspace(-6.3, 5.1, 40) + 0.5 * np.sin(np.arange(40.0))
    return prec, temp, 0.0, 2.0


WRT = (0, 1, 2, 3)
NJIT = True
EXPECT = "unsupported"
REASON = "dtype held in a variable: np.zeros(n, dtype=dtype) with dtype = np.asarray(...).dtype (element type not inferred)"
