# Source: QuantEcon/QuantEcon.py, quantecon/_lss.py (simulate_linear_model)
# Version: PyPI quantecon==0.11.4, imported unmodified from the installed package (@jit(nopython=True) there)
# Licence: BSD-3-Clause
# Computes: x_{t+1} = A x_t + v_t as explicit loops into a 2-D array; x[:, 0] = x0 column store
import numpy as np

from quantecon._lss import simulate_linear_model

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(A, x0, v):
    x = simulate_linear_model(A, x0, v, v.shape[1] + 1)
    return np.sum(x * x)


def make_args(rng):
    A = 0.4 * rng.standard_normal((3, 3))
    return A, rng.standard_normal(3), 0.1 * rng.standard_normal((3, 15))


WRT = (0, 1, 2)
NJIT = True
EXPECT = "grad"
