"""Reverse-mode rules of Python's arithmetic operators and scalar builtins."""
import math
import operator

import numpy as np

from s2sad.rules import adjoint, non_differentiable


@adjoint(operator.add, np.add)
def add(g, ans, a, b):
    return g, g


@adjoint(operator.sub, np.subtract)
def sub(g, ans, a, b):
    return g, -g


@adjoint(operator.mul, np.multiply)
def mul(g, ans, a, b):
    return g * b, g * a


@adjoint(operator.truediv, np.true_divide)
def truediv(g, ans, a, b):
    return g / b, -g * ans / b


@adjoint(operator.pow)
def power(g, ans, a, b):
    # d(a**b)/db = a**b * log(a), defined for a > 0 only; zero elsewhere (as JAX does at a == 0).
    # Written without `if` so that it holds elementwise for arrays: where a <= 0 the factor
    # (a > 0) is 0 and the logarithm's argument is kept positive.
    return g * b * a ** (b - 1), g * ans * (a > 0) * np.log(np.abs(a) + (a <= 0))


@adjoint(operator.neg, np.negative)
def neg(g, ans, a):
    return -g


@adjoint(abs, np.abs, np.absolute, math.fabs, np.fabs)
def absolute(g, ans, a):
    return g * np.sign(a)


@adjoint(max)
def maximum_of_two(g, ans, a, b):
    # ties send the whole adjoint to the first argument
    return g * (a >= b), g * (a < b)


@adjoint(min)
def minimum_of_two(g, ans, a, b):
    return g * (a <= b), g * (a > b)


@adjoint(operator.mod, np.mod)
def mod(g, ans, a, b):
    # a % b = a - floor(a / b) * b, and floor is piecewise constant
    return g, -g * np.floor(a / b)


@adjoint(float, np.float64, np.positive, np.conjugate)
def identity(g, ans, a):
    return g


non_differentiable(operator.floordiv, len, int, round, range, bool,
                   np.sign, np.floor, np.ceil, np.round, np.rint, np.trunc)
