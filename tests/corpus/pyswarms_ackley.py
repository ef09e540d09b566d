# Source: ljvmiranda921/pyswarms, pyswarms/utils/functions/single_obj.py (ackley)
# Version: PyPI pyswarms==1.3.0, imported unmodified from the installed package
# Licence: MIT
# Computes: the Ackley optimisation test function for a swarm (rows = particles): domain check with
#           raise, .sum(axis=1) method calls, np.exp(1)
import numpy as np

from pyswarms.utils.functions.single_obj import ackley

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(x):
    return np.sum(ackley(x))


def make_args(rng):
    return (rng.uniform(-3.0, 3.0, (5, 4)),)


WRT = (0,)
NJIT = False
EXPECT = "unsupported"
REASON = "raise (input domain check)"
