# Source: rlabbe/filterpy, filterpy/common/helpers.py (runge_kutta4)
# Version: PyPI filterpy==2.0.0, imported unmodified from the installed package
# Licence: MIT
# Computes: one classical RK4 step of dy/dx = f(y, x), with the right-hand side passed as an argument
import numpy as np

from filterpy.common import runge_kutta4

# ---- s2sad-corpus wrapper (not from the source) ----
# Logistic growth integrated over 50 steps; the rate k enters through a module-level helper.


def logistic(y, x):
    return 1.3 * y * (1.0 - y) + 0.1 * np.sin(x)


def objective(y0, dx):
    y = y0
    x = 0.0
    for _ in range(50):
        y = runge_kutta4(y, x, dx, logistic)
        x = x + dx
    return y


def make_args(rng):
    return 0.1, 0.05


WRT = (0, 1)
NJIT = False
EXPECT = "grad"
