"""Helpers that write into arrays their caller passes (the way most Numba code is organised)."""
import numba
import numpy as np


def garch_recursion(params, data, sigma2):
    omega, alpha, beta = params[0], params[1], params[2]
    sigma2[0] = np.mean(data * data)
    for t in range(1, data.shape[0]):
        sigma2[t] = omega + alpha * data[t - 1] ** 2 + beta * sigma2[t - 1]


def garch_loglik(params, data):
    sigma2 = np.empty(data.shape[0])
    garch_recursion(params, data, sigma2)
    return -0.5 * np.sum(np.log(sigma2) + data * data / sigma2)


def fill_row(row, x, k):
    for j in range(row.shape[0]):
        row[j] = np.sin(x[j] * k)


def rows_filled_by_helper(x):
    a = np.zeros((3, x.shape[0]))
    for t in range(3):
        fill_row(a[t], x, t + 1.0)
    return np.sum(a * a)


def scale_in_place(a, gamma):
    a /= -gamma
    return np.sum(a)


def helper_updates_its_argument(x):
    y = x * 2.0
    s = scale_in_place(y, 3.0)
    return s + np.sum(y * y)


def scalar_parameter_updated(v, g):
    v /= g
    return v * v


def float_argument_is_not_changed(x):
    y = x * 2.0
    z = scalar_parameter_updated(y, 3.0)
    return z + y


@numba.njit
def euler_step(state, rate, dt):
    for i in range(state.shape[0]):
        state[i] = state[i] + dt * (-rate * state[i] + np.sin(state[i]))


def integrate_with_jitted_out_helper(y0, rate):
    state = y0.copy()
    for step in range(20):
        euler_step(state, rate, 0.05)
    return np.sum(state * state)


def accumulate(total, x, w):
    for i in range(x.shape[0]):
        total[0] += w * x[i] * x[i]


def nested_writer(out, x):
    accumulate(out, x, 0.5)
    accumulate(out, x * x, 0.25)


def calls_nested_writers(x):
    out = np.zeros(1)
    nested_writer(out, x)
    if out[0] > 0.1:
        nested_writer(out, np.sin(x))
    return out[0]


def kalman_like_step(state, cov, obs, q, r):
    predicted = cov[0] + q
    gain = predicted / (predicted + r)
    state[0] = state[0] + gain * (obs - state[0])
    cov[0] = (1.0 - gain) * predicted
    return np.log(predicted + r) + (obs - state[0]) ** 2 / (predicted + r)


def filter_loglik(observations, q, r):
    state = np.zeros(1)
    cov = np.ones(1)
    total = 0.0
    for t in range(observations.shape[0]):
        total = total + kalman_like_step(state, cov, observations[t], q, r)
    return total


def keyword_writer(out, x, scale=2.0, offset=0.0):
    for i in range(x.shape[0]):
        out[i] = scale * x[i] + offset


def keyword_call(x, s):
    out = np.empty(x.shape[0])
    keyword_writer(out, x, offset=s)
    return np.sum(np.sin(out))


def column_writer(col, x):
    for i in range(col.shape[0]):
        col[i] = x[i] * x[i]


def columns(x):
    m = np.zeros((x.shape[0], 2))
    column_writer(m[:, 1], x)
    column_writer(m[:, 0], np.cos(x))
    return np.sum(m[:, 0] * m[:, 1])
