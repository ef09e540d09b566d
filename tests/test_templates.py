"""Every derivative rule in `templates/` against central finite differences.

Each rule is checked twice: applied directly to the inputs (`direct`), and inside a loop
whose carried scalar feeds the rule, so that the incoming adjoint `g` is not 1 and the
rule's operands are values restored in the reverse sweep (`loop`). Both run compiled by
Numba (jit=True) and as plain Python (jit=False).
"""
import math

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, numerical_grad

JIT = pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
N_STEPS = 4


# --------------------------------------------------------------------------- operators
def op_add(x, y):
    return x + y


def op_sub(x, y):
    return x - y


def op_mul(x, y):
    return x * y


def op_div(x, y):
    return x / y


def op_pow(x, y):
    return x ** y


def op_neg(x):
    return -x


def op_same_operand(x):
    return x * x + x / (x + 2.0) - x ** x


def pow_const_2(x):
    return x ** 2


def pow_const_3(x):
    return x ** 3


def pow_const_half(x):
    return x ** 0.5


def pow_const_negative(x):
    return x ** -1.5


def pow_const_base(x):
    return 2.0 ** x


def div_const_numerator(x):
    return 3.0 / x


def div_const_denominator(x):
    return x / 3.0


def sub_from_const(x):
    return 2.0 - x


def mul_const(x):
    return 4.0 * x


# --------------------------------------------------------------------------- builtins
def builtin_abs(x):
    return abs(x)


def np_abs(x):
    return np.abs(x)


def np_absolute(x):
    return np.absolute(x)


def builtin_max(x, y):
    return max(x, y)


def builtin_min(x, y):
    return min(x, y)


# --------------------------------------------------------------------------- math
def math_sin(x):
    return math.sin(x)


def math_cos(x):
    return math.cos(x)


def math_tan(x):
    return math.tan(x)


def math_exp(x):
    return math.exp(x)


def math_log(x):
    return math.log(x)


def math_log1p(x):
    return math.log1p(x)


def math_expm1(x):
    return math.expm1(x)


def math_sqrt(x):
    return math.sqrt(x)


def math_tanh(x):
    return math.tanh(x)


def math_sinh(x):
    return math.sinh(x)


def math_cosh(x):
    return math.cosh(x)


def math_asin(x):
    return math.asin(x)


def math_acos(x):
    return math.acos(x)


def math_atan(x):
    return math.atan(x)


def math_atan2(y, x):
    return math.atan2(y, x)


def math_hypot(x, y):
    return math.hypot(x, y)


def math_pow(x, y):
    return math.pow(x, y)


# --------------------------------------------------------------------------- numpy
def np_sin(x):
    return np.sin(x)


def np_cos(x):
    return np.cos(x)


def np_tan(x):
    return np.tan(x)


def np_exp(x):
    return np.exp(x)


def np_log(x):
    return np.log(x)


def np_log1p(x):
    return np.log1p(x)


def np_expm1(x):
    return np.expm1(x)


def np_sqrt(x):
    return np.sqrt(x)


def np_tanh(x):
    return np.tanh(x)


def np_sinh(x):
    return np.sinh(x)


def np_cosh(x):
    return np.cosh(x)


def np_arcsin(x):
    return np.arcsin(x)


def np_arccos(x):
    return np.arccos(x)


def np_arctan(x):
    return np.arctan(x)


def np_arctan2(y, x):
    return np.arctan2(y, x)


def np_hypot(x, y):
    return np.hypot(x, y)


def np_maximum(x, y):
    return np.maximum(x, y)


def np_minimum(x, y):
    return np.minimum(x, y)


def np_power(x, y):
    return np.power(x, y)


UNARY_POINTS = {"tan": 0.4, "log": 1.7, "sqrt": 1.7, "log1p": 0.6, "asin": 0.35, "acos": 0.35,
                "arcsin": 0.35, "arccos": 0.35}
UNARY = [math_sin, math_cos, math_tan, math_exp, math_log, math_log1p, math_expm1, math_sqrt,
         math_tanh, math_sinh, math_cosh, math_asin, math_acos, math_atan,
         np_sin, np_cos, np_tan, np_exp, np_log, np_log1p, np_expm1, np_sqrt,
         np_tanh, np_sinh, np_cosh, np_arcsin, np_arccos, np_arctan]


def _unary_cases():
    cases = []
    for f in UNARY:
        point = UNARY_POINTS.get(f.__name__.split("_", 1)[1], 0.7)
        cases.append(pytest.param(f, (point,), 0, id=f.__name__))
        if f.__name__.split("_", 1)[1] not in ("log", "sqrt"):      # odd/even functions, both signs
            cases.append(pytest.param(f, (-point / 2,), 0, id=f.__name__ + "-neg"))
    return cases


DIRECT = [
    pytest.param(op_add, (0.7, -1.3), (0, 1), id="add"),
    pytest.param(op_sub, (0.7, -1.3), (0, 1), id="sub"),
    pytest.param(op_mul, (0.7, -1.3), (0, 1), id="mul"),
    pytest.param(op_div, (0.7, -1.3), (0, 1), id="div"),
    pytest.param(op_pow, (1.3, 0.7), (0, 1), id="pow"),
    pytest.param(op_pow, (0.6, -2.5), (0, 1), id="pow-negative-exponent"),
    pytest.param(op_neg, (0.7,), 0, id="neg"),
    pytest.param(op_same_operand, (0.7,), 0, id="same-operand"),
    pytest.param(pow_const_2, (-1.3,), 0, id="x**2"),
    pytest.param(pow_const_3, (-1.3,), 0, id="x**3"),
    pytest.param(pow_const_half, (1.3,), 0, id="x**0.5"),
    pytest.param(pow_const_negative, (1.3,), 0, id="x**-1.5"),
    pytest.param(pow_const_base, (1.3,), 0, id="2.0**x"),
    pytest.param(pow_const_base, (-0.4,), 0, id="2.0**x-neg"),
    pytest.param(div_const_numerator, (1.3,), 0, id="3/x"),
    pytest.param(div_const_denominator, (1.3,), 0, id="x/3"),
    pytest.param(sub_from_const, (1.3,), 0, id="2-x"),
    pytest.param(mul_const, (1.3,), 0, id="4*x"),
    pytest.param(builtin_abs, (-1.3,), 0, id="abs-neg"),
    pytest.param(builtin_abs, (1.3,), 0, id="abs-pos"),
    pytest.param(np_abs, (-1.3,), 0, id="np.abs-neg"),
    pytest.param(np_absolute, (1.3,), 0, id="np.absolute-pos"),
    pytest.param(builtin_max, (0.7, 0.2), (0, 1), id="max-first"),
    pytest.param(builtin_max, (0.2, 0.7), (0, 1), id="max-second"),
    pytest.param(builtin_min, (0.7, 0.2), (0, 1), id="min-second"),
    pytest.param(builtin_min, (0.2, 0.7), (0, 1), id="min-first"),
    pytest.param(np_maximum, (0.7, 0.2), (0, 1), id="np.maximum-first"),
    pytest.param(np_maximum, (0.2, 0.7), (0, 1), id="np.maximum-second"),
    pytest.param(np_minimum, (0.7, 0.2), (0, 1), id="np.minimum-second"),
    pytest.param(np_minimum, (0.2, 0.7), (0, 1), id="np.minimum-first"),
    pytest.param(math_atan2, (0.3, -0.7), (0, 1), id="math_atan2"),
    pytest.param(math_atan2, (-0.3, 0.7), (0, 1), id="math_atan2-q4"),
    pytest.param(np_arctan2, (0.3, -0.7), (0, 1), id="np_arctan2"),
    pytest.param(np_arctan2, (-0.3, 0.7), (0, 1), id="np_arctan2-q4"),
    pytest.param(math_hypot, (0.3, -0.7), (0, 1), id="math_hypot"),
    pytest.param(np_hypot, (0.3, -0.7), (0, 1), id="np_hypot"),
    pytest.param(math_pow, (1.3, 0.7), (0, 1), id="math_pow"),
    pytest.param(np_power, (1.3, 0.7), (0, 1), id="np_power"),
] + _unary_cases()


@JIT
@pytest.mark.parametrize("f, args, wrt", DIRECT)
def test_rule_direct(f, args, wrt, jit):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=jit)


# --------------------------------------------------------------------------- rules in loops
# One-argument rules: `s` is carried from iteration to iteration and fed to the rule;
# the adjoint reaching the rule is 0.3 * s_adj, not 1.

def loop_math_sin(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.sin(s) + 0.5 * x
    return s


def loop_math_cos(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.cos(s) + 0.5 * x
    return s


def loop_math_tan(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.tan(s) + 0.5 * x
    return s


def loop_math_exp(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.exp(s) + 0.5 * x
    return s


def loop_math_log(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.log(s) + 0.5 * x
    return s


def loop_math_log1p(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.log1p(s) + 0.5 * x
    return s


def loop_math_expm1(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.expm1(s) + 0.5 * x
    return s


def loop_math_sqrt(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.sqrt(s) + 0.5 * x
    return s


def loop_math_tanh(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.tanh(s) + 0.5 * x
    return s


def loop_math_sinh(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.sinh(s) + 0.5 * x
    return s


def loop_math_cosh(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.cosh(s) + 0.5 * x
    return s


def loop_math_asin(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.asin(s) + 0.5 * x
    return s


def loop_math_acos(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.acos(s) + 0.5 * x
    return s


def loop_math_atan(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * math.atan(s) + 0.5 * x
    return s


def loop_np_sin(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.sin(s) + 0.5 * x
    return s


def loop_np_cos(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.cos(s) + 0.5 * x
    return s


def loop_np_tan(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.tan(s) + 0.5 * x
    return s


def loop_np_exp(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.exp(s) + 0.5 * x
    return s


def loop_np_log(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.log(s) + 0.5 * x
    return s


def loop_np_log1p(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.log1p(s) + 0.5 * x
    return s


def loop_np_expm1(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.expm1(s) + 0.5 * x
    return s


def loop_np_sqrt(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.sqrt(s) + 0.5 * x
    return s


def loop_np_tanh(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.tanh(s) + 0.5 * x
    return s


def loop_np_sinh(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.sinh(s) + 0.5 * x
    return s


def loop_np_cosh(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.cosh(s) + 0.5 * x
    return s


def loop_np_arcsin(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.arcsin(s) + 0.5 * x
    return s


def loop_np_arccos(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.arccos(s) + 0.5 * x
    return s


def loop_np_arctan(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.arctan(s) + 0.5 * x
    return s


def loop_neg(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * -s + 0.5 * x
    return s


def loop_abs(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * abs(s) - 0.5 * x
    return s


def loop_np_abs(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * np.abs(s) - 0.5 * x
    return s


def loop_pow_const_2(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * s ** 2 + 0.5 * x
    return s


def loop_pow_const_half(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * s ** 0.5 + 0.5 * x
    return s


def loop_pow_const_base(x, n):
    s = x
    for i in range(n):
        s = 0.5 * s + 0.3 * 2.0 ** s + 0.5 * x
    return s


LOOP_UNARY = [loop_math_sin, loop_math_cos, loop_math_tan, loop_math_exp, loop_math_log,
              loop_math_log1p, loop_math_expm1, loop_math_sqrt, loop_math_tanh, loop_math_sinh,
              loop_math_cosh, loop_math_asin, loop_math_acos, loop_math_atan,
              loop_np_sin, loop_np_cos, loop_np_tan, loop_np_exp, loop_np_log, loop_np_log1p,
              loop_np_expm1, loop_np_sqrt, loop_np_tanh, loop_np_sinh, loop_np_cosh,
              loop_np_arcsin, loop_np_arccos, loop_np_arctan,
              loop_neg, loop_abs, loop_np_abs, loop_pow_const_2, loop_pow_const_half,
              loop_pow_const_base]
LOOP_POINTS = {"log": 1.3, "sqrt": 1.3, "pow_const_half": 1.3, "abs": -0.3}


# Two-argument rules: the carried `s` goes in either position, `y` is a second active input.

def loop_add(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * (s + y) + 0.1 * (y + s)
    return s


def loop_sub(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * (s - y) + 0.1 * (y - s)
    return s


def loop_mul(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * (s * y) + 0.1 * (y * s)
    return s


def loop_div(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * (s / y) + 0.1 * (y / s)
    return s


def loop_pow(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * s ** y + 0.1 * y ** s
    return s


def loop_max(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * max(s, y) + 0.1 * max(y, s) + 0.2
    return s


def loop_min(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * min(s, y) + 0.1 * min(y, s) + 0.2
    return s


def loop_np_maximum(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * np.maximum(s, y) + 0.1 * np.maximum(y, s) + 0.2
    return s


def loop_np_minimum(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * np.minimum(s, y) + 0.1 * np.minimum(y, s) + 0.2
    return s


def loop_math_atan2(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * math.atan2(s, y) + 0.1 * math.atan2(y, s)
    return s


def loop_np_arctan2(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * np.arctan2(s, y) + 0.1 * np.arctan2(y, s)
    return s


def loop_math_hypot(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * math.hypot(s, y) + 0.1 * math.hypot(y, s)
    return s


def loop_np_hypot(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * np.hypot(s, y) + 0.1 * np.hypot(y, s)
    return s


def loop_math_pow(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * math.pow(s, y) + 0.1 * math.pow(y, s)
    return s


def loop_np_power(x, y, n):
    s = x
    for i in range(n):
        s = 0.6 * s + 0.3 * np.power(s, y) + 0.1 * np.power(y, s)
    return s


LOOP_BINARY = [loop_add, loop_sub, loop_mul, loop_div, loop_pow, loop_max, loop_min,
               loop_np_maximum, loop_np_minimum, loop_math_atan2, loop_np_arctan2,
               loop_math_hypot, loop_np_hypot, loop_math_pow, loop_np_power]


def _loop_cases():
    cases = []
    for f in LOOP_UNARY:
        point = LOOP_POINTS.get(f.__name__.split("_", 1)[1].replace("np_", "").replace("math_", ""), 0.3)
        cases.append(pytest.param(f, (point, N_STEPS), 0, id=f.__name__))
    for f in LOOP_BINARY:
        # for max/min the carried value crosses y between steps 2 and 3 (both sides are used)
        y = 1.25 if f in (loop_max, loop_min, loop_np_maximum, loop_np_minimum) else 1.3
        cases.append(pytest.param(f, (0.7, y, N_STEPS), (0, 1), id=f.__name__))
    return cases


LOOP = _loop_cases()


@pytest.mark.parametrize("f, args, wrt", LOOP)
def test_loop_points_stay_inside_domain(f, args, wrt):
    """Guard for the test data: the primal is finite and not at a kink of max/min/abs."""
    value = f(*args)
    assert np.isfinite(value)
    for position in (wrt if isinstance(wrt, tuple) else (wrt,)):
        fine, coarse = numerical_grad(f, args, position), numerical_grad(f, args, position, eps=1e-4)
        assert np.isfinite(fine)
        assert fine == pytest.approx(coarse, rel=1e-4, abs=1e-8), "a kink lies near the test point"


@JIT
@pytest.mark.parametrize("f, args, wrt", LOOP)
def test_rule_in_loop(f, args, wrt, jit):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=jit)


def test_every_loop_variant_really_loops():
    """The loop variants depend on the trip count: the rule is applied more than once."""
    for f in LOOP_UNARY:
        x = LOOP_POINTS.get(f.__name__.split("_", 1)[1].replace("np_", "").replace("math_", ""), 0.3)
        assert f(x, 1) != f(x, N_STEPS), f.__name__


# --------------------------------------------------------------------------- rule details
def test_all_template_primals_are_covered():
    """Every primal a template is registered for is exercised by a test in this file."""
    import operator
    from s2sad import rules
    from s2sad.templates import arithmetic, elementary
    rules._load_builtin_templates()
    template_rules = {id(obj.s2sad_rule) for module in (arithmetic, elementary)
                      for obj in vars(module).values() if hasattr(obj, "s2sad_rule")}
    registered = {key for key, rule in rules._REGISTRY.items() if id(rule) in template_rules}
    assert len(registered) >= 40
    covered = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow, operator.mod,
               operator.neg, abs, np.abs, np.absolute, max, min, np.maximum, np.minimum,
               math.pow, np.power, math.atan2, np.arctan2, math.hypot, np.hypot]
    for name in ("sin", "cos", "tan", "exp", "log", "log1p", "expm1", "sqrt", "tanh", "sinh",
                 "cosh", "arcsin", "arccos", "arctan"):
        covered.append(getattr(np, name))
        covered.append(getattr(math, {"arcsin": "asin", "arccos": "acos", "arctan": "atan"}.get(name, name)))
    # every other function of `math` and every ufunc is exercised by tests/test_math_ufunc_audit.py
    covered += [float, np.float64] + [getattr(math, n) for n in dir(math) if callable(getattr(math, n))]
    covered += [getattr(np, n) for n in dir(np) if isinstance(getattr(np, n), np.ufunc)]
    assert registered <= {id(p) for p in covered}


def test_pow_exponent_derivative_is_zero_for_nonpositive_base():
    """d(a**b)/db is a**b log a for a > 0; the rule returns 0 where log a is undefined (a == 0)."""
    gx, gy = s2sad.grad(op_pow, wrt=(0, 1), jit=False)(0.0, 2.0)
    assert gx == 0.0 and gy == 0.0
    gx, gy = s2sad.grad(op_pow, wrt=(0, 1), jit=False)(-2.0, 3.0)
    assert gx == pytest.approx(12.0) and gy == 0.0


def test_max_min_ties_send_adjoint_to_first_argument():
    assert s2sad.grad(builtin_max, wrt=(0, 1), jit=False)(0.5, 0.5) == (1.0, 0.0)
    assert s2sad.grad(builtin_min, wrt=(0, 1), jit=False)(0.5, 0.5) == (1.0, 0.0)
    assert s2sad.grad(np_maximum, wrt=(0, 1), jit=False)(0.5, 0.5) == (1.0, 0.0)
    assert s2sad.grad(np_minimum, wrt=(0, 1), jit=False)(0.5, 0.5) == (1.0, 0.0)


@pytest.mark.parametrize("f, x, expected", [
    (np_sin, 0.7, math.cos(0.7)),
    (math_exp, 0.7, math.exp(0.7)),
    (np_log, 1.7, 1 / 1.7),
    (math_sqrt, 1.7, 0.5 / math.sqrt(1.7)),
    (np_tanh, 0.7, 1 - math.tanh(0.7) ** 2),
    (math_asin, 0.35, 1 / math.sqrt(1 - 0.35 ** 2)),
    (np_arccos, 0.35, -1 / math.sqrt(1 - 0.35 ** 2)),
    (pow_const_2, -1.3, -2.6),
])
def test_rules_match_closed_form(f, x, expected):
    assert s2sad.grad(f, jit=False)(x) == pytest.approx(expected, rel=1e-14)


# --------------------------------------------------------------------------- modulo and floor division
def float_mod(x, c):
    return (x % c) * x


def float_floordiv(x):
    return (x // 0.5) * x


def test_floor_division_is_piecewise_constant():
    """x // c is constant between jumps: only the outer factor contributes."""
    check_grads(float_floordiv, (1.3,), rtol=1e-6, atol=1e-9, jit=False)


@JIT
def test_float_modulo_is_differentiable(jit):
    """Regression: `%` used to be declared non-differentiable, silently dropping d(x % c)/dx = 1."""
    check_grads(float_mod, (1.3, 0.5), wrt=(0, 1), rtol=1e-6, atol=1e-9, jit=jit)
    check_grads(float_mod, (-1.3, 0.7), wrt=(0, 1), rtol=1e-6, atol=1e-9, jit=jit)


# --------------------------------------------------------------------------- negative literal bases
def alternating_series(v, x):
    s = 0.0
    for i in range(v.shape[0]):
        s = s + (-1.0) ** i * v[i] * x
    return s


def negative_base_recomputed(x):
    a = np.zeros(2)
    a[0] -= np.tanh((-0.5) ** 2 + x)
    return a[0] * 2.0


@JIT
def test_alternating_sign_series(jit):
    v = np.array([0.3, 0.5, 0.7, -0.2])
    check_grads(alternating_series, (v, 2.0), wrt=(0, 1), rtol=1e-6, atol=1e-9, jit=jit)


def test_parenthesised_negative_base_is_kept():
    check_grads(negative_base_recomputed, (0.3,), rtol=1e-6, atol=1e-9, jit=False)
