"""Type inference never guesses a number of dimensions (a wrong ndim was a silently wrong
gradient: issue 7's `np.zeros((2,) + x.shape)` was taken as 1-D)."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads


def shape_from_tuple_arithmetic(x):
    D = np.zeros((2,) + x.shape)
    D[0] = x
    s = np.sum(np.sin(D))
    D[1] = x
    return s + np.sum(np.sin(D))


def shape_from_tuple_slice(m):
    out = np.zeros(m.shape[1:] + (3,))
    for k in range(3):
        out[:, k] = m[k, :] * (k + 1.0)
    return np.sum(out * out)


def shape_from_two_tuples(x):
    grid = np.ones((x.shape[0],) + (x.shape[0],))
    for i in range(x.shape[0]):
        grid[i, :] = grid[i, :] * x
    return np.sum(np.sin(grid))


@pytest.mark.parametrize("jit", [True, False])
@pytest.mark.parametrize("func, args", [
    (shape_from_tuple_arithmetic, (np.array([0.3, -0.2, 0.5]),)),
    (shape_from_tuple_slice, (np.arange(12.0).reshape(3, 4) / 10.0,)),
    (shape_from_two_tuples, (np.array([0.3, -0.2, 0.5]),)),
])
def test_allocations_with_computed_shapes(func, args, jit):
    check_grads(func, args, wrt=0, jit=jit)


def test_issue_example_exact():
    x = np.array([0.3, -0.2, 0.5])
    np.testing.assert_allclose(s2sad.grad(shape_from_tuple_arithmetic)(x), 3 * np.cos(x), rtol=1e-12)


def floor_of_array(x):
    return np.sum(np.floor(x) * x)


def test_numpy_rounding_returns_floats_shaped_like_its_input():
    # np.floor of an array is a float array (math.floor is an int); no derivative flows through it
    x = np.array([1.3, 2.7])
    np.testing.assert_allclose(s2sad.grad(floor_of_array)(x), np.floor(x))
