# Source: mikegrudic/pytreegrav, pytreegrav/bruteforce.py (Accel_bruteforce) + pytreegrav/kernel.py (ForceKernel)
# Version: PyPI pytreegrav==1.5.0, imported unmodified from the installed package (@njit(fastmath=True) there)
# Licence: MIT
# Computes: softened gravitational accelerations of N bodies (pairwise loop, `continue`, `is None` check)
import numpy as np

from pytreegrav.bruteforce import Accel_bruteforce

# ---- s2sad-corpus wrapper (not from the source) ----
# One leapfrog kick-drift-kick step; kinetic energy afterwards.


def objective(x, v, m, softening):
    dt = 0.01
    a = Accel_bruteforce(x, m, softening, 1.0)
    v_half = v + 0.5 * dt * a
    x_new = x + dt * v_half
    a_new = Accel_bruteforce(x_new, m, softening, 1.0)
    v_new = v_half + 0.5 * dt * a_new
    return 0.5 * np.sum(m * np.sum(v_new * v_new, axis=1))


def make_args(rng):
    x = rng.standard_normal((10, 3))
    return x, 0.3 * rng.standard_normal((10, 3)), 1.0 + rng.random(10), np.full(10, 0.3)


WRT = (0, 1, 2, 3)
NJIT = True
EXPECT = "grad"
