"""Loop fusion (`s2sad/fusion.py`): a top-level loop whose iterations only add independent
terms into sums that the rest of the function uses linearly runs each iteration's adjoint
right after the iteration, with no tape and no reversed loop. Everything else is reversed
as before; both give the same gradients."""
import math

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, numerical_grad

FUSED = "its iterations are independent sums"


def rosenbrock(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def huber(r, delta):
    s = 0.0
    for i in range(r.shape[0]):
        a = abs(r[i])
        if a <= delta:
            s += 0.5 * r[i] * r[i]
        else:
            s += delta * (a - 0.5 * delta)
    return s / r.shape[0]


def pair_energy(x, eps):
    e = 0.0
    n = x.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            d = x[i] - x[j]
            r2 = d * d + 0.5
            if r2 < 4.0:
                e += eps * (1.0 / (r2 * r2) - 1.0 / r2)
    return 2.0 * e


def two_sums(x, w):
    s = 0.0
    q = 0.0
    scale = w * 2.0
    for i in range(x.shape[0]):
        t = math.sin(x[i]) * w
        s += t
        q -= t * x[i] * scale
    return -(s - 3.0 * q) / x.shape[0]


def inner_recurrence(x, a):
    # each iteration runs a small loop-carried recurrence of its own: taped, but only per iteration
    total = 0.0
    for i in range(x.shape[0]):
        y = x[i]
        for k in range(3):
            y = a * y * y + 0.1
        total += y
    return total


def with_local_array(x):
    s = 0.0
    for i in range(x.shape[0]):
        v = np.zeros(2)
        v[0] = x[i]
        v[1] = x[i] * x[i]
        s += np.sum(np.sin(v))
    return s


def uses_sum_nonlinearly(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * x[i]
    return s * s


def reads_last_iteration(x):
    s = 0.0
    for i in range(x.shape[0]):
        y = x[i] * 2.0
        s += y
    return s + y * y


def stores_into_carried_array(x):
    c = np.zeros(x.shape[0])
    s = 0.0
    for i in range(1, x.shape[0]):
        c[i] = c[i - 1] + x[i]
        s += c[i] * x[i]
    return s


def modifies_input_after(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] ** 3
    x[0] = 5.0
    return s + x[0] * x[1]


def carried_scalar(x, a):
    s = 0.0
    y = 1.0
    for i in range(x.shape[0]):
        y = y * a + x[i]
        s += y
    return s


def factor_computed_after(x, r):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * x[i]
    disc = math.exp(-r)
    return s * disc


X = np.array([0.3, -0.5, 0.8, 0.1, 0.6, -0.9])

CASES = [
    (rosenbrock, (X,), 0, True),
    (huber, (X, 0.5), (0, 1), True),
    (pair_energy, (X, 0.7), (0, 1), True),
    (two_sums, (X, 0.4), (0, 1), True),
    (inner_recurrence, (X, 0.3), (0, 1), True),
    (with_local_array, (X,), 0, True),
    (uses_sum_nonlinearly, (X,), 0, False),
    (reads_last_iteration, (X,), 0, False),
    (stores_into_carried_array, (X,), 0, False),
    (modifies_input_after, (X,), 0, False),
    (carried_scalar, (X, 0.5), (0, 1), False),
    (factor_computed_after, (X, 0.3), (0, 1), True),
]


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
@pytest.mark.parametrize("func, args, wrt, fused", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradients_match_finite_differences(func, args, wrt, fused, jit):
    check_grads(func, args, wrt=wrt, jit=jit)


@pytest.mark.parametrize("func, args, wrt, fused", CASES, ids=[c[0].__name__ for c in CASES])
def test_only_independent_sums_used_linearly_are_fused(func, args, wrt, fused):
    source = s2sad.show(func, wrt, *[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    assert (FUSED in source) == fused, source


@pytest.mark.parametrize("func, args, wrt, fused", [c for c in CASES if c[3]], ids=[c[0].__name__ for c in CASES if c[3]])
def test_fused_loops_are_not_run_backwards_and_keep_no_tape_across_iterations(func, args, wrt, fused):
    source = s2sad.show(func, wrt, *args)
    assert "backwards: for i in" not in source, source
    if func not in (inner_recurrence, with_local_array):
        assert "_tape" not in source, source


@pytest.mark.parametrize("func, args, wrt, fused", [c for c in CASES if c[3]], ids=[c[0].__name__ for c in CASES if c[3]])
def test_fused_reverse_mode_agrees_with_forward_mode(func, args, wrt, fused):
    """The dot-product test <J u, v> = <u, J^T v> between jvp and grad."""
    rng = np.random.default_rng(7)
    positions = wrt if isinstance(wrt, tuple) else (wrt,)
    grads = s2sad.grad(func, wrt=positions)(*args)
    tangents = tuple(rng.normal(size=np.shape(a)) if k in positions else None for k, a in enumerate(args))
    tangents = tuple(float(t) if t is not None and np.ndim(t) == 0 else t for t in tangents)
    _, jv = s2sad.jvp(func, args, tangents)
    dot = sum(float(np.sum(g * tangents[k])) for g, k in zip(grads, positions))
    assert jv == pytest.approx(dot, rel=1e-12, abs=1e-12)


def test_the_seed_follows_the_linear_tail():
    # returned value = -(s - 3 q) / n: seeds are -value_adj / n and 3 value_adj / n
    source = s2sad.show(two_sums, (0, 1), X, 0.4)
    assert "s_seed = " in source and "q_seed = " in source


def test_a_branch_at_the_end_of_a_fused_iteration_is_decided_once():
    source = s2sad.show(huber, 0, X, 0.5)
    assert source.count("if a <= delta") == 1, source
    assert "took_if" not in source and "branch_tape" not in source, source


def test_value_and_gradient_of_a_fused_loop_under_a_nonunit_seed():
    value, pullback = s2sad.vjp(rosenbrock, X)
    (g,) = pullback(2.5)
    np.testing.assert_allclose(g, 2.5 * numerical_grad(rosenbrock, (X,), 0), rtol=1e-6)
    assert value == pytest.approx(rosenbrock(X))


def adjoint_initialised_then_only_incremented(x, p):
    # found by the statement-rewriting generator: the only later uses of s0_adj are `+=`,
    # which read it; dropping its initialisation as a dead store left it unbound
    s0 = np.sin(p)
    if x[0] > 10.0:
        s0 = s0 * 2.0
    s4 = 0.0
    for i in range(x.shape[0]):
        s4 += x[i] * x[i]
    return s0 + s4 if x[1] > -5.0 else p * s4


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_an_adjoint_only_incremented_later_keeps_its_initialisation(jit):
    check_grads(adjoint_initialised_then_only_incremented, (X, 0.3), wrt=(0, 1), jit=jit)


def test_adjoint_code_of_a_pair_beyond_the_cutoff_is_skipped():
    # r2_adj is zero unless the pair is inside the cutoff: the code that spreads it onto
    # x_adj runs only in that arm
    source = s2sad.show(pair_energy, (0, 1), X, 0.7)
    lines = source.splitlines()
    branch = next(k for k, line in enumerate(lines) if "if r2 < 4.0:" in line)
    spread = next(k for k, line in enumerate(lines) if "x_adj[j] -= d_adj" in line)
    indent = len(lines[branch]) - len(lines[branch].lstrip())
    assert spread > branch and len(lines[spread]) - len(lines[spread].lstrip()) > indent, source
    assert "adjoint of this iteration of line" not in source, source


# --------------------------------------------------------------------------- more shapes of fused loops

def _helper(a, b):
    return a * math.sin(b) + b * b

def with_helper(x, p):
    s = 0.0
    for i in range(x.shape[0]):
        s += _helper(x[i], p)
    return s * 0.5

def with_break(x):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.75:
            break
        s += x[i] ** 3
    return s

def with_while_inside(x):
    s = 0.0
    for i in range(x.shape[0]):
        y = x[i]
        k = 0
        while k < 3:
            y = np.sin(y) + 0.1
            k += 1
        s += y * y
    return 3.0 * s

def two_loops_same_sum(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] ** 2
    for i in range(x.shape[0]):
        s += np.sin(x[i])
    return s

def sum_then_other_use(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] ** 2
    t = s
    u = t * 2.0 - s
    return u + x[0]

def stores_into_result_array(x):
    out = np.zeros(x.shape[0])
    s = 0.0
    for i in range(x.shape[0]):
        out[i] = x[i] * 2.0
        s += out[i] * x[i]
    return s + np.sum(out)


EDGE_CASES = [
    (with_helper, (X, 0.4), (0, 1), True),
    (with_break, (X,), 0, True),            # the flag the break sets carries no derivative
    (with_while_inside, (X,), 0, True),
    (two_loops_same_sum, (X,), 0, True),    # the second loop; the first sees it as a use of s
    (sum_then_other_use, (X,), 0, True),
    (stores_into_result_array, (X,), 0, False),
]


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
@pytest.mark.parametrize("func, args, wrt, fused", EDGE_CASES, ids=[c[0].__name__ for c in EDGE_CASES])
def test_more_loop_shapes(func, args, wrt, fused, jit):
    check_grads(func, args, wrt=wrt, jit=jit)
    assert (FUSED in s2sad.show(func, wrt, *args)) == fused


def option_price(S0, sigma, z, K):
    # paths out of the money have a zero adjoint: their reversed inner loop is skipped, and
    # every path starts its tape where the first one did
    total = 0.0
    for p in range(z.shape[0]):
        s = S0
        for k in range(z.shape[1]):
            s = s * math.exp(-0.5 * sigma * sigma * 0.01 + sigma * 0.1 * z[p, k])
        if s > K:
            total += s - K
    tail = 0.0
    for p in range(3):                       # a loop after it that saves values of its own
        tail = tail * 0.5 + np.sin(S0 * (p + 1))
    return total / z.shape[0] + tail


Z = np.random.default_rng(3).standard_normal((40, 6))


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_an_iteration_whose_adjoint_is_zero_skips_its_reverse_inner_loop(jit):
    check_grads(option_price, (1.0, 0.3, Z, 1.05), wrt=(0, 1), jit=jit)
    source = s2sad.show(option_price, (0, 1), 1.0, 0.3, Z, 1.05)
    assert "float_top = float_top_at_line" in source, source
    lines = source.splitlines()
    branch = next(k for k, line in enumerate(lines) if "if s > K:" in line)
    reverse_loop = next(k for k, line in enumerate(lines) if "for k in range(z.shape[1] - 1, -1, -1)" in line)
    assert reverse_loop > branch and lines[reverse_loop].startswith(" " * (len(lines[branch]) -
                                                                         len(lines[branch].lstrip()) + 4))
