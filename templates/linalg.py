"""Rules of products (np.dot, @, np.outer) and of np.linalg (reverse and forward)."""
import operator

import numpy as np

from s2sad.rules import adjoint, tangent


@adjoint(np.dot, operator.matmul, np.matmul)
def dot(g, ans, a, b):
    return dot_adjoint_a(g, a, b), dot_adjoint_b(g, a, b)


@tangent(np.dot, operator.matmul, np.matmul)
def dot_tangent(t, ans, a, b):
    return np.dot(t, b), np.dot(a, t)


@adjoint(np.outer)
def outer(g, ans, a, b):
    return np.dot(g, b), np.dot(g.T, a)


@tangent(np.outer)
def outer_tangent(t, ans, a, b):
    return np.outer(t, b), np.outer(a, t)


@adjoint(np.linalg.norm)
def norm(g, ans, x, ord=None):
    # ord None: the vector 2-norm or the matrix Frobenius norm (other orders: see norm_adjoint)
    return g * x / ans if ord is None else norm_adjoint(g, ans, x, ord)


@tangent(np.linalg.norm)
def norm_tangent(t, ans, x, ord=None):
    return np.sum(x * t) / ans if ord is None else np.sum(norm_adjoint(1.0, ans, x, ord) * t)


@adjoint(np.linalg.inv)
def inv(g, ans, a):
    return -np.dot(ans.T, np.dot(g, ans.T))


@tangent(np.linalg.inv)
def inv_tangent(t, ans, a):
    return -np.dot(ans, np.dot(t, ans))


@adjoint(np.linalg.solve)
def solve(g, ans, a, b):
    # x = a^-1 b: b gets a^-T g, a gets minus that times x^T
    return -dot_adjoint_a(np.linalg.solve(a.T, g), a, ans), np.linalg.solve(a.T, g)


@tangent(np.linalg.solve)
def solve_tangent(t, ans, a, b):
    return np.linalg.solve(a, -np.dot(t, ans)), np.linalg.solve(a, t)


@adjoint(np.linalg.det)
def det(g, ans, a):
    return g * ans * np.linalg.inv(a).T


@tangent(np.linalg.det)
def det_tangent(t, ans, a):
    return ans * np.sum(np.linalg.inv(a).T * t)


@adjoint(np.linalg.slogdet)
def slogdet(g, ans, a):
    # (sign, log|det a|): the sign is piecewise constant
    return g[1] * np.linalg.inv(a).T


@tangent(np.linalg.slogdet)
def slogdet_tangent(t, ans, a):
    return (None, np.sum(np.linalg.inv(a).T * t))


@adjoint(np.linalg.cholesky)
def cholesky(g, ans, a):
    # np.linalg.cholesky reads the lower triangle of a only (see cholesky_adjoint)
    return cholesky_adjoint(g, ans)


@tangent(np.linalg.cholesky)
def cholesky_forward(t, ans, a):
    return cholesky_tangent(t, ans)
