"""Reverse-mode rules of elementary functions from `math` and NumPy."""
import math

import numpy as np

from s2sad.rules import adjoint, non_differentiable


@adjoint(np.sin, math.sin)
def sin(g, ans, x):
    return g * np.cos(x)


@adjoint(np.cos, math.cos)
def cos(g, ans, x):
    return -g * np.sin(x)


@adjoint(np.tan, math.tan)
def tan(g, ans, x):
    return g * (1.0 + ans * ans)


@adjoint(np.exp, math.exp)
def exp(g, ans, x):
    return g * ans


@adjoint(np.log, math.log)
def log(g, ans, x):
    return g / x


@adjoint(np.log1p, math.log1p)
def log1p(g, ans, x):
    return g / (1.0 + x)


@adjoint(np.expm1, math.expm1)
def expm1(g, ans, x):
    return g * (ans + 1.0)


@adjoint(np.sqrt, math.sqrt)
def sqrt(g, ans, x):
    return g * 0.5 / ans


@adjoint(np.tanh, math.tanh)
def tanh(g, ans, x):
    return g * (1.0 - ans * ans)


@adjoint(np.sinh, math.sinh)
def sinh(g, ans, x):
    return g * np.cosh(x)


@adjoint(np.cosh, math.cosh)
def cosh(g, ans, x):
    return g * np.sinh(x)


@adjoint(np.arcsin, math.asin)
def arcsin(g, ans, x):
    return g / np.sqrt(1.0 - x * x)


@adjoint(np.arccos, math.acos)
def arccos(g, ans, x):
    return -g / np.sqrt(1.0 - x * x)


@adjoint(np.arctan, math.atan)
def arctan(g, ans, x):
    return g / (1.0 + x * x)


@adjoint(np.arctan2, math.atan2)
def arctan2(g, ans, y, x):
    return g * x / (x * x + y * y), -g * y / (x * x + y * y)


@adjoint(np.hypot, math.hypot)
def hypot(g, ans, a, b):
    return g * a / ans, g * b / ans


@adjoint(np.maximum)
def maximum(g, ans, a, b):
    return g * (a >= b), g * (a < b)


@adjoint(np.minimum)
def minimum(g, ans, a, b):
    return g * (a <= b), g * (a > b)


@adjoint(math.pow, np.power)
def pow(g, ans, a, b):
    return g * b * a ** (b - 1), g * ans * (a > 0) * np.log(np.abs(a) + (a <= 0))


non_differentiable(math.floor, math.ceil, math.trunc, math.isnan, math.isinf, np.isnan, np.isinf)
