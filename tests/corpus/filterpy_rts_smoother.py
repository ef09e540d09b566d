# Source: rlabbe/filterpy, filterpy/kalman/kalman_filter.py (rts_smoother)
# Version: PyPI filterpy==2.0.0, imported unmodified from the installed package
# Licence: MIT
# Computes: Rauch-Tung-Striebel smoother over 3-D stacks of covariances (linalg.inv, raise, K[k] = ...)
import numpy as np

from filterpy.kalman import rts_smoother

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(Xs, Ps, Fs, Qs):
    x, P, K, pP = rts_smoother(Xs, Ps, Fs, Qs)
    return np.sum(x * x) + np.sum(P)


def make_args(rng):
    n = 8
    Xs = rng.standard_normal((n, 2))
    Ps = np.empty((n, 2, 2))
    Fs = np.empty((n, 2, 2))
    Qs = np.empty((n, 2, 2))
    for k in range(n):
        a = 0.3 * rng.standard_normal((2, 2))
        Ps[k] = np.eye(2) + a @ a.T
        Fs[k] = np.array([[1.0, 0.1], [0.0, 1.0]])
        Qs[k] = 0.05 * np.eye(2)
    return Xs, Ps, Fs, Qs


WRT = (0, 1, 2, 3)
NJIT = False
EXPECT = "grad"
