"""Reverse-mode rules of products: np.dot and the @ operator (vector and matrix operands)."""
import operator

import numpy as np

from s2sad.rules import adjoint


@adjoint(np.dot, operator.matmul)
def dot(g, ans, a, b):
    return dot_adjoint_a(g, a, b), dot_adjoint_b(g, a, b)


@adjoint(np.outer)
def outer(g, ans, a, b):
    return np.dot(g, b), np.dot(g.T, a)
