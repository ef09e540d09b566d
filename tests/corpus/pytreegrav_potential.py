# Source: mikegrudic/pytreegrav, pytreegrav/bruteforce.py (Potential_bruteforce) + pytreegrav/kernel.py (PotentialKernel)
# Version: PyPI pytreegrav==1.5.0, imported unmodified from the installed package (@njit(fastmath=True) there)
# Licence: MIT
# Computes: softened gravitational potential of N bodies by the pairwise double loop (cubic-spline kernel)
import numpy as np

from pytreegrav.bruteforce import Potential_bruteforce

# ---- s2sad-corpus wrapper (not from the source) ----
# Total potential energy 1/2 sum m_i phi_i; its gradient w.r.t. x is minus the force.


def objective(x, m, softening):
    phi = Potential_bruteforce(x, m, softening, 1.0)
    return 0.5 * np.sum(m * phi)


def make_args(rng):
    x = rng.standard_normal((12, 3))
    return x, 1.0 + rng.random(12), np.full(12, 0.3)


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
