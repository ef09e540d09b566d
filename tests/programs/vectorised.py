"""Vectorised NumPy programs: broadcasting, reductions, products, slices, array state."""
import math
import numpy as np

def norm(x):
    return np.sqrt(np.sum(x * x))

def bcast(w, b, x):
    z = w * x + b          # (n,) * (n,) + scalar
    return np.sum(np.tanh(z)) + np.mean(z ** 2)

def rowcol(a, r, c):
    m = a * r + c           # (m,n) * (1,n) + (m,1)
    return np.sum(np.exp(-m * m))

def mat(W, x, b):
    h = np.tanh(W @ x + b)
    return np.sum(h * h) + np.dot(h, x[:h.shape[0]])

def mm(A, B):
    C = A @ B
    return np.sum(C * C) + np.max(C) - np.min(A.T @ A)

def axes(a):
    s0 = np.sum(a, axis=0)
    s1 = a.sum(axis=1)
    m = np.sum(a * a, axis=1)
    return np.sum(s0 * s0) + np.dot(s1, m) + np.prod(a[0, :]) + np.mean(a)

def where_clip(x, t):
    y = np.where(x > 0.5, x * t, np.sin(x))
    z = np.clip(x * 2.0, 0.3, 1.2)
    return np.sum(y) + np.sum(z * z)

def slices(x):
    y = x[1:-1] * x[:-2] + x[2:]
    return np.sum(y ** 2) + x[0] * np.sum(x[::2])

def heat_vec(u0, c):
    u = u0.copy()
    for t in range(5):
        u[1:-1] = u[1:-1] + c * (u[:-2] - 2.0 * u[1:-1] + u[2:])
        u[0] = 0.0
        u[u.shape[0] - 1] = 0.0
    return np.sum(u * u)

def softmax_ce(W, X, y):
    z = X @ W
    e = np.exp(z - np.max(z))
    p = e / np.expand_dims(np.sum(e, axis=1), 1)
    loss = 0.0
    for i in range(X.shape[0]):
        loss -= np.log(p[i, y[i]])
    return loss / X.shape[0]

def rebinding(y0, k, dt):
    y = y0.copy()
    for s in range(10):
        y = y + dt * (-k * y * y + np.sin(y))
    return np.sum(y)

def arr_display(a, b):
    v = np.array([a * b, a + b, np.sin(a)])
    return np.sum(v * v)
