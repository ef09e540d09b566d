# Source: vollib/cody_special (split out of py_lets_be_rational), cody_special/normaldistribution.py (norm_cdf,
#         norm_pdf) + cody_special/erf_cody.py (erfc_cody, calerf, d_int)
# Version: PyPI cody-special==1.0.0, imported unmodified from the installed package
# Licence: MIT
# Computes: the normal CDF via W. J. Cody's rational Chebyshev erfc (many regions, floor-based splitting)
#           and an asymptotic series in a while loop with a chained comparison for the far tail
import numpy as np

from cody_special import norm_cdf

# ---- s2sad-corpus wrapper (not from the source) ----
# d/dz Phi(z) = phi(z) at points in each region of calerf and in the asymptotic tail.


def objective(z):
    total = 0.0
    for i in range(z.shape[0]):
        total += norm_cdf(z[i])
    return total


def make_args(rng):
    return (np.array([-12.0, -8.0, -3.0, -0.5, 0.2, 1.3, 4.0]),)


WRT = (0,)
NJIT = False
EXPECT = "grad"
