"""Regression tests from a review of jvp / vjp / hvp and the aliasing check (one per bug).

Found by an adversarial review of the forward-mode commits; each was fixed in the commit that
added this file (the comment above each test names the bug it showed)."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import numerical_grad


# --- 1. a tangent that is just another tangent's name is stored into through an alias
def _alias_of_sum(x, c):
    y = x + c           # fresh array in the primal; y_dot = x_dot (no copy)
    z = y
    z[0] = 0.0          # z_dot[0] = 0.0 zeroes x_dot[0] (and the caller's tangent)
    return np.sum(z) + x[0]


def _shift(x, c):
    return x + c


def _helper_result_stored(x, c):
    y = _shift(x, c)    # the helper returns x_dot itself as the tangent
    y[0] = 0.0
    return np.sum(y) + x[0]


# FIXED: forward mode lets a fresh array's tangent alias an input tangent
@pytest.mark.parametrize("f", [_alias_of_sum, _helper_result_stored])
def test_tangent_of_fresh_array_is_not_an_alias(f):
    v = np.ones(3)
    _, t = s2sad.jvp(f, (np.array([0.5, 0.6, 0.7]), 0.3), (v, None), jit=False)
    assert np.array_equal(v, np.ones(3))
    assert t == pytest.approx(3.0)


# --- 2. aliasing check misses aliases (silently wrong grad and jvp)
def _alias_in_one_branch(a, c):
    if c > 0.0:
        b = a
    else:
        b = a * 2.0
    b[0] = c
    return np.sum(a * a)


def _view_of_view(m, c):
    r = m[0]
    q = r[1:]
    q[0] = c
    return np.sum(m * m)


def _expand_dims_view(a, c):
    b = np.expand_dims(a, 0)
    b[0, 1] = c
    return np.sum(a * a)


def _reshape_function_view(a, c):
    b = np.reshape(a, (2, 2))
    b[0, 1] = c
    return np.sum(a * a)


# FIXED: aliasing check misses branch aliases, views of views, np.reshape/expand_dims
@pytest.mark.parametrize("f, a", [(_alias_in_one_branch, np.array([0.5, 0.6, 0.7, 0.8])),
                                  (_view_of_view, np.array([[0.5, 0.6], [0.7, 0.8]])),
                                  (_expand_dims_view, np.array([0.5, 0.6, 0.7, 0.8])),
                                  (_reshape_function_view, np.array([0.5, 0.6, 0.7, 0.8]))])
def test_aliases_are_rejected_or_differentiated(f, a):
    try:
        g = s2sad.grad(f, wrt=0, jit=False)(a.copy(), 0.3)
    except s2sad.S2SADError:
        return
    np.testing.assert_allclose(g, numerical_grad(f, (a, 0.3), 0), rtol=1e-6, atol=1e-8)


# --- 3. a read-only view read before its base is overwritten: the reverse sweep sees new values
def _view_then_store(x):
    v = x[1:]
    w = v * x[0]
    x[1:] = w
    return np.sum(x * x)


def _slice_update(x):
    x[1:] = x[1:] * x[0]
    return np.sum(x * x)


# FIXED: reverse mode reads a view after its base was stored into
def test_gradient_of_view_read_before_store():
    x = np.array([0.3, 0.5, 0.7])
    g = s2sad.grad(_view_then_store, jit=False)(x.copy())
    np.testing.assert_allclose(g, numerical_grad(_view_then_store, (x,), 0), rtol=1e-6)


# FIXED: hvp (reverse over the forward code's views) of x[1:] = x[1:] * x[0]
def test_hvp_of_slice_update_of_argument():
    x, v = np.array([0.3, 0.5, 0.7]), np.array([1.0, -0.5, 0.25])
    (h,) = s2sad.hvp(_slice_update, (x.copy(),), (v,), jit=False)
    grad = s2sad.grad(_slice_update, jit=False)
    eps = 1e-5
    expected = (grad(x + eps * v) - grad(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(h, expected, rtol=1e-5)


# --- 4. c[:, None] is typed as a scalar: reverse mode sums the whole adjoint into each element
def _column_broadcast(m, c):
    return np.sum(c[:, None] * m)


# FIXED: types.py counts None in an index as a dropped axis
def test_vjp_of_newaxis_broadcast():
    m, c = np.ones((3, 4)), np.ones(3)
    _, pullback = s2sad.vjp(_column_broadcast, m, c, jit=False)
    np.testing.assert_allclose(pullback(1.0)[1], [4.0, 4.0, 4.0])


# --- 5. x ** p with an array x and a differentiated scalar p
def _power_of_array(x, p):
    return np.sum(x ** p)


# FIXED: power rule uses `if a > 0` on an array (ValueError)
def test_jvp_of_array_power_with_active_exponent():
    x = np.array([0.5, 1.5])
    _, t = s2sad.jvp(_power_of_array, (x, 1.7), (None, 1.0), jit=False)
    assert t == pytest.approx(np.sum(x ** 1.7 * np.log(x)))


# --- 6. np.prod tangent divides by x
def _product(x):
    return np.prod(x)


# FIXED: prod tangent t * ans / x is NaN where x has a zero
def test_jvp_of_prod_with_a_zero():
    _, t = s2sad.jvp(_product, (np.array([0.0, 2.0, 3.0]),), (np.array([1.0, 0.0, 0.0]),), jit=False)
    assert t == pytest.approx(6.0)
