# Source: pastas/pastas, pastas/recharge.py (Berendrecht.get_recharge)
# Version: PyPI pastas==2.0.0, imported unmodified from the installed package (@staticmethod @njit there)
# Licence: MIT
# Computes: Berendrecht nonlinear unsaturated-zone recharge: storage with exp clamps, powers s ** l
import numpy as np

from pastas.recharge import Berendrecht

# ---- s2sad-corpus wrapper (not from the source) ----
get_recharge = Berendrecht.get_recharge   # the staticmethod's njit function


def objective(prec, evap, fi, fc, sr, de, l, m, ks):
    r, s, ea, pe = get_recharge(prec, evap, fi, fc, sr, de, l, m, ks, 1.0)
    return np.sum(r) + np.sum(s * s)


def make_args(rng):
    prec = 3.0 * rng.random(40)
    evap = 1.0 + rng.random(40)
    return prec, evap, 1.0, 1.0, 0.5, 250.0, -2.0, 0.5, 50.0


WRT = (0, 1, 2, 3, 4, 5, 6, 7, 8)
NJIT = True
EXPECT = "unsupported"
REASON = "dtype held in a variable: np.zeros(n, dtype=dtype) with dtype = np.asarray(...).dtype (element type not inferred)"
