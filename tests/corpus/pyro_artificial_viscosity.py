# Source: python-hydro/pyro2, pyro/compressible/interface.py (artificial_viscosity)
# Version: PyPI pyro-hydro==4.5.1, imported unmodified from the installed package (@njit(cache=True) there)
# Licence: BSD-3-Clause
# Computes: Colella-Woodward artificial viscosity: 2-D vertex-divergence stencil, Cartesian or spherical
#           branch, max(-div u * L, 0), returns a tuple of 2-D arrays
import numpy as np

from pyro.compressible.interface import artificial_viscosity

# ---- s2sad-corpus wrapper (not from the source) ----
# A compressive flow (div u < 0 everywhere, so max(...) is away from its kink).


def objective(u, v, cvisc):
    n = u.shape[0]
    dx = 1.0 / (n - 4)
    Lx = np.full((n, n), dx)
    Ly = np.full((n, n), dx)
    avisco_x, avisco_y = artificial_viscosity(2, dx, dx, Lx, Ly, 0.0, 0.0, 0, cvisc, u, v)
    return np.sum(avisco_x * avisco_x) + np.sum(avisco_y)


def make_args(rng):
    n = 10
    x = np.linspace(0.0, 1.0, n)
    X, Y = np.meshgrid(x, x, indexing="ij")
    u = -X + 0.05 * rng.standard_normal((n, n))
    v = -Y + 0.05 * rng.standard_normal((n, n))
    return u, v, 0.1


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
