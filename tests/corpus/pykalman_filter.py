# Source: pykalman/pykalman, pykalman/standard.py (_filter, _filter_predict, _filter_correct, _last_dims)
# Version: PyPI pykalman==0.11.2, imported unmodified from the installed package
# Licence: BSD-3-Clause
# Computes: the Kalman filter forward pass over a time series: np.dot, linalg.pinv, masked-array checks,
#           tuple-returning helpers assigned into rows of 2-D/3-D arrays (a[t], b[t] = f(...))
import numpy as np

from pykalman.standard import _filter

# ---- s2sad-corpus wrapper (not from the source) ----
# Local-level-plus-trend model: sum of squared one-step prediction errors.


def objective(transition_matrix, transition_covariance, initial_state_mean, observations):
    observation_matrix = np.array([[1.0, 0.0]])
    observation_covariance = np.array([[0.5]])
    predicted_means, predicted_covs, gains, filtered_means, filtered_covs = _filter(
        transition_matrix, observation_matrix, transition_covariance, observation_covariance,
        np.zeros(2), np.zeros(1), initial_state_mean, np.eye(2), observations)
    err = observations[:, 0] - predicted_means[:, 0]
    return np.sum(err * err)


def make_args(rng):
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    obs = np.cumsum(0.3 + rng.standard_normal(20)).reshape(20, 1)
    return F, 0.1 * np.eye(2), np.array([0.0, 0.3]), obs


WRT = (0, 1, 2, 3)
NJIT = False
EXPECT = "unsupported"
REASON = "no rule for np.linalg.pinv; also np.ma masked-array checks"
