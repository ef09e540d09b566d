# Source: numba/numba, numba/tests/test_parfors.py (lr_impl)
# Version: numba==0.68.1 (its installed test module), imported unmodified (plain function, njit-compiled by the tests)
# Licence: BSD-2-Clause
# Computes: logistic-regression gradient descent, `w -= np.dot(...)` updating its argument in place
import numpy as np

import numba.tests.test_parfors as source

from tests.corpus._support import as_user_code

# ---- s2sad-corpus wrapper (not from the source) ----
# s2sad treats numba.* modules as library code: take the same code object into a user namespace.
lr_impl, = as_user_code(source, ["lr_impl"], njit=["lr_impl"])
# Loss of the trained weights on held-out data, differentiated w.r.t. the initial weights and the data
# (meta-gradient through 8 training steps).


def objective(w0, X, Y, Xv, Yv):
    w = lr_impl(Y, X, w0.copy(), 8)
    z = Yv * np.dot(Xv, w)
    return np.sum(np.log(1.0 + np.exp(-z)))


def make_args(rng):
    X = rng.standard_normal((20, 3))
    Y = np.sign(rng.standard_normal(20))
    Xv = rng.standard_normal((10, 3))
    Yv = np.sign(rng.standard_normal(10))
    return 0.1 * rng.standard_normal(3), 0.1 * X, Y, Xv, Yv


WRT = (0, 1, 3)
NJIT = True
EXPECT = "grad"
