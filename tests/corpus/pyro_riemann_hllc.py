# Source: python-hydro/pyro2, pyro/compressible/riemann.py (riemann_hllc, estimate_wave_speed, consFlux)
# Version: PyPI pyro-hydro==4.5.1, imported unmodified from the installed package (@njit(cache=True) there)
# Licence: BSD-3-Clause
# Computes: HLLC approximate Riemann solver fluxes on a 2-D grid of 3-D state arrays: max clamps, chained
#           comparisons (S_c <= 0.0 < S_r), row-view arguments U_r[i, j, :], slice stores F[i, j, :] = ...,
#           a helper that branches on U_state.ndim and indexes with an Ellipsis
import numpy as np

from pyro.compressible.riemann import riemann_hllc

# ---- s2sad-corpus wrapper (not from the source) ----
# History: through consFlux this entry found silent wrong gradients (Ellipsis stores), fixed on main in
# c5808fb and 4025646; its first wrapper (np.sum(F * F), F 3-D) also found that the compiled derivative of
# elementwise arithmetic on 3-D arrays did not build (fixed on main since).
# x-direction fluxes for left/right interface states (dens, xmom, ymom, ener); no species.


def objective(U_l, U_r, gamma):
    F = riemann_hllc(1, 1, 0, 1, 2, 3, -1, 0, 0, 0, gamma, U_l, U_r)
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
