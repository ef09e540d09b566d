"""Programs using the NumPy that real code uses: joining, rolling, triangles, interpolation,
linear algebra, masks, integer-array gathers and scatters, arrays of any ndim on the tape."""
import math

import numpy as np


# --------------------------------------------------------------------------- math.fabs
def fabs_scalar(x):
    return math.fabs(x) * 2.0 + math.fabs(x * x - 1.0)


def fabs_loop(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.fabs(s - 0.4) + 0.2 * x
    return s


def casts(x, v):
    return float(x) * np.float64(x * x) + float(v[1]) * x


# --------------------------------------------------------------------------- np.roll
def roll(x):
    return np.sum(np.roll(x, 1) * np.arange(x.shape[0]) * x)


def roll_negative_shift_2d(m):
    r = np.roll(m, -2)                 # flattened, rolled, reshaped
    return np.sum(r * m) + np.sum(np.sin(r))


def roll_axis(m):
    r = np.roll(m, 1, axis=1)
    s = np.roll(m, -1, 0)
    return np.sum(r * m) + np.sum(s * s * m)


def roll_in_loop(u0, c, n):
    u = u0.copy()
    for i in range(n):
        u = u + c * (np.roll(u, 1) - 2.0 * u + np.roll(u, -1))
    return np.sum(u * u)


# --------------------------------------------------------------------------- joining
def concatenate(x, y):
    z = np.concatenate((x, y))
    return np.sum(z * np.arange(z.shape[0])) + np.sum(z * z * z)


def concatenate_axis(a, b):
    z = np.concatenate((a, b, a * 2.0), axis=1)
    w = np.concatenate((a, b[:1]), 0)
    return np.sum(np.sin(z) * z) + np.sum(w * w)


def concatenate_constant(x):
    z = np.concatenate((np.array([1.0, 2.0]), x, x[:1]))
    return np.sum(z * np.cos(z))


PADDING = np.array([0.5, -0.25])


def concatenate_module_constant(x):
    z = np.concatenate((PADDING, x, PADDING))
    return np.sum(np.roll(z, 1) * z)


def concatenate_in_loop(x, n):
    h = x.copy()
    for i in range(n):
        h = np.concatenate((h[1:], h[:1] * 0.5)) + 0.1 * h
    return np.sum(h * h)


def hstack(x, y):
    z = np.hstack((x, y, x))
    return np.sum(z * np.arange(z.shape[0]) * z)


def hstack_2d(a, b):
    z = np.hstack((a, b))
    return np.sum(z * z * z)


def vstack(x, y):
    m = np.vstack((x, y))
    return np.sum(m @ m.T) + np.sum(m * m * m)


def vstack_2d(a, x):
    m = np.vstack((a, a * x))
    return np.sum(np.tanh(m) * m)


def vstack_mixed(a, x):
    m = np.vstack((a, x))               # a 2-D array and a row
    return np.sum(np.tanh(m) * m)


# --------------------------------------------------------------------------- triangles, atleast_2d, astype
def triangles(m):
    u = np.triu(m)
    l = np.tril(m, -1)
    v = np.triu(m, 1)
    return np.sum(u * u) + np.sum(l * m) + np.sum(np.exp(v))


def atleast_2d(x, m):
    a = np.atleast_2d(x)
    b = np.atleast_2d(m)
    return np.sum(a @ b.T) + np.sum(a * a)


def astype(x, k):
    y = x.astype(np.float64)
    z = k.astype(np.float64)
    return np.sum(y * z * y)


# --------------------------------------------------------------------------- meshgrid
def meshgrid(x, y):
    X, Y = np.meshgrid(x, y)
    return np.sum(np.sin(X) * Y * Y)


def meshgrid_ij(x, y):
    X, Y = np.meshgrid(x, y, indexing="ij")
    return np.sum(X * Y * X)


# --------------------------------------------------------------------------- np.interp
def interp(x, fp):
    xp = np.array([0.0, 0.5, 1.2, 2.0])
    return np.sum(np.interp(x, xp, fp) ** 2) + np.interp(0.7, xp, fp * fp)


def interp_in_loop(x, fp, n):
    xp = np.linspace(0.0, 3.0, fp.shape[0])
    s = 0.0
    y = x.copy()
    for i in range(n):
        y = np.interp(y, xp, fp) * 0.9 + 0.1 * x
        s += np.sum(y)
    return s


# --------------------------------------------------------------------------- np.linalg
def norm(x):
    return np.linalg.norm(x) + np.linalg.norm(x * x, 2)


def norm_frobenius(m):
    return np.linalg.norm(m) * np.linalg.norm(m + 1.0)


def norm_other_orders(x, m):
    return np.linalg.norm(x, 1) + np.linalg.norm(m, 2)


def norm_fro(m):
    return np.linalg.norm(m, "fro")


def cholesky(a):
    spd = a @ a.T + 3.0 * np.eye(a.shape[0])
    l = np.linalg.cholesky(spd)
    return np.sum(l * l * l) + np.sum(np.log(np.diag(l)))


def cholesky_raw(a):
    l = np.linalg.cholesky(a)          # reads the lower triangle of a only
    return np.sum(l * np.arange(1.0, 1.0 + a.size).reshape(a.shape))


def solve(a, b):
    x = np.linalg.solve(a, b)
    return np.sum(x * x) + np.sum(np.sin(x))


def solve_matrix(a, b):
    x = np.linalg.solve(a, b)
    return np.sum(x * np.cos(x))


def inv(a):
    ai = np.linalg.inv(a)
    return np.sum(ai * ai) + np.trace(ai @ a.T)


def det(a):
    return np.linalg.det(a) + np.linalg.det(a @ a) * 0.1


def slogdet(a):
    sign, logdet = np.linalg.slogdet(a)
    return sign * logdet + logdet * logdet


def gaussian_log_likelihood(x, mu, a):
    cov = a @ a.T + np.eye(a.shape[0])
    l = np.linalg.cholesky(cov)
    z = np.linalg.solve(l, x - mu)
    return -0.5 * np.sum(z * z) - np.sum(np.log(np.diag(l)))


def linalg_in_loop(a, b, n):
    x = b.copy()
    for i in range(n):
        x = np.linalg.solve(a + 2.0 * np.eye(a.shape[0]), x) + 0.1 * b
        x = x / np.linalg.norm(x)
    return np.sum(x * np.arange(x.shape[0]))


# --------------------------------------------------------------------------- arrays of any ndim on the tape
def tape_3d(x, n):
    a = x.copy()
    s = 0.0
    for i in range(n):
        a = np.sin(a) * 1.1 + 0.1 * x
        s += np.sum(a * a)
    return s


def tape_3d_overwritten_in_place(x, n):
    a = x.copy()
    s = 0.0
    for i in range(n):
        a[0] = a[1] * a[0]
        a[:, 1, :] = np.cos(a[:, 0, :])
        s += np.sum(a * a)
    return s


def tape_4d(x, n):
    a = x * 1.0
    for i in range(n):
        a = a * a * 0.5 + x
    return np.sum(a)


def tape_mask_in_loop(x, n):
    y = x.copy()
    for i in range(n):
        m = y > 0.3
        y[m] = y[m] * 0.5
        y = y + 0.2 * x
    return np.sum(y * y)


# --------------------------------------------------------------------------- boolean masks
def mask_read(x):
    y = x[x > 0.5]
    return np.sum(y * y)


def mask_read_named(x, t):
    m = x > t
    return np.sum(np.exp(x[m])) + np.sum(x[~m] * t)


def mask_write_zero(x):
    y = x.copy()
    y[y > 0.5] = 0.0
    return np.sum(y * y * x)


def mask_write_array(x, v):
    y = x * 1.0
    m = x > 0.5
    y[m] = v[m] * 3.0
    return np.sum(y * y)


def mask_write_scalar(x, s):
    y = x * 1.0
    y[x < 0.5] = s
    return np.sum(y * y * y)


def mask_times_equal(x):
    y = x * 1.0
    y[y > 0.5] *= 2.0
    return np.sum(y * y)


def mask_plus_equal(x, v):
    y = x * 1.0
    m = x > 0.5
    y[m] += v[m]
    y[m] -= 0.5 * x[m]
    return np.sum(y * y)


def mask_rows(a, x):
    keep = x > 0.5
    rows = a[keep]
    a2 = a * 1.0
    a2[keep] = 0.0
    return np.sum(rows * rows) + np.sum(a2 * a)


def mask_2d(a):
    y = a * 1.0
    y[y > 0.5] *= 2.0
    return np.sum(y * y) + np.sum(a[a < 0.3])


def mask_in_loop(x, n):
    s = 0.0
    y = x.copy()
    for i in range(n):
        y[y > 0.6] = 0.6
        s += np.sum(y[y > 0.2] ** 2)
        y = y * 1.3
    return s


# --------------------------------------------------------------------------- integer-array gathers and scatters
def gather(x, idx):
    y = x[idx]
    return np.sum(y * y * np.arange(1.0, 1.0 + y.shape[0]))


def gather_rows(a, idx):
    rows = a[idx]
    cols = a[:, idx[:2]]
    return np.sum(rows * rows) + np.sum(np.sin(cols)) + np.sum(a[1, idx])


def gather_2d_index(x, idx):
    y = x[idx]                      # idx is 2-D: so is y
    return np.sum(y @ y.T)


def scatter_assign(x, v, idx):
    y = x * 1.0
    y[idx] = v * v                  # repeated indices: the last value stays
    return np.sum(y * y * y)


def scatter_assign_scalar(x, s, idx):
    y = x * 1.0
    y[idx] = s
    return np.sum(y * y * x)


def scatter_add(x, v, idx):
    y = x * 1.0
    y[idx] += v                     # NumPy buffers: a repeated index gets the last increment
    y[idx] -= 0.5 * v
    return np.sum(y * y)


def gather_in_loop(x, idx, n):
    h = x.copy()
    s = 0.0
    for i in range(n):
        g = h[idx]
        h[idx] = g * 0.5 + 0.1
        s += np.sum(g * g)
        h = np.tanh(h) + 0.1 * x
    return s


def embedding(table, tokens, w):
    vectors = table[tokens]          # rows of an embedding table, tokens repeat
    hidden = np.tanh(vectors @ w)
    return np.sum(hidden * hidden)


def gather_pairs(a, rows, cols):
    picked = a[rows, cols]              # two integer arrays: one element per pair
    b = a * 1.0
    b[rows, cols] += picked * picked
    return np.sum(b * b) + np.sum(np.sin(picked))


def largest_in_loop(x, n):
    s = 0.0
    y = x.copy()
    for i in range(n):
        idx = np.argsort(y)[-2:]        # integer arrays computed in the loop are saved on the int tape
        g = y[idx]
        s += np.sum(g * g)
        y = np.sin(y) + 0.2 * x
    return s


def rotating_gather(x, idx, n):
    s = 0.0
    k = idx.copy()
    m = x > 0.0
    for i in range(n):
        s += np.sum(x[k] * x[k]) * (i + 1.0) + np.sum(np.sin(x[m]))
        k = (k + 1) % x.shape[0]          # loop-carried integer array and mask: saved on the int tape
        m = m & (x < 0.9 - 0.1 * i)
    return s
