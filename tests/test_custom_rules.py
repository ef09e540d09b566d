"""User rules replace built-in ones, for the function they name only, whenever registered."""
import numpy as np
import pytest

import s2sad
from s2sad import rules


def floor_times_x(x):
    return np.sum(np.floor(x) * x)


def ceil_times_x(x):
    return np.sum(np.ceil(x) * x)


@pytest.fixture
def restore_rules():
    saved = (dict(rules._REGISTRY), dict(rules._TANGENTS), set(rules._NON_DIFFERENTIABLE), set(rules._USER_RULES))
    yield
    rules._REGISTRY.clear(), rules._REGISTRY.update(saved[0])
    rules._TANGENTS.clear(), rules._TANGENTS.update(saved[1])
    rules._NON_DIFFERENTIABLE.clear(), rules._NON_DIFFERENTIABLE.update(saved[2])
    rules._USER_RULES.clear(), rules._USER_RULES.update(saved[3])
    rules._GENERATION[0] += 1


def test_straight_through_estimator_overrides_builtin_non_differentiable(restore_rules):
    x = np.array([1.3, 2.7])
    g = s2sad.grad(floor_times_x)
    np.testing.assert_allclose(g(x), np.floor(x))        # built in: floor carries no derivative

    @s2sad.adjoint(np.floor)
    def floor_straight_through(g, ans, x):
        return g

    # the same gradient object picks up the new rule (derivatives built before are stale)
    np.testing.assert_allclose(g(x), np.floor(x) + x)
    np.testing.assert_allclose(s2sad.grad(floor_times_x, jit=False)(x), np.floor(x) + x)
    _, tangent = s2sad.jvp(floor_times_x, (x,), (np.ones(2),))
    assert tangent == pytest.approx(np.sum(np.floor(x) + x))
    # only np.floor changed
    np.testing.assert_allclose(s2sad.grad(ceil_times_x)(x), np.ceil(x))


def test_user_can_declare_a_builtin_differentiable_function_non_differentiable(restore_rules):
    def f(x):
        return np.sum(np.tanh(x) * x)
    x = np.array([0.3, -0.4])
    s2sad.non_differentiable(np.tanh)
    np.testing.assert_allclose(s2sad.grad(f, jit=False)(x), np.tanh(x))
