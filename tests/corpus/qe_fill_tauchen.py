# Source: QuantEcon/QuantEcon.py, quantecon/markov/approximation.py (_fill_tauchen, std_norm_cdf)
# Version: PyPI quantecon==0.11.4, imported unmodified from the installed package (@njit there)
# Licence: BSD-3-Clause
# Computes: Tauchen discretisation of an AR(1): fills the transition matrix P with normal-CDF differences
import numpy as np

from quantecon.markov.approximation import _fill_tauchen

# ---- s2sad-corpus wrapper (not from the source) ----
# As quantecon.markov.tauchen calls it: P allocated by the caller; expected next-period value.


def objective(rho, sigma, values):
    n = values.shape[0]
    x_max = 3.0 * np.sqrt(sigma ** 2 / (1 - rho ** 2))
    x = np.linspace(-x_max, x_max, n)
    half_step = 0.5 * (x[1] - x[0])
    P = np.empty((n, n))
    _fill_tauchen(x, P, n, rho, sigma, half_step)
    return np.sum(P @ values)


def make_args(rng):
    return 0.7, 0.5, rng.standard_normal(7)


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
