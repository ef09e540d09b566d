"""Rules of products (reverse and forward): np.dot and the @ operator (vector and matrix operands)."""
import operator

import numpy as np

from s2sad.rules import adjoint, tangent


@adjoint(np.dot, operator.matmul)
def dot(g, ans, a, b):
    return dot_adjoint_a(g, a, b), dot_adjoint_b(g, a, b)


@tangent(np.dot, operator.matmul)
def dot_tangent(t, ans, a, b):
    return np.dot(t, b), np.dot(a, t)


@adjoint(np.outer)
def outer(g, ans, a, b):
    return np.dot(g, b), np.dot(g.T, a)


@tangent(np.outer)
def outer_tangent(t, ans, a, b):
    return np.outer(t, b), np.outer(a, t)
