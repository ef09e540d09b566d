# Source: vollib/py_lets_be_rational, py_lets_be_rational/lets_be_rational.py (black, normalised_black,
#         normalised_black_call and its four regions) + cody_special (norm_cdf, erfcx_cody)
# Version: PyPI py_lets_be_rational==1.1.2, cody-special==1.0.0, imported unmodified (maybe_jit: numba off by default)
# Licence: MIT
# Computes: Black-76 option price after Jaeckel's "Let's be rational": recursion, math.fabs, max, many regions
import numpy as np

from py_lets_be_rational import black

# ---- s2sad-corpus wrapper (not from the source) ----
# A small book: two calls (q = +1) and a put (q = -1) on one forward.


def objective(F, sigma, T):
    return (black(F, 100.0, sigma, T, 1.0) + 0.5 * black(F, 120.0, sigma, T, 1.0)
            + black(F, 90.0, sigma, T, -1.0))


def make_args(rng):
    return 110.0, 0.5, 1.0


WRT = (0, 1, 2)
NJIT = False
EXPECT = "unsupported"
REASON = "recursive helper (normalised_black_call calls itself): recursion is not supported yet"
