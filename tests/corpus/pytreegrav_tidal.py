# Source: mikegrudic/pytreegrav, pytreegrav/bruteforce.py (TidalTensor_bruteforce, _add_tidal_pair)
#         + pytreegrav/kernel.py (ForceKernel, TidalKernel)
# Version: PyPI pytreegrav==1.5.0, imported unmodified from the installed package (@njit, inline="always" helper)
# Licence: MIT
# Computes: softened tidal tensors of N bodies (N x 3 x 3); a helper accumulates each pair into T[i] in place
import numpy as np

from pytreegrav.bruteforce import TidalTensor_bruteforce

# ---- s2sad-corpus wrapper (not from the source) ----
# Sum of squared tensor entries.


def objective(x, m, softening):
    T = TidalTensor_bruteforce(x, m, softening, 1.0)
    total = 0.0
    for i in range(T.shape[0]):
        for j in range(3):
            for k in range(3):
                total += T[i, j, k] * T[i, j, k]
    return total


def make_args(rng):
    return rng.standard_normal((8, 3)), 1.0 + rng.random(8), np.full(8, 0.3)


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
