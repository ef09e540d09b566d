"""A name rebound to a value of another type (`a = np.array([a, a])` for a float `a`) is
split into one name per live range (`s2sad.normalize.split_names`), as Numba types it.

Before this pass such a name got no usable type and every derivative through it was
silently 0.0 (issue 7)."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, check_jvp


def float_rebound_to_display(a):
    a = np.array([a, a])
    return np.sum(a)


def float_rebound_to_product(a):
    a = np.ones(3) * a
    return np.sum(a)


def array_rebound_to_matrix(x):
    x = np.outer(x, x)
    return np.sum(np.sin(x))


def rebound_in_the_middle(x, k):
    s = x * k
    x = np.full(4, s)
    x[0] = x[1] * x[2]
    return np.sum(x * x) + s


def rebound_inside_loop_body(v):
    total = 0.0
    for i in range(v.shape[0]):
        w = v[i] * 2.0
        w = np.array([w, w * w])
        total += np.sum(np.tanh(w))
    return total


@pytest.mark.parametrize("jit", [True, False])
@pytest.mark.parametrize("func, args, wrt", [
    (float_rebound_to_display, (1.5,), 0),
    (float_rebound_to_product, (1.5,), 0),
    (array_rebound_to_matrix, (np.array([0.3, -0.4, 0.2]),), 0),
    (rebound_in_the_middle, (0.7, 1.3), (0, 1)),
    (rebound_inside_loop_body, (np.array([0.1, -0.5, 0.9]),), 0),
])
def test_gradient_through_a_name_whose_type_changes(func, args, wrt, jit):
    check_grads(func, args, wrt=wrt, jit=jit)


def test_exact_values_of_the_issue_examples():
    assert s2sad.grad(float_rebound_to_display)(1.5) == 2.0
    assert s2sad.grad(float_rebound_to_product)(1.5) == 3.0


@pytest.mark.parametrize("func, args", [
    (float_rebound_to_display, (1.5,)),
    (rebound_in_the_middle, (0.7, 1.3)),
    (rebound_inside_loop_body, (np.array([0.1, -0.5, 0.9]),)),
])
def test_forward_mode_too(func, args):
    check_jvp(func, args, wrt=(0,))


def test_generated_code_names_each_live_range():
    source = s2sad.show(float_rebound_to_display, 0, 1.5)
    assert "a_2 = np.array([a, a])" in source
    assert "value = np.sum(a_2)" in source


def type_changes_where_branches_merge(x, c):
    if c > 0.0:
        y = x * 2.0
    else:
        y = np.ones(3) * x
    return np.sum(y)


def type_changes_around_a_loop(x, n):
    y = x
    for i in range(n):
        y = np.array([y, y])
    return np.sum(y)


@pytest.mark.parametrize("func, args", [(type_changes_where_branches_merge, (0.5, 1.0)),
                                        (type_changes_around_a_loop, (0.5, 2))])
def test_a_name_with_two_types_at_a_merge_is_a_clear_error(func, args):
    with pytest.raises(s2sad.UnsupportedError, match="different types") as info:
        s2sad.grad(func)(*args)
    assert "test_split_names.py" in str(info.value)
