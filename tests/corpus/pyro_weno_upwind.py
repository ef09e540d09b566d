# Source: python-hydro/pyro2, pyro/mesh/reconstruction.py (weno_upwind and its module tables a_all, C_all, sigma_all)
# Version: PyPI pyro-hydro==4.5.1, imported unmodified from the installed package
# Licence: BSD-3-Clause
# Computes: fifth-order WENO reconstruction at one interface: stencil coefficients looked up in module-level
#           dicts keyed by the order, smoothness indicators from a 3-D table, nonlinear weights
import numpy as np

from pyro.mesh.reconstruction import weno_upwind

# ---- s2sad-corpus wrapper (not from the source) ----
# What pyro's (broken: it computes range(order, q.shape - order)) `weno` means to do: reconstruct at every
# interior interface; sum of squares.


def objective(q):
    total = 0.0
    for i in range(3, q.shape[0] - 3):
        q_plus = weno_upwind(q[i - 2:i + 3], 3)
        total += q_plus * q_plus
    return total


def make_args(rng):
    x = np.linspace(0.0, 2.0, 16)
    return (np.sin(np.pi * x) + 0.1 * x + 0.05 * rng.standard_normal(16),)


WRT = (0,)
NJIT = False
EXPECT = "unsupported"
REASON = "arrays looked up in module-level dicts (sigma_all[order])"
