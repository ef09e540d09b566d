"""Tapes never overflow: every push lands inside the room reserved for it.

Pushes are unchecked stores (`tape[top] = v`), so a reservation that falls short writes
past the end of the tape under Numba (heap corruption, or a silently wrong gradient) and
raises IndexError in Python. Two ways it fell short before, both fixed by keeping headroom
at every growth point (see `ReverseTransform.reserve`): an inner loop's reserve that grew
the tape to exactly its own needs, leaving none for the outer iteration's pushes after it;
and an array saved inside a loop consuming the room reserved for the loop's scalars."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, numerical_grad


def outer_push_after_inner_loop(x, n):
    s = 0.0
    for i in range(3):
        for j in range(n):
            s = np.sin(s + x[i])
        s = np.cos(s) * x[i]
    return s


def array_saved_in_loop_before_scalars(x, p):
    # issue 7: the float tape reserved before the loop was used up by the array save
    p_ = np.zeros(p.shape[0] + 1)
    p_[1:] = p
    p = p_
    s = np.zeros(p.shape[0])
    s[0] = x
    for t in range(1, p.shape[0]):
        a = p[t] - 0.5
        s[t] = s[t - 1] + 0.1 * np.tanh(a * s[t - 1])
    return s[-1]


def state_array_saved_each_step(u, n):
    total = 0.0
    for step in range(n):
        u = u * 0.9 + 0.1 * np.sin(u)
        for i in range(u.shape[0]):
            total = total + u[i] * total * 0.01 + np.sin(u[i])
    return total


def while_inside_for(x, n):
    s = 0.0
    for i in range(n):
        k = 0
        t = x[i]
        while k < 50 + i * 40:
            t = np.sin(t) + 0.5 * x[i]
            k += 1
        s = s * np.cos(t) + t
    return s


@pytest.mark.parametrize("jit", [False, True])
def test_inner_loop_reserve_keeps_room_for_outer_pushes(jit):
    x = np.array([0.3, 0.5, 0.7])
    # 3000 inner pushes: far more than the 1024 floats a tape starts with
    g = s2sad.grad(outer_push_after_inner_loop, jit=jit)(x, 3000)
    np.testing.assert_allclose(g, numerical_grad(outer_push_after_inner_loop, (x, 3000), 0), rtol=1e-6,
                               atol=1e-9)


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("size", [5, 38, 200])
def test_array_save_inside_loop_keeps_room_for_scalars(jit, size):
    p = np.random.default_rng(38).uniform(size=size)
    check_grads(array_saved_in_loop_before_scalars, (0.7, p), wrt=(0, 1), jit=jit)


@pytest.mark.parametrize("jit", [False, True])
def test_array_saved_each_step_then_scalar_loop(jit):
    u = np.linspace(-1.0, 1.0, 300)
    check_grads(state_array_saved_each_step, (u, 4), wrt=0, jit=jit, rtol=1e-5)


@pytest.mark.parametrize("jit", [False, True])
def test_while_loops_inside_a_for_loop(jit):
    x = np.array([0.2, 0.4, 0.6, 0.8, 1.0])
    check_grads(while_inside_for, (x, 5), wrt=0, jit=jit)


def test_repeated_calls_reuse_tapes_and_agree():
    g = s2sad.grad(outer_push_after_inner_loop)
    x = np.array([0.3, 0.5, 0.7])
    first = g(x, 2000)
    for n in (10, 5000, 2000):
        g(x, n)
    np.testing.assert_array_equal(g(x, 2000), first)


def test_loop_invariant_array_is_not_taped():
    # `p` is rebound before the loop and never after: the loop reads it live in the
    # reverse sweep instead of pushing a copy of the whole array on every iteration
    source = s2sad.show(array_saved_in_loop_before_scalars, 0, 0.7, np.ones(5))
    assert "push_array" not in source
