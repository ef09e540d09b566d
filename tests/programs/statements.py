"""Programs written the way real scientific code is: keyword arguments and defaults, asserts
and prints, loops with `else:`, early returns, function-local imports, functions passed as
arguments, `*args` forwarding, integers computed from floats (see tests/test_statements.py)."""
import math

import numba
import numpy as np


# --------------------------------------------------------------------------- 1. keyword arguments
def h(a, b):
    return a * b


def keywords_only(x, y):
    return h(a=x, b=y)


def keywords_swapped(x, y):
    return h(b=y, a=x) + h(y, b=x * x)


def h3(a, b, c):
    return a * b - c * a * a


def keywords_mixed(x, y):
    return h3(x, c=y, b=2.0) + h3(y, x, c=x)


def scaled(v, scale=2.0, shift=0.5):
    return scale * v * v + shift * v


def keywords_and_defaults(x, y):
    return scaled(x) + scaled(x, shift=y) + scaled(y, scale=x) + scaled(v=x, shift=y, scale=y)


def keywords_in_loop(x, k):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.4:
            s += scaled(x[i], shift=k)
        else:
            s -= scaled(scale=k, v=x[i])
    return s


def polar(r, theta):
    return r * np.cos(theta), r * np.sin(theta)


def keywords_to_tuple_helper(x, r):
    s = 0.0
    for i in range(x.shape[0]):
        a, b = polar(theta=x[i], r=r)
        s += a * b + a
    return s


def weighted(v, w, power=2.0):
    return w * v ** power


def keywords_with_arrays(x, k):
    y = weighted(w=k, v=x)
    z = weighted(x, power=3.0, w=y)
    return np.sum(z) + np.sum(y)


def outer_helper(a, b=1.5):
    return scaled(a, shift=b) * h(b=a, a=b)


def keywords_nested(x, y):
    return outer_helper(b=y, a=x) + outer_helper(x)


@numba.njit
def jitted_scaled(v, scale=2.0, shift=0.5):
    return scale * v * v + shift * math.sin(v)


def keywords_to_njit_helper(x, y):
    return jitted_scaled(x, shift=y) + jitted_scaled(scale=y, v=x)


def keywords_in_branch_test(x, y):
    if scaled(x, shift=y) > 1.0:
        return x * y
    return x + y


# --------------------------------------------------------------------------- 2. default arguments
def with_defaults(x, n=10, scale=0.5):
    s = 0.0
    for i in range(n):
        s = s + scale * x * x * i
    return s


def mixture(x, p=(0.25, 0.75)):
    return p[0] * x * x + p[1] * np.sin(x)


def uses_tuple_default(x, k):
    return mixture(x) + mixture(k, (x, 2.0))


def maybe_weighted(x, w=None):
    if w is None:
        return x * x
    return w * x * x


def uses_none_default(x, k):
    return maybe_weighted(x) + maybe_weighted(x, k)


def kind_switch(x, kind="square"):
    if kind == "square":
        return x * x
    return x * x * x


def uses_string_default(x):
    return kind_switch(x) + kind_switch(x, "cube")


# --------------------------------------------------------------------------- 3. assert and print
def checked(x, v):
    assert x > 0.0, "x must be positive"
    s = 0.0
    for i in range(v.shape[0]):
        assert v[i] > -10.0
        s = s + math.exp(v[i] * x)
    return s


def checked_helper(a, b):
    assert a > 0.0, "a must be positive"
    return math.log(a) * b


def uses_checked_helper(x, y):
    s = 0.0
    for i in range(3):
        s = s + checked_helper(x + i, y)
    return s


def printing(x, v):
    s = 0.0
    for i in range(v.shape[0]):
        s = s + v[i] * x * x
        print("step", i)
    print("done")
    return s


def printing_helper(a):
    print("helper")
    return a * a * a


def uses_printing_helper(x):
    return printing_helper(x) + x


# --------------------------------------------------------------------------- 4. loops with else
def for_else(x, v):
    s = x
    for i in range(v.shape[0]):
        if v[i] * s > 3.0:
            break
        s = s * v[i] + x
    else:
        s = s * 2.0
    return s


def while_else(x, limit):
    s = x
    k = 0
    while k < 5:
        s = s * 1.5
        if s > limit:
            break
        k += 1
    else:
        s = s - x * x
    return s


def for_else_without_break(x, v):
    s = 0.0
    for e in v:
        s = s + e * x
    else:
        s = s * s
    return s


def for_else_return(x, v):
    s = x
    for i in range(v.shape[0]):
        s = s * v[i]
        if s > 5.0:
            break
    else:
        return s * s
    return s + x


def nested_else(x, m):
    s = x
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j] * s > 4.0:
                break
            s = s + m[i, j] * x
        else:
            s = s * 1.1
            continue
        s = s - x
    else:
        s = s * x
    return s


# --------------------------------------------------------------------------- 5. every path returns
def if_else_both_return(x):
    if x > 1.0:
        return x * x
    elif x > 0.0:
        return math.sin(x)
    else:
        return -x


def return_in_loop_and_at_end(x, v):
    for i in range(v.shape[0]):
        if v[i] * x > 2.0:
            return v[i] * x * x
    return x


def while_true_returns(a):
    x = a
    while True:
        x = 0.5 * (x + a / x)
        if abs(x * x - a) < 1e-12:
            return x


def dead_code_after_return(x):
    y = x * 3.0
    return y * y
    y = 2.0


# --------------------------------------------------------------------------- 6. function-local imports
def local_imports(x, v):
    import math
    import numpy as np
    from math import exp, sqrt
    from numpy import zeros
    w = zeros(v.shape[0])
    for i in range(v.shape[0]):
        w[i] = exp(v[i] * x) + sqrt(x) * math.cos(v[i])
    return np.sum(w * w)


def importing_helper(a):
    from math import tanh as hyperbolic_tangent
    import numpy
    return hyperbolic_tangent(a) * numpy.cos(a)


def uses_importing_helper(x, y):
    from numpy import sum as total
    s = 0.0
    for i in range(3):
        s = s + importing_helper(x * i + y)
    return s + total(np.ones(2) * x)


# --------------------------------------------------------------------------- 7. functions as arguments
def rhs(t, x, a, b):
    return np.array([a * x[1] - x[0] * t, -b * x[0] + math.sin(x[1])])


@numba.njit
def rhs_jitted(t, x, a, b):
    return np.array([a * x[1] - x[0] * t, -b * x[0] + math.sin(x[1])])


def damped(t, x, a, b):
    return np.array([x[1], -a * x[0] - b * x[1]])


def rk4(f, t, x, p, dt):
    k1 = f(t, x, *p)
    k2 = f(t + 0.5 * dt, x + 0.5 * dt * k1, *p)
    k3 = f(t + 0.5 * dt, x + 0.5 * dt * k2, *p)
    k4 = f(t + dt, x + dt * k3, *p)
    return x + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def integrate(x0, p, n):
    """`p` a tuple parameter, forwarded as `*p`: constant, its length known from its type."""
    x = x0.copy()
    t = 0.0
    for i in range(n):
        x = rk4(rhs, t, x, p, 0.1)
        t = t + 0.1
    return np.sum(x * x)


def integrate_parameters(x0, a, b, n):
    """The tuple is written out in the call: each element gets its own derivative."""
    x = x0.copy()
    t = 0.0
    for i in range(n):
        x = rk4(rhs_jitted, t, x, (a, b), 0.1)
        t = t + 0.1
    return np.sum(x * x)


def integrate_two_systems(x0, a, b):
    x = x0.copy()
    y = x0.copy()
    for i in range(4):
        x = rk4(rhs, 0.1 * i, x, (a, b), 0.1)
        y = rk4(damped, 0.1 * i, y, (a, b), 0.1)
    return np.sum(x * y)


def solve(f, x0, p, n, dt=0.1):
    x = x0
    for i in range(n):
        x = rk4(f, i * dt, x, p, dt)
    return x


def integrate_through_two_helpers(x0, a, b):
    x = solve(damped, x0, (a, b), 5)
    return np.sum(x * x)


def euler(x, a, f=np.sin):
    return x + 0.1 * f(a * x)


def function_default_and_ufunc(x, a):
    return euler(x, a) + euler(x, a, np.cos) + euler(x, a, f=np.tanh)


def tuple_argument(k, x):
    """The shape that gave a zero derivative for k: a tuple written out as a helper argument."""
    return h(x, 1.0) * pair_sum(x, (k, 2.0))


def pair_sum(x, p):
    return x * p[0] + p[1] * p[-2]


def tuple_star(x, k):
    return h(*(x, k)) + h3(x, *(k, 2.0))


def len_of_tuple(x, k):
    return sum_of(x, (k, x, 3.0))


def sum_of(x, p):
    s = 0.0
    for i in range(len(p)):
        s = s + x * i
    a, b, c = p
    return s + a * b * c


# --------------------------------------------------------------------------- 8. integers from floats
def integer_steps(x, h):
    n = int(np.ceil(x / h))
    s = 0.0
    for i in range(n):
        s = s + x * h * i
    return s


def integers_from_floats(x, h):
    m = int(x / h)
    r = round(x)
    r2 = round(x, 1)
    f = math.floor(x)
    c = math.ceil(x)
    t = math.trunc(x)
    k = x // h
    return x * m + r * x + r2 * x * x + f * x + c * x + t * x + k * x * h


def integer_arrays_from_floats(v, h):
    w = np.floor(v / h)
    q = np.round(v)
    return np.sum(w * v) + np.sum(q * v * v) + np.sum(np.ceil(v) * v)


# --------------------------------------------------------------------------- a helper that fills an array,
# passed a function (inlined: see normalize.inline)
def fill(f, out, x):
    for i in range(out.shape[0]):
        out[i] = f(x * (i + 1))


def fills_with_functions(x):
    out = np.zeros(3)
    fill(np.sin, out, x)
    fill(f=np.cos, out=out, x=x * out[0])
    return np.sum(out)
