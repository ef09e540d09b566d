# Source: skyfielders/python-skyfield, skyfield/keplerlib.py (ele_to_vec)
# Version: PyPI skyfield==1.55, imported unmodified from the installed package
# Licence: MIT
# Computes: position and velocity vectors from Keplerian elements; isinstance checks, chained
#           comparisons, raise, returns a tuple of np.array([X, Y, Z])
import numpy as np

from skyfield.keplerlib import ele_to_vec

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(p, e, i, Om, w, v):
    pos, vel = ele_to_vec(p, e, i, Om, w, v, 1.0)
    return np.sum(pos * pos) + np.sum(vel * vel)


def make_args(rng):
    return 1.2, 0.3, 0.4, 0.7, 1.1, 0.9


WRT = (0, 1, 2, 3, 4, 5)
NJIT = False
EXPECT = "unsupported"
REASON = "no rule for np.repeat (Z = repeat(Z, X.size) in a branch that turns a float into an array)"
