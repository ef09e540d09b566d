"""The straight-line adjoint code reads like a careful person wrote it: repeated terms merged,
no copy where a move does, no assignment nobody reads (issue 8, scope 2)."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads


def square_sum(x):
    return np.sum(x * x)


def copy_between_arrays(x, n):
    u = x.copy()
    v = np.zeros(x.shape[0])
    for t in range(n):
        for i in range(1, x.shape[0] - 1):
            v[i] = 0.5 * u[i] + 0.25 * (u[i - 1] + u[i + 1])
        u[1:-1] = v[1:-1]
    return np.sum(u * u)


def shift_within_one_array(x, n):
    u = x.copy()
    for t in range(n):
        u[1:] = u[:-1] * 0.9
        u[0] = np.sin(u[0])
    return np.sum(u * u)


def fused_sum(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * x[i]
    return s


X = np.array([0.3, -0.5, 0.8, 0.1, 0.6, -0.9])


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
@pytest.mark.parametrize("func, args", [(square_sum, (X,)), (copy_between_arrays, (X, 3)),
                                        (shift_within_one_array, (X, 3)), (fused_sum, (X,))])
def test_tidied_code_is_still_exact(func, args, jit):
    check_grads(func, args, wrt=0, jit=jit)


def test_the_two_factors_of_a_square_give_one_term():
    source = s2sad.show(square_sum, 0, X)
    assert "2.0 * " in source and source.count("x_adj +=") == 1, source


def test_a_slice_copied_into_another_array_moves_its_adjoint_without_a_copy():
    source = s2sad.show(copy_between_arrays, 0, X, 3)
    assert "u_adj[1:-1].copy()" not in source, source
    assert "v_adj[1:-1] += u_adj[1:-1]" in source, source


def test_a_shift_within_one_array_keeps_its_copy():
    # u[1:] = u[:-1]: the adjoint read and the adjoint reset overlap; moving would be wrong
    source = s2sad.show(shift_within_one_array, 0, X, 3)
    assert "u_adj[1:].copy()" in source, source


def test_no_seed_is_left_unread_when_the_loop_is_fused():
    source = s2sad.show(fused_sum, 0, X)
    assert "s_adj" not in source and "# reverse sweep" not in source, source
