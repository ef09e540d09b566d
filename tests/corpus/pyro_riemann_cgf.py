# Source: python-hydro/pyro2, pyro/compressible/riemann.py (riemann_cgf)
# Version: PyPI pyro-hydro==4.5.1, imported unmodified from the installed package (@njit(cache=True) there)
# Licence: BSD-3-Clause
# Computes: Colella-Glaz-Ferguson two-shock Riemann solver on a 2-D grid of 3-D state arrays: fixed-point
#           iteration for p*, shock/rarefaction branches, sample of the fan, solid-wall flags, then fluxes
import numpy as np

from pyro.compressible.riemann import riemann_cgf

# ---- s2sad-corpus wrapper (not from the source) ----
# x-direction interface fluxes for left/right states (dens, xmom, ymom, ener); no species.


def objective(U_l, U_r, gamma):
    F = riemann_cgf(1, 1, 0, 1, 2, 3, -1, 0, 0, 0, gamma, U_l, U_r)
    total = 0.0
    for i in range(F.shape[0]):
        for j in range(F.shape[1]):
            for k in range(F.shape[2]):
                total += F[i, j, k] * F[i, j, k]
    return total


def make_args(rng):
    n = 5
    rho_l = 1.0 + 0.2 * rng.random((n, n))
    rho_r = 0.6 + 0.2 * rng.random((n, n))
    u_l = rng.uniform(-1.5, 1.5, (n, n))
    u_r = rng.uniform(-1.5, 1.5, (n, n))
    v_l = 0.2 * rng.standard_normal((n, n))
    v_r = 0.2 * rng.standard_normal((n, n))
    p_l = 1.0 + 0.2 * rng.random((n, n))
    p_r = 0.3 + 0.2 * rng.random((n, n))
    U_l = np.stack([rho_l, rho_l * u_l, rho_l * v_l, p_l / 0.4 + 0.5 * rho_l * (u_l ** 2 + v_l ** 2)], axis=-1)
    U_r = np.stack([rho_r, rho_r * u_r, rho_r * v_r, p_r / 0.4 + 0.5 * rho_r * (u_r ** 2 + v_r ** 2)], axis=-1)
    return U_l, U_r, 1.4


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
