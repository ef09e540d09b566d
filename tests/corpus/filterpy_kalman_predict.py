# Source: rlabbe/filterpy, filterpy/kalman/kalman_filter.py (predict)
# Version: PyPI filterpy==2.0.0, imported unmodified from the installed package
# Licence: MIT
# Computes: Kalman filter prediction step x = F x + B u, P = alpha^2 F P F^T + Q; defaults F=1, np.isscalar
import numpy as np

from filterpy.kalman import predict

# ---- s2sad-corpus wrapper (not from the source) ----
# Ten prediction steps of a constant-velocity model.


def objective(x, P, F, Q):
    for _ in range(10):
        x, P = predict(x, P, F, Q)
    return np.sum(x * x) + P[0, 0] + P[1, 1]


def make_args(rng):
    F = np.array([[1.0, 0.1], [0.0, 1.0]])
    Q = 0.01 * np.eye(2)
    return rng.standard_normal(2), np.eye(2) + 0.1, F, Q


WRT = (0, 1, 2, 3)
NJIT = False
EXPECT = "unsupported"
REASON = "no rule for np.array (F = np.array(F) when F is a scalar, a branch not taken here)"
