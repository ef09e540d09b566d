# Source: python-hydro/pyro2, pyro/compressible/riemann.py (estimate_wave_speed)
# Version: PyPI pyro-hydro==4.5.1, imported unmodified from the installed package (@njit(cache=True) there)
# Licence: BSD-3-Clause
# Computes: HLLC wave-speed estimates (Toro 9.3): PVRS / two-rarefaction / two-shock branches, min, max, **
import numpy as np

from pyro.compressible.riemann import estimate_wave_speed

# ---- s2sad-corpus wrapper (not from the source) ----
# Largest signal speed over a few interfaces of a shock-tube-like state (sum of S_r - S_l).


def objective(rho, u, p, gamma):
    total = 0.0
    for i in range(rho.shape[0] - 1):
        c_l = np.sqrt(gamma * p[i] / rho[i])
        c_r = np.sqrt(gamma * p[i + 1] / rho[i + 1])
        S_l, S_r = estimate_wave_speed(rho[i], u[i], p[i], c_l, rho[i + 1], u[i + 1], p[i + 1], c_r, gamma)
        total += S_r - S_l
    return total


def make_args(rng):
    rho = np.array([1.0, 0.9, 0.6, 0.3, 0.25, 0.125])
    u = np.array([0.0, 0.3, 0.8, 0.2, 0.1, 0.0])
    p = np.array([1.0, 0.85, 0.45, 0.12, 0.11, 0.1])
    return rho, u, p, 1.4


WRT = (0, 1, 2, 3)
NJIT = True
EXPECT = "grad"
