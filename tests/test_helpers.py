"""Calls to the user's own functions: their derivatives are generated once and reused."""
import re

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads
from tests.programs import helpers as hp

rng = np.random.default_rng(3)
CASES = [
    ("nested_helpers", hp.smooth, (0.3, 1.2), (0, 1)),
    ("helper_in_loop_and_branch", hp.loop_helper, (rng.random(6), 0.8), (0, 1)),
    ("rk4_with_njit_rhs", hp.rk4, (np.array([1.0, 0.5]), np.array([1.1, 0.4, 0.4, 0.1]), 0.05, 20), (0, 1)),
    ("helper_returning_array", hp.uses_array_helper, (rng.random(5), 0.7), (0, 1)),
    ("helpers_returning_tuples", hp.uses_tuple_helpers, (rng.random(4), 0.7), (0, 1)),
]


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("label,f,args,wrt", CASES, ids=[c[0] for c in CASES])
def test_helpers_match_finite_differences(label, f, args, wrt, jit):
    check_grads(f, args, wrt, rtol=1e-5, jit=jit)


def test_helper_derivative_is_generated_once_and_reused():
    source = s2sad.grad(hp.rk4, wrt=1)
    source(np.array([1.0, 0.5]), np.array([1.1, 0.4, 0.4, 0.1]), 0.05, 3)
    spec = next(iter(source.specializations.values()))
    (name,) = spec.derivative.dependencies     # rhs_vjp (rhs_vjp_2 if another `rhs` was derived before)
    assert re.fullmatch(r"rhs_vjp(_\d+)?", name)
    assert spec.source.count(f"{name}(") == 4        # four call sites, one generated derivative


@pytest.mark.parametrize("jit", [False, True])
def test_helpers_of_one_name_from_two_modules_keep_their_own_derivatives(jit):
    """Both derivatives were named rhs_vjp / rhs_jvp: the second replaced the first in the
    caller (d/dx of x**2 + x**3 at 2 was 8.0, the JVP 24.0, instead of 16.0)."""
    from tests.programs import twins
    assert s2sad.grad(twins.both, jit=jit)(2.0) == 16.0
    assert s2sad.jvp(twins.both, (2.0,), (1.0,), jit=jit) == (12.0, 16.0)
    assert s2sad.hvp(twins.both, (2.0,), (1.0,), jit=jit) == (14.0,)
