"""What the forward sweep saves: only values the program overwrites before the reverse
sweep needs them (Tapenade's to-be-recorded analysis, at the level of array elements)."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads
from tests.programs import out_parameters as op


def forward_recurrence(x, a):
    s = np.zeros(x.shape[0])
    s[0] = x[0]
    for t in range(1, x.shape[0]):
        s[t] = a * s[t - 1] + np.sin(x[t]) * s[t - 1]
    return np.sum(s * s)


def backward_recurrence(x, a):
    s = np.zeros(x.shape[0])
    s[-1] = x[-1]
    for t in range(x.shape[0] - 2, -1, -1):
        s[t] = np.tanh(a * s[t + 1] + x[t])
    return np.sum(s)


def two_step_recurrence(x):
    s = np.zeros(x.shape[0])
    s[0], s[1] = x[0], x[1]
    for t in range(2, x.shape[0]):
        s[t] = 0.5 * s[t - 1] * s[t - 2] + x[t]
    return s[-1]


def rows_recurrence(x):
    m = np.zeros((4, x.shape[0]))
    m[0, :] = x
    for t in range(1, 4):
        for j in range(x.shape[0]):
            m[t, j] = np.sin(m[t - 1, j]) * m[t - 1, j]
    return np.sum(m)


def overwritten_later(x):
    # s[t - 1] is overwritten by the second loop: it must be saved
    s = np.zeros(x.shape[0])
    s[0] = x[0]
    for t in range(1, x.shape[0]):
        s[t] = s[t - 1] * x[t]
    total = np.sum(s * s)
    for t in range(x.shape[0]):
        s[t] = 0.0
    return total + s[0]


def rewritten_each_sweep(x, n):
    # an outer loop re-runs the recurrence: s[t - 1] changes in the next sweep
    s = x.copy()
    for sweep in range(n):
        for t in range(1, x.shape[0]):
            s[t] = 0.5 * (s[t] + s[t - 1] * s[t - 1])
    return np.sum(s)


def reads_ahead(x):
    # s[t + 1] is read before the store of a later iteration overwrites it
    s = x.copy()
    for t in range(x.shape[0] - 1):
        s[t] = s[t] * s[t + 1]
    return np.sum(s * s)


X = np.array([0.3, -0.5, 0.8, 0.1, 0.6])


@pytest.mark.parametrize("jit", [True, False])
@pytest.mark.parametrize("func, args, wrt, taped", [
    (forward_recurrence, (X, 0.7), (0, 1), False),
    (backward_recurrence, (X, 0.7), (0, 1), False),
    (two_step_recurrence, (X,), 0, False),
    (rows_recurrence, (X,), 0, False),
    (op.garch_loglik, (np.array([0.05, 0.1, 0.8]), X), 0, False),
    (overwritten_later, (X,), 0, True),
    (rewritten_each_sweep, (X, 3), 0, True),
    (reads_ahead, (X,), 0, True),
])
def test_recurrences_read_their_past_values_live(func, args, wrt, taped, jit):
    check_grads(func, args, wrt=wrt, jit=jit)
    source = s2sad.show(func, wrt, *args)
    assert ("float_tape" in source) == taped, source


# --------------------------------------------------------------------------- state saved once per step
def heat_copy(u, alpha, nt):
    n = u.shape[0]
    for t in range(nt):
        un = u.copy()
        for i in range(1, n - 1):
            u[i] = un[i] + alpha * (un[i - 1] - 2.0 * un[i] + un[i + 1])
    return np.sum(u * u)


def heat_buffer(u0, alpha, nt):
    n = u0.shape[0]
    u = u0.copy()
    unew = u0.copy()
    for t in range(nt):
        u[0] = 1.0
        for i in range(1, n - 1):
            unew[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u[1:-1] = unew[1:-1]
    return np.sum(u ** 2)


def invariant_scalar_in_inner_loop(x, p, m):
    s = 0.0
    for t in range(m):
        c = np.sin(p * t)
        for i in range(x.shape[0]):
            s = s * 0.5 + c * x[i]
    return s


def _indent(line):
    return len(line) - len(line.lstrip())


@pytest.mark.parametrize("jit", [True, False])
@pytest.mark.parametrize("func, args, wrt", [
    (heat_copy, (np.linspace(0.1, 0.9, 9), 0.2, 6), (0, 1)),
    (heat_buffer, (np.linspace(0.1, 0.9, 9), 0.2, 6), (0, 1)),
    (invariant_scalar_in_inner_loop, (X, 0.3, 4), (0, 1)),
])
def test_values_unchanged_in_an_inner_loop_are_saved_once_around_it(func, args, wrt, jit):
    """A stencil's state (or a scalar) that the inner loop only reads is saved once per outer
    iteration, after the inner loop, and restored before its reversal: one float per point
    per step, not one per read."""
    check_grads(func, args, wrt=wrt, jit=jit)
    source = s2sad.show(func, wrt, *args)
    lines = source.splitlines()
    inner = [k for k, line in enumerate(lines) if line.strip().startswith("for i in range(")][0]
    pushes = [k for k, line in enumerate(lines) if "push_array(" in line or "float_tape[float_top] =" in line]
    assert len(pushes) == 1, source
    assert _indent(lines[pushes[0]]) == _indent(lines[inner]) and pushes[0] > inner, source


def saved_after_a_later_loop(x, m):
    # w is saved once, after the last loop that leaves it alone (the counting loop, which has
    # no adjoint of its own), and restored before both are reversed
    s = 0.0
    w = np.zeros(x.shape[0])
    count = 0
    for t in range(m):
        for i in range(x.shape[0]):
            w[i] = x[i] * (t + 1.0)
        for i in range(x.shape[0]):
            s = s * 0.5 + np.sin(w[i]) * x[i]
        for j in range(3):
            count += j
        w[0] = 2.0
    return s + count


@pytest.mark.parametrize("jit", [True, False])
def test_one_save_serves_every_loop_that_leaves_the_value_alone(jit):
    check_grads(saved_after_a_later_loop, (X, 3), wrt=0, jit=jit)
    source = s2sad.show(saved_after_a_later_loop, 0, X, 3)
    assert source.count("push_array(") == 1, source
