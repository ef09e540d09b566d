"""Arrays known under two names: shapes s2sad accepts, and shapes it rejects."""
import numpy as np


# --- accepted: no store through one name is followed by a read through the other
def swap_buffers(u0, c):
    u = u0.copy()
    v = np.zeros_like(u0)
    for t in range(3):
        for i in range(1, u.shape[0] - 1):
            v[i] = u[i] + c * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u, v = v, u
    return np.sum(u * u)


def move_then_reallocate(u0, c):
    u = u0.copy()
    for t in range(3):
        new = np.zeros_like(u)
        for i in range(u.shape[0]):
            new[i] = np.sin(u[i]) * c
        u = new
    return np.sum(u)


def read_only_view(m, c):
    row = m[1]
    out = np.zeros(m.shape[1])
    for j in range(m.shape[1]):
        out[j] = row[j] * c
    return np.sum(out * out)


def slice_read_before_store(u0, c):
    u = u0.copy()
    for t in range(3):
        u[1:-1] = u[1:-1] + c * (u[:-2] - 2.0 * u[1:-1] + u[2:])
    return np.sum(u * u)


# --- rejected: the store would reach the other name in the program, not in its derivative
def store_through_alias(x, c):
    a = x.copy()
    b = a
    b[0] = c
    return np.sum(a * x)


def store_through_row_view(m, c):
    a = m.copy()
    row = a[0]
    row[1] = c * row[1]
    return np.sum(a * a)


def update_in_place_then_read_alias(x, c):
    a = x.copy()
    b = a
    a += c
    return np.sum(b * b)


def store_through_transpose(m, c):
    a = m.copy()
    t = a.T
    t[0, 1] = c
    return np.sum(a * m)


def store_through_sibling_view(m, c):
    r1 = m[0]
    r2 = m[0]
    r1[1] = c * r1[0]
    return np.sum(r2 * r2)


def view_read_then_base_stored(x, c):
    a = x.copy()
    v = a[1:]
    w = v * a[0] * c
    a[1:] = w
    return np.sum(a * a)
