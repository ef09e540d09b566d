# Source: numba/numba, numba/tests/test_parfors.py (example_kmeans_test)
# Version: numba==0.68.1 (its installed test module), imported unmodified (plain function, njit-compiled by the tests)
# Licence: BSD-2-Clause
# Computes: k-means (Lloyd) iterations written with nested list comprehensions, argmin, boolean masks
import numpy as np

import numba.tests.test_parfors as source

from tests.corpus._support import as_user_code

# ---- s2sad-corpus wrapper (not from the source) ----
# s2sad treats numba.* modules as library code: take the same code object into a user namespace.
example_kmeans_test, = as_user_code(source, ["example_kmeans_test"], njit=["example_kmeans_test"])
# Centroids after 3 iterations as a function of the data (labels are locally constant).


def objective(A, init_centroids):
    centroids = example_kmeans_test(A, 3, 3, init_centroids)
    return np.sum(centroids * centroids)


def make_args(rng):
    centers = np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]])
    A = np.concatenate([c + 0.5 * rng.standard_normal((6, 2)) for c in centers])
    return A, centers + 0.3


WRT = (0,)
NJIT = True
EXPECT = "unsupported"
REASON = "list comprehensions"
