"""`raise` runs in the forward sweep as written (input validation in Numba kernels); a path
that ends in a raise returns nothing, so it needs no `return`."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, check_jvp
from tests.programs import raising

X = np.array([0.3, -1.2, 0.8, 2.0])


@pytest.mark.parametrize("jit", [True, False])
@pytest.mark.parametrize("func, args, wrt", [
    (raising.validated_norm, (X, 3.0), (0, 1)),
    (raising.newton_or_fail, (2.0,), 0),
    (raising.calls_a_checking_helper, (X,), 0),
])
def test_functions_that_validate_with_raise(func, args, wrt, jit):
    check_grads(func, args, wrt=wrt, jit=jit)
    check_jvp(func, args, wrt=wrt if isinstance(wrt, tuple) else (wrt,), jit=jit)


@pytest.mark.parametrize("jit", [True, False])
def test_the_derivative_raises_where_the_function_does(jit):
    with pytest.raises(ValueError, match="p must be positive"):
        s2sad.grad(raising.validated_norm, jit=jit)(X, -1.0)


def test_exact_derivative_of_newton():
    assert s2sad.grad(raising.newton_or_fail)(2.0) == pytest.approx(0.5 / np.sqrt(2.0), rel=1e-12)


def bare_reraise(x):
    if x < 0.0:
        raise
    return x


def test_bare_raise_is_rejected():
    with pytest.raises(s2sad.UnsupportedError, match="raise"):
        s2sad.grad(bare_reraise)(1.0)
