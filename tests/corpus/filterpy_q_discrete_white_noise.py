# Source: rlabbe/filterpy, filterpy/common/discretization.py (Q_discrete_white_noise)
# Version: PyPI filterpy==2.0.0, imported unmodified from the installed package
# Licence: MIT
# Computes: process-noise matrix of a discretised white-noise model: nested lists, `in` a list,
#           block_diag(*[Q]*block_size), keyword arguments
import numpy as np

from filterpy.common import Q_discrete_white_noise

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(dt, var, W):
    Q = Q_discrete_white_noise(dim=3, dt=dt, var=var, block_size=2)
    return np.sum(Q * W)


def make_args(rng):
    return 0.1, 0.3, rng.standard_normal((6, 6))


WRT = (0, 1)
NJIT = False
EXPECT = "unsupported"
REASON = "star-argument of a computed list: block_diag(*[Q] * block_size)"
