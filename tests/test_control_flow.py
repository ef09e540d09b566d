"""Gradients through loops, branches and array stores, checked against finite differences.

Most cases run as plain Python (jit=False, fast); the ones exercising tapes, reversed
ranges and branch replay also run compiled, and `test_jit_matches_python` checks that
the compiled and the Python derivative agree to rounding.
"""
import contextlib
import math
import signal

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, numerical_grad

JIT = pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
RNG = np.random.default_rng(20240611)
V7 = RNG.uniform(-1.0, 1.0, 7)
V7_POS = np.abs(V7) + 0.2
M3 = RNG.uniform(-1.0, 1.0, (3, 3))
M3B = RNG.uniform(-1.0, 1.0, (3, 4))


# --------------------------------------------------------------------------- ranges
def range_n(x, n):
    s = 0.0
    for i in range(n):
        s = s * x + x * i
    return s


def range_a_b(x, a, b):
    s = 1.0
    for i in range(a, b):
        s = s * x + i
    return s


def range_step_2(x, a, b):
    s = 1.0
    for i in range(a, b, 2):
        s = s * x + i
    return s


def range_backwards(v):
    n = v.shape[0]
    s = 0.0
    for i in range(n - 1, -1, -1):
        s = s * 0.5 + v[i] * v[i] * (i + 1)
    return s


def range_step_minus_2(v, a, b):
    s = 0.0
    for i in range(a, b, -2):
        s = s * v[i] + v[i]
    return s


def range_step_minus_3(v):
    s = 0.0
    for i in range(v.shape[0] - 1, 0, -3):
        s = s * v[i] + v[i - 1]
    return s


def range_step_3_array(v, a, b):
    s = 0.0
    for i in range(a, b, 3):
        s = s * v[i] + v[i] * v[i]
    return s


@JIT
@pytest.mark.parametrize("f, args", [
    pytest.param(range_n, (0.7, 5), id="range(n)"),
    pytest.param(range_n, (0.7, 1), id="range(1)"),
    pytest.param(range_a_b, (0.7, 2, 7), id="range(a,b)"),
    pytest.param(range_step_2, (0.7, 1, 8), id="range(a,b,2)-even-trips"),
    pytest.param(range_step_2, (0.7, 1, 6), id="range(a,b,2)-odd-span"),
    pytest.param(range_backwards, (V7,), id="range(n-1,-1,-1)"),
    pytest.param(range_step_minus_2, (V7, 6, 0), id="range(6,0,-2)"),
    pytest.param(range_step_minus_2, (V7, 6, -1), id="range(6,-1,-2)"),
    pytest.param(range_step_minus_2, (V7, 5, 0), id="range(5,0,-2)"),
    pytest.param(range_step_minus_3, (V7,), id="range(n-1,0,-3)"),
    pytest.param(range_step_3_array, (V7, 1, 7), id="range(1,7,3)"),
    pytest.param(range_step_3_array, (V7, 0, 7), id="range(0,7,3)"),
])
def test_ranges(f, args, jit):
    check_grads(f, args, wrt=0, rtol=1e-6, atol=1e-9, jit=jit)


@JIT
@pytest.mark.parametrize("f, args, expected", [
    pytest.param(range_n, (0.7, 0), 0.0, id="range(0)"),
    pytest.param(range_n, (0.7, -3), 0.0, id="range(-3)"),
    pytest.param(range_a_b, (0.7, 5, 5), 0.0, id="range(5,5)"),
    pytest.param(range_a_b, (0.7, 7, 2), 0.0, id="range(7,2)"),
    pytest.param(range_step_2, (0.7, 8, 1), 0.0, id="range(8,1,2)"),
    pytest.param(range_step_2, (0.7, 3, 4), 1.0, id="range(3,4,2)-one-trip"),
])
def test_empty_and_single_trip_ranges_are_exact(f, args, expected, jit):
    assert s2sad.grad(f, jit=jit)(*args) == expected


@pytest.mark.parametrize("a, b", [(0, 4), (2, 2), (5, 1), (1, 6)])
def test_empty_negative_step_ranges_give_exact_zero(a, b):
    g = s2sad.grad(range_step_minus_2, jit=False)(V7.copy(), a, b)
    expected = np.zeros_like(V7)
    if a > b:
        expected = numerical_grad(range_step_minus_2, (V7, a, b), 0)
        np.testing.assert_allclose(g, expected, rtol=1e-6, atol=1e-9)
    else:
        assert np.array_equal(g, expected)


def empty_loop_between(x, n):
    s = x * x
    for i in range(n):
        s = s * x
    return s + x


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_empty_loop_passes_adjoint_through_unchanged(jit):
    assert s2sad.grad(empty_loop_between, jit=jit)(0.7, 0) == 2 * 0.7 + 1.0


# --------------------------------------------------------------------------- nested loops
def triangle(v):
    n = v.shape[0]
    s = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            s = s + v[i] * v[j] * (j - i)
    return s


def triangle_carried(v, x):
    n = v.shape[0]
    s = x
    for i in range(n):
        for j in range(i + 1, n):
            s = s * 0.9 + np.sin(v[i] * s) * v[j]
        for j in range(i, -1, -1):
            s = s + x * v[j] * 0.1
    return s


def bound_changes_in_outer_loop(v):
    n = v.shape[0]
    m = 1
    s = 0.0
    for i in range(n):
        for j in range(m):
            s = s * 0.7 + v[i] * v[j]
        m = m + 1
    return s


def bound_shrinks(v):
    n = v.shape[0]
    s = 0.0
    hi = n
    for t in range(3):
        for i in range(0, hi):
            s = s + v[i] * s * 0.1 + v[i]
        hi = hi - 2
    return s


def matrix_loops(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            acc = 0.0
            for k in range(a.shape[1]):
                acc = acc + a[i, k] * b[k, j]
            s = s + acc * acc
    return s


@JIT
@pytest.mark.parametrize("f, args, wrt", [
    pytest.param(triangle, (V7,), 0, id="triangle"),
    pytest.param(triangle_carried, (V7, 0.4), (0, 1), id="triangle-carried"),
    pytest.param(bound_changes_in_outer_loop, (V7,), 0, id="bound-changes"),
    pytest.param(bound_shrinks, (V7,), 0, id="bound-shrinks"),
    pytest.param(matrix_loops, (M3, M3B), (0, 1), id="matrix-product"),
])
def test_nested_loops(f, args, wrt, jit):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=jit)


# --------------------------------------------------------------------------- while loops
def while_scalar(x):
    s = x
    k = 0
    while s < 10.0:
        s = s * 1.5 + x
        k += 1
    return s * k


def while_in_for(v, x):
    s = 0.0
    for i in range(v.shape[0]):
        t = x
        while t < v[i] * 10.0 + 5.0:
            t = t * 1.7 + v[i]
        s = s + t * t
    return s


def while_nested(x):
    s = x
    i = 0
    while i < 3:
        while s < 5.0 * (i + 1):
            s = s * 1.3 + x
        if s > 7.0:
            s = s - x * 0.5
        i += 1
    return s


def while_index(v):
    i = 0
    s = 0.0
    while i < v.shape[0] and v[i] > 0.0:
        s = s + v[i] * s + v[i]
        i += 1
    return s


def two_whiles(x):
    s = x
    while s < 10.0:
        s = s * 2.0
    t = s
    while t > 1.0:
        t = t * 0.3 + x * 0.01
    return s * t


def while_zero_trips(x):
    s = x * x
    while s > 100.0:
        s = s * 0.5
    return s * x


@JIT
@pytest.mark.parametrize("f, args, wrt", [
    pytest.param(while_scalar, (0.7,), 0, id="scalar"),
    pytest.param(while_scalar, (2.0,), 0, id="scalar-fewer-trips"),
    pytest.param(while_in_for, (V7_POS, 0.7), (0, 1), id="in-for"),
    pytest.param(while_nested, (0.7,), 0, id="nested"),
    pytest.param(while_index, (np.array([0.5, 0.3, 0.2, -0.1, 0.4]),), 0, id="data-dependent-exit"),
    pytest.param(two_whiles, (0.7,), 0, id="two-in-sequence"),
    pytest.param(while_zero_trips, (0.7,), 0, id="zero-trips"),
])
def test_while_loops(f, args, wrt, jit):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=jit)


def test_while_trip_count_depends_on_data():
    """Different inputs give different trip counts; each call replays its own count."""
    g = s2sad.grad(while_in_for, wrt=(0, 1), jit=False)
    for v in (V7_POS, V7_POS * 3.0, V7_POS[:2]):
        got = g(v.copy(), 0.7)
        np.testing.assert_allclose(got[0], numerical_grad(while_in_for, (v, 0.7), 0), rtol=1e-6)
        np.testing.assert_allclose(got[1], numerical_grad(while_in_for, (v, 0.7), 1), rtol=1e-6)


# --------------------------------------------------------------------------- branches
def branches_depth_3(v):
    s = 0.0
    n = v.shape[0]
    for i in range(n):
        for j in range(n):
            if v[i] > v[j]:
                if i % 2 == 0:
                    s = s + v[i] * v[j]
                elif j % 3 == 0:
                    s = s - np.sin(v[j])
                else:
                    for k in range(2):
                        if v[j] > 0.0:
                            s = s * 0.9 + v[j]
                        else:
                            s = s * 1.1 - v[j] * v[i]
            else:
                s = s + 0.5 * v[i]
    return s


def branches_elif_chain(v, x):
    s = x
    for i in range(v.shape[0]):
        if v[i] < -0.5:
            s = s * v[i]
        elif v[i] < 0.0:
            s = s + np.exp(v[i] * x)
        elif v[i] < 0.5:
            s = s - x * x * v[i]
        else:
            pass
    return s


def branch_without_else(v, x):
    s = x
    for i in range(v.shape[0]):
        if v[i] > 0.0:
            s = s * np.cos(v[i])
        s = s + 0.1 * x
    return s


def loop_inside_branch_inside_loop(v, x):
    n = v.shape[0]
    s = x
    lo = 0
    for i in range(n):
        if v[i] > 0:
            lo = lo + 1
            for j in range(lo, n, 2):
                s = s * 0.8 + v[j] * v[i]
        else:
            for j in range(n - 1, lo - 1, -1):
                s = s + x * v[j]
        lo = lo % 3
    return s


def deep_mixed(v, x):
    n = v.shape[0]
    s = x
    m = 2
    for i in range(n):
        if v[i] > 0.0:
            for j in range(m, n):
                if v[j] > v[i]:
                    while s < 3.0 + j:
                        s = s * 1.2 + v[j] * x
                else:
                    s = s * 0.9 + v[i]
            m = m + 1
        else:
            k = 0
            while k < i:
                s = s + v[k] * s * 0.1
                k += 1
        if m > n:
            m = 1
    return s


def branch_on_parameter(x, y):
    if x > 0:
        x = x * y
    else:
        y = y * x
    return x * y


def branch_outside_loop(x, y):
    z = x * y
    if x > 0.5:
        z = z * z + x
    else:
        z = z + y
    w = z * x
    z = w * y
    return z + w


@JIT
@pytest.mark.parametrize("f, args, wrt", [
    pytest.param(branches_depth_3, (V7,), 0, id="depth-3"),
    pytest.param(branches_elif_chain, (V7, 0.6), (0, 1), id="elif-chain"),
    pytest.param(branch_without_else, (V7, 0.6), (0, 1), id="no-else"),
    pytest.param(loop_inside_branch_inside_loop, (V7, 0.5), (0, 1), id="loop-in-branch-in-loop"),
    pytest.param(deep_mixed, (V7, 0.5), (0, 1), id="for-if-for-if-while"),
    pytest.param(branch_on_parameter, (0.7, 0.3), (0, 1), id="param-branch-true"),
    pytest.param(branch_on_parameter, (-0.7, 0.3), (0, 1), id="param-branch-false"),
    pytest.param(branch_outside_loop, (0.7, 0.4), (0, 1), id="top-level-true"),
    pytest.param(branch_outside_loop, (0.2, 0.4), (0, 1), id="top-level-false"),
])
def test_branches(f, args, wrt, jit):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=jit)


# --------------------------------------------------------------------------- conditional expressions
def ifexp_in_loop(v):
    s = 0.0
    for i in range(v.shape[0]):
        s = s + (v[i] * v[i] if v[i] > 0 else -v[i] * 3.0)
    return s


def ifexp_nested(x, y):
    z = x * y if x > 0 else (x - y if y > 0 else x * x * y)
    return (z if z > 0 else -z) + z


def ifexp_return(x, y):
    return x * y if x > y else x + y


def ifexp_guards_domain(v):
    s = 0.0
    for i in range(v.shape[0]):
        s = s + (np.log(v[i]) if v[i] > 0.0 else v[i])
    return s


@pytest.mark.parametrize("f, args, wrt", [
    pytest.param(ifexp_in_loop, (V7,), 0, id="in-loop"),
    pytest.param(ifexp_nested, (0.7, 0.3), (0, 1), id="nested-a"),
    pytest.param(ifexp_nested, (-0.7, 0.3), (0, 1), id="nested-b"),
    pytest.param(ifexp_nested, (-0.7, -0.3), (0, 1), id="nested-c"),
    pytest.param(ifexp_return, (0.7, 0.3), (0, 1), id="return-true"),
    pytest.param(ifexp_return, (0.2, 0.3), (0, 1), id="return-false"),
    pytest.param(ifexp_guards_domain, (V7,), 0, id="guards-log"),
])
def test_conditional_expressions(f, args, wrt):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=False)


def test_conditional_expression_compiled():
    check_grads(ifexp_guards_domain, (V7,), rtol=1e-6, atol=1e-9, jit=True)


# --------------------------------------------------------------------------- loop-carried scalars
def euler(x, dt, n):
    for i in range(n):
        x = x + dt * np.sin(x) * x
    return x


def euler_two_states(x, v, dt, n):
    for i in range(n):
        a = -x - 0.1 * v * v * v
        x = x + dt * v
        v = v + dt * a
    return x * x + v


def fibonacci_like(x, n):
    a, b = x, 1.0
    for i in range(n):
        a, b = b, a + b * x
    return a + b


def swap_update(x, y, n):
    for i in range(n):
        x, y = y * 0.5 + np.sin(x), x * y
    return x + y


def augmented_scalars(x, v):
    s = 1.0
    for i in range(v.shape[0]):
        s *= x
        s -= v[i]
        s /= 1.5
        s += s * x
    return s


def int_counter_in_float_math(x, v):
    k = 0
    s = 0.0
    for i in range(v.shape[0]):
        if v[i] > 0:
            k += 1
        s = s + x * k * v[i]
    return s


def loop_variable_after_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + x
    t = s * x * i
    for i in range(2):
        t = t * x
    return t + x * i


@JIT
@pytest.mark.parametrize("f, args, wrt", [
    pytest.param(euler, (0.5, 0.1, 20), (0, 1), id="euler"),
    pytest.param(euler_two_states, (0.5, 0.2, 0.1, 15), (0, 1, 2), id="euler-two-states"),
    pytest.param(fibonacci_like, (0.7, 6), 0, id="tuple-assignment"),
    pytest.param(swap_update, (0.3, 0.6, 5), (0, 1), id="swap"),
    pytest.param(augmented_scalars, (0.7, V7), (0, 1), id="augassign"),
    pytest.param(int_counter_in_float_math, (0.7, V7), (0, 1), id="int-counter"),
    pytest.param(loop_variable_after_loop, (0.7, 4), 0, id="loop-var-after-loop"),
])
def test_loop_carried_scalars(f, args, wrt, jit):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=jit)


# --------------------------------------------------------------------------- array element stores
def stores_in_loops_and_branches(v):
    n = v.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] = v[i] * v[i]
    for i in range(n):
        if v[i] > 0:
            a[i] = a[i] * v[i]
        else:
            a[i] += v[i]
    for i in range(1, n):
        a[i] += a[i - 1] * 0.5
        a[i - 1] = a[i] * a[i - 1]
    s = 0.0
    for i in range(n):
        s += a[i]
    return s


def stores_repeated_over_time(v, x):
    n = v.shape[0]
    a = np.zeros(n)
    for k in range(3):
        for i in range(n):
            if v[i] > 0.0:
                a[i] = a[i] * x + v[i]
            elif v[i] > -0.5:
                a[i] += x * v[i]
            else:
                a[i] = x
    s = 0.0
    for i in range(n):
        s = s + a[i] * a[i]
    return s


def subtract_stores(v):
    n = v.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] -= v[i] * v[i]
        a[i] -= v[i]
    s = 0.0
    for i in range(n):
        s = s + a[i] * a[i]
    return s


def store_then_overwrite(v):
    n = v.shape[0]
    a = np.zeros(n)
    s = 0.0
    for i in range(n):
        a[i] = v[i]
        a[i] = a[i] * a[i]
        s = s + a[i]
        a[i] = 0.0
    return s


def prefix_sum_in_place(v):
    n = v.shape[0]
    for i in range(1, n):
        v[i] += v[i - 1] * v[i]
    s = 0.0
    for i in range(n):
        s = s + v[i] * v[i]
    return s


def stores_2d(a, b):
    n = a.shape[0]
    c = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            c[i, j] = a[i, j] * b[j, i]
            c[i, j] += a[j, i]
    s = 0.0
    for i in range(n):
        for j in range(n):
            s = s + c[i, j] * c[j, i]
    return s


def store_into_parameter(v, x):
    for i in range(v.shape[0]):
        v[i] = v[i] * x + 1.0
    s = 0.0
    for i in range(v.shape[0]):
        s = s + v[i] * v[i]
    return s


def wrapped_index(v):
    n = v.shape[0]
    s = 0.0
    for i in range(n):
        s = s + v[(i + 1) % n] * v[i] + v[-1]
    return s


@JIT
@pytest.mark.parametrize("f, args, wrt", [
    pytest.param(stores_in_loops_and_branches, (V7,), 0, id="loops-and-branches"),
    pytest.param(stores_repeated_over_time, (V7, 0.8), (0, 1), id="repeated-over-time"),
    pytest.param(subtract_stores, (V7,), 0, id="minus-equal"),
    pytest.param(store_then_overwrite, (V7,), 0, id="store-then-overwrite"),
    pytest.param(prefix_sum_in_place, (V7,), 0, id="in-place-prefix"),
    pytest.param(stores_2d, (M3, M3.T.copy() * 0.5), (0, 1), id="2-d"),
    pytest.param(store_into_parameter, (V7, 0.7), (0, 1), id="into-parameter"),
    pytest.param(wrapped_index, (V7,), 0, id="wrapped-index"),
])
def test_array_stores(f, args, wrt, jit):
    check_grads(f, args, wrt=wrt, rtol=1e-6, atol=1e-9, jit=jit)


# --------------------------------------------------------------------------- heat equation
def heat_separate_buffer(u0, r, nsteps):
    n = u0.shape[0]
    u = np.zeros(n)
    w = np.zeros(n)
    for i in range(n):
        u[i] = u0[i]
    for t in range(nsteps):
        for i in range(1, n - 1):
            w[i] = u[i] + r * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        w[0] = 0.0
        w[n - 1] = 0.0
        for i in range(n):
            u[i] = w[i]
    s = 0.0
    for i in range(n):
        s += u[i] * u[i]
    return s


def heat_in_place(u, r, nsteps):
    n = u.shape[0]
    w = np.zeros(n)
    for t in range(nsteps):
        for i in range(1, n - 1):
            w[i] = u[i] + r * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        for i in range(1, n - 1):
            u[i] = w[i]
        u[0] = 0.0
        u[n - 1] = 0.0
    s = 0.0
    for i in range(n):
        s += u[i] * u[i]
    return s


def heat_boundary_first(u0, r, nsteps):
    n = u0.shape[0]
    u = np.zeros(n)
    for i in range(n):
        u[i] = u0[i]
    u[0] = 0.0
    u[n - 1] = 0.0
    for t in range(nsteps):
        left = u[0]
        for i in range(1, n - 1):
            new = u[i] + r * (left - 2.0 * u[i] + u[i + 1])
            left = u[i]
            u[i] = new
    s = 0.0
    for i in range(n):
        s += u[i] * u[i] * (i + 1)
    return s


HEAT = [heat_separate_buffer, heat_in_place, heat_boundary_first]


@JIT
@pytest.mark.parametrize("f", HEAT, ids=lambda f: f.__name__)
def test_heat_stencil_with_constant_boundary_stores(f, jit):
    u0 = np.sin(np.linspace(0.0, np.pi, 9)) + 0.3
    g_u, g_r = check_grads(f, (u0, 0.2, 4), wrt=(0, 1), rtol=1e-6, atol=1e-9, jit=jit)
    assert np.count_nonzero(g_u) >= 5, "gradient of a heat stencil must not vanish"
    assert g_r != 0.0


def test_heat_boundary_stored_before_use_has_exactly_zero_gradient():
    u0 = np.sin(np.linspace(0.0, np.pi, 9)) + 0.3
    g = s2sad.grad(heat_boundary_first, jit=False)(u0.copy(), 0.2, 4)
    assert g[0] == 0.0 and g[-1] == 0.0
    assert np.all(g[1:-1] != 0.0)


# --------------------------------------------------------------------------- several wrt at once
def several_inputs(x, y, v, m):
    s = 0.0
    for i in range(v.shape[0]):
        s = s + x * v[i] + y * y * v[i]
        for j in range(m.shape[1]):
            s = s + m[i % m.shape[0], j] * v[i] * x
    return s * x


@JIT
def test_several_wrt_at_once(jit):
    args = (0.3, 0.4, V7, M3B)
    gx, gy, gv, gm = check_grads(several_inputs, args, wrt=(0, 1, 2, 3), rtol=1e-6, atol=1e-9, jit=jit)
    assert isinstance(gx, float) and isinstance(gy, float)
    assert gv.shape == V7.shape and gm.shape == M3B.shape


def test_several_wrt_equal_single_wrt():
    args = (0.3, 0.4, V7, M3B)
    together = s2sad.grad(several_inputs, wrt=(3, 0, 2), jit=False)(*args)
    for position, g in zip((3, 0, 2), together):
        np.testing.assert_array_equal(g, s2sad.grad(several_inputs, wrt=position, jit=False)(*args))


# --------------------------------------------------------------------------- jit vs python
AGREEMENT = [
    (range_step_minus_2, (V7, 6, -1), 0),
    (triangle_carried, (V7, 0.4), (0, 1)),
    (deep_mixed, (V7, 0.5), (0, 1)),
    (stores_repeated_over_time, (V7, 0.8), (0, 1)),
    (heat_in_place, (np.linspace(0.1, 1.0, 9), 0.2, 4), (0, 1)),
    (euler_two_states, (0.5, 0.2, 0.1, 15), (0, 1, 2)),
]


@pytest.mark.parametrize("f, args, wrt", AGREEMENT, ids=[a[0].__name__ for a in AGREEMENT])
def test_jit_matches_python(f, args, wrt):
    copies = lambda: [a.copy() if isinstance(a, np.ndarray) else a for a in args]  # noqa: E731
    compiled = s2sad.value_and_grad(f, wrt=wrt, jit=True)(*copies())
    python = s2sad.value_and_grad(f, wrt=wrt, jit=False)(*copies())
    assert compiled[0] == pytest.approx(python[0], rel=1e-12)
    got = compiled[1] if isinstance(wrt, tuple) else (compiled[1],)
    want = python[1] if isinstance(wrt, tuple) else (python[1],)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_tapes_survive_repeated_and_growing_calls():
    """Tapes are reused and grown between calls: a small, a large, then a small problem again."""
    g = s2sad.grad(while_in_for, wrt=(0, 1), jit=False)
    small = V7_POS[:3]
    first = g(small.copy(), 0.7)
    big = np.tile(V7_POS, 300)
    got = g(big.copy(), 0.7)
    assert got[0].shape == big.shape
    np.testing.assert_allclose(got[0][:7], numerical_grad(while_in_for, (V7_POS, 0.7), 0), rtol=1e-6)
    again = g(small.copy(), 0.7)
    np.testing.assert_array_equal(first[0], again[0])
    assert first[1] == again[1]


# --------------------------------------------------------------------------- transform must terminate
class TransformTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    def expire(signum, frame):
        raise TransformTimeout(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def two_resets_in_loop(x, n):
    a = x
    b = x
    for i in range(n):
        a = np.sin(x)
        b = np.cos(x)
    return a + b


def test_transform_terminates_with_two_resets_at_end_of_block():
    """Regression: sinking two trailing resets `a_adj = 0.0`, `b_adj = 0.0` swapped them forever."""
    with time_limit(2.0):
        g = s2sad.grad(two_resets_in_loop, jit=False)(0.3, 3)
    assert g == pytest.approx(math.cos(0.3) - math.sin(0.3), rel=1e-14)
