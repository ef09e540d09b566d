# Source: QuantEcon/QuantEcon.py, quantecon/_inequality.py (lorenz_curve)
# Version: PyPI quantecon==0.11.4, imported unmodified from the installed package (@njit there)
# Licence: BSD-3-Clause
# Computes: Lorenz curve (np.sort, np.cumsum, slice store s[1:] = ...), returns a tuple of arrays
import numpy as np

from quantecon import lorenz_curve

# ---- s2sad-corpus wrapper (not from the source) ----
# Area between the line of equality and the Lorenz curve (trapezoid rule by hand).


def objective(y):
    cum_people, cum_income = lorenz_curve(y)
    area = 0.0
    for i in range(1, cum_people.shape[0]):
        area += 0.5 * (cum_people[i] - cum_people[i - 1]) * (cum_income[i] + cum_income[i - 1])
    return 0.5 - area


def make_args(rng):
    return (rng.pareto(3.0, 25) + 1.0,)


WRT = (0,)
NJIT = True
EXPECT = "grad"
