"""grad of grad: exact second derivatives, never the first derivative again (issue 9)."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import numerical_grad


def sin_exp(x):
    return np.sin(x) * np.exp(x)


def loop_in_two_parameters(x, k):
    s = 0.0
    for i in range(5):
        s = s + k * np.sin(x * s + 1.0)
    return s


def newton_sqrt(a):
    x = a
    while abs(x * x - a) > 1e-14 * a:
        x = 0.5 * (x + a / x)
    return x


@pytest.mark.parametrize("jit", [True, False])
def test_second_derivative_of_a_scalar_function(jit):
    # issue 9: this returned f'(0.7) = 2.8375; f''(0.7) = 2 e^0.7 cos 0.7 = 3.0804
    value = s2sad.grad(s2sad.grad(sin_exp, jit=jit), jit=jit)(0.7)
    assert value == pytest.approx(2 * np.exp(0.7) * np.cos(0.7), rel=1e-12)


def test_mixed_second_derivatives_of_a_loop():
    outer = s2sad.grad(s2sad.grad(loop_in_two_parameters), wrt=(0, 1))
    dxx, dxk = outer(0.3, 1.2)
    inner = s2sad.grad(loop_in_two_parameters)
    assert dxx == pytest.approx(numerical_grad(inner, (0.3, 1.2), 0), rel=1e-6)
    assert dxk == pytest.approx(numerical_grad(inner, (0.3, 1.2), 1), rel=1e-6)


def test_grad_of_grad_of_a_while_loop():
    # d2/da2 sqrt(a) = -a^(-3/2) / 4
    assert s2sad.grad(s2sad.grad(newton_sqrt))(2.0) == pytest.approx(-0.25 * 2.0 ** -1.5, rel=1e-8)


def test_value_and_grad_of_grad():
    value, second = s2sad.value_and_grad(s2sad.grad(sin_exp))(0.7)
    assert value == pytest.approx(np.cos(0.7) * np.exp(0.7) + np.sin(0.7) * np.exp(0.7))
    assert second == pytest.approx(2 * np.exp(0.7) * np.cos(0.7))


def test_what_cannot_be_composed_yet_raises_instead_of_answering_something_else():
    with pytest.raises(s2sad.NonDifferentiableError):
        s2sad.grad(s2sad.grad(s2sad.grad(sin_exp)))(0.7)
    with pytest.raises(s2sad.NonDifferentiableError):
        s2sad.jvp(s2sad.grad(sin_exp), (0.7,), (1.0,))
    with pytest.raises(s2sad.NonDifferentiableError, match="scalar"):
        s2sad.grad(s2sad.value_and_grad(sin_exp))(0.7)
    with pytest.raises(s2sad.NonDifferentiableError, match="hvp"):
        s2sad.grad(s2sad.grad(lambda_free_sum))(np.ones(3))


def lambda_free_sum(x):
    return np.sum(x * x)


def recursive_power(x, n):
    if n == 0:
        return 1.0
    return x * recursive_power(x, n - 1)


def calls_recursive_power(x):
    return recursive_power(x, 3)


@pytest.mark.parametrize("func, args", [(calls_recursive_power, (1.5,)), (recursive_power, (1.5, 3))])
def test_recursion_is_a_clear_error_not_a_crash(func, args):
    # was Python's RecursionError from inside type inference (found by the corpus: lets_be_rational)
    with pytest.raises(s2sad.UnsupportedError, match="calls itself") as info:
        s2sad.grad(func)(*args)
    assert info.value.construct == "recursion"
