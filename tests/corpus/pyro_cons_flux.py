# Source: python-hydro/pyro2, pyro/compressible/riemann.py (consFlux)
# Version: PyPI pyro-hydro==4.5.1, imported unmodified from the installed package (@njit(cache=True) there)
# Licence: BSD-3-Clause
# Computes: the Euler-equation flux of a conserved state; branches on U_state.ndim and reads/writes through
#           Ellipsis subscripts (F[..., ixmom] = U_state[..., ixmom] * u; F[..., ixmom] += p)
import numpy as np

from pyro.compressible.riemann import consFlux

# ---- s2sad-corpus wrapper (not from the source) ----
# History: this entry found silent wrong gradients through Ellipsis stores F[..., k] = e (2-D in both modes,
# 1-D with jit=False), fixed on main in c5808fb and 4025646.
# Fluxes of a few 1-D states (dens, xmom, ymom, ener), as riemann_hllc calls it per interface.


def objective(U, gamma):
    total = 0.0
    for i in range(U.shape[0]):
        F = consFlux(1, 0, gamma, 0, 1, 2, 3, -1, 0, U[i, :])
        total += np.sum(F * F)
    return total


def make_args(rng):
    rho = 1.0 + rng.random(4)
    u = rng.uniform(-1.0, 1.0, 4)
    v = 0.2 * rng.standard_normal(4)
    p = 1.0 + rng.random(4)
    U = np.stack([rho, rho * u, rho * v, p / 0.4 + 0.5 * rho * (u ** 2 + v ** 2)], axis=-1)
    return U, 1.4


WRT = (0, 1)
NJIT = True
EXPECT = "grad"
