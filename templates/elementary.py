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


@adjoint(np.maximum, np.fmax)
def maximum(g, ans, a, b):
    return g * (a >= b), g * (a < b)


@adjoint(np.minimum, np.fmin)
def minimum(g, ans, a, b):
    return g * (a <= b), g * (a > b)


@adjoint(math.pow, np.power, np.float_power)
def pow(g, ans, a, b):
    return g * b * a ** (b - 1), g * ans * (a > 0) * np.log(np.abs(a) + (a <= 0))


@adjoint(np.arcsinh, math.asinh)
def arcsinh(g, ans, x):
    return g / np.sqrt(x * x + 1.0)


@adjoint(np.arccosh, math.acosh)
def arccosh(g, ans, x):
    return g / np.sqrt(x * x - 1.0)


@adjoint(np.arctanh, math.atanh)
def arctanh(g, ans, x):
    return g / (1.0 - x * x)


@adjoint(np.log2, math.log2)
def log2(g, ans, x):
    return g / (x * math.log(2.0))


@adjoint(np.log10, math.log10)
def log10(g, ans, x):
    return g / (x * math.log(10.0))


@adjoint(np.exp2, math.exp2) if hasattr(math, "exp2") else adjoint(np.exp2)
def exp2(g, ans, x):
    return g * ans * math.log(2.0)


@adjoint(np.cbrt, *([math.cbrt] if hasattr(math, "cbrt") else []))
def cbrt(g, ans, x):
    return g / (3.0 * ans * ans)


@adjoint(np.reciprocal)
def reciprocal(g, ans, x):
    return -g * ans * ans


@adjoint(np.degrees, np.rad2deg, math.degrees)
def degrees(g, ans, x):
    return g * (180.0 / math.pi)


@adjoint(np.radians, np.deg2rad, math.radians)
def radians(g, ans, x):
    return g * (math.pi / 180.0)


@adjoint(math.erf)
def erf(g, ans, x):
    return g * (2.0 / math.sqrt(math.pi)) * np.exp(-x * x)


@adjoint(math.erfc)
def erfc(g, ans, x):
    return -g * (2.0 / math.sqrt(math.pi)) * np.exp(-x * x)


@adjoint(math.lgamma)
def lgamma(g, ans, x):
    return g * digamma(x)


@adjoint(math.gamma)
def gamma(g, ans, x):
    return g * ans * digamma(x)


@adjoint(np.logaddexp)
def logaddexp(g, ans, a, b):
    return g * np.exp(a - ans), g * np.exp(b - ans)


@adjoint(np.logaddexp2)
def logaddexp2(g, ans, a, b):
    return g * 2.0 ** (a - ans), g * 2.0 ** (b - ans)


@adjoint(np.copysign, math.copysign)
def copysign(g, ans, a, b):
    # |a| with the sign of b: the sign of b is piecewise constant
    return g * np.sign(a) * np.copysign(1.0, b), 0.0 * g


@adjoint(np.nextafter, math.nextafter) if hasattr(math, "nextafter") else adjoint(np.nextafter)
def nextafter(g, ans, a, b):
    return g, 0.0 * g


@adjoint(np.fmod, math.fmod)
def fmod(g, ans, a, b):
    # fmod(a, b) = a - trunc(a / b) * b
    return g, -g * np.trunc(a / b)


@adjoint(math.remainder)
def remainder(g, ans, a, b):
    # IEEE remainder: a - n * b, n = a / b rounded half to even (as np.round does)
    return g, -g * np.round(a / b)


@adjoint(np.ldexp, math.ldexp)
def ldexp(g, ans, x, exponent):
    return g * 2.0 ** exponent, None


non_differentiable(math.floor, math.ceil, math.trunc, math.isnan, math.isinf, np.isnan, np.isinf,
                   math.isfinite, math.isclose, np.isfinite, np.signbit, np.spacing, np.floor_divide,
                   np.heaviside, math.gcd, math.factorial, math.ulp, np.gcd, np.lcm,
                   np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
                   np.logical_and, np.logical_or, np.logical_xor, np.logical_not)
