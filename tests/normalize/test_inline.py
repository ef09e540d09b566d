"""Helpers that write into their caller's arrays are inlined (`s2sad.normalize.inline`).

Each program is differentiated in reverse mode (jit on and off) and forward mode and
compared with central finite differences."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, check_jvp
from tests.programs import out_parameters as op

rng = np.random.default_rng(11)
DATA = rng.standard_normal(25) * 0.5

CASES = [
    (op.garch_loglik, (np.array([0.05, 0.1, 0.8]), DATA), 0),
    (op.rows_filled_by_helper, (np.array([0.1, 0.2, 0.3, 0.4]),), 0),
    (op.helper_updates_its_argument, (np.array([0.1, 0.2, 0.3]),), 0),
    (op.float_argument_is_not_changed, (0.7,), 0),
    (op.integrate_with_jitted_out_helper, (np.array([0.5, -0.3, 1.1]), 0.7), (0, 1)),
    (op.calls_nested_writers, (np.array([0.4, 0.5, 0.6]),), 0),
    (op.filter_loglik, (rng.standard_normal(15), 0.3, 0.5), (0, 1, 2)),
    (op.keyword_call, (np.array([0.3, 0.1, -0.2]), 0.4), (0, 1)),
    (op.columns, (np.array([0.3, 0.1, -0.2]),), 0),
]


@pytest.mark.parametrize("jit", [True, False])
@pytest.mark.parametrize("func, args, wrt", CASES, ids=[c[0].__name__ for c in CASES])
def test_reverse_mode_through_out_parameter_helpers(func, args, wrt, jit):
    before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    check_grads(func, args, wrt=wrt, jit=jit)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)       # the caller's arguments are left alone


@pytest.mark.parametrize("func, args, wrt", CASES, ids=[c[0].__name__ for c in CASES])
def test_forward_mode_through_out_parameter_helpers(func, args, wrt):
    check_jvp(func, args, wrt=wrt if isinstance(wrt, tuple) else (wrt,))


def test_the_value_is_the_primal_value():
    params = np.array([0.05, 0.1, 0.8])
    value, _ = s2sad.value_and_grad(op.garch_loglik)(params, DATA)
    assert value == pytest.approx(op.garch_loglik(params, DATA), rel=1e-14)


def test_generated_code_cites_the_helper_lines():
    source = s2sad.show(op.garch_loglik, 0, np.array([0.05, 0.1, 0.8]), DATA)
    assert "of garch_recursion" in source                     # e.g. "# line 9 of garch_recursion: ..."
    assert "sigma2[t] = omega + alpha * data[t - 1] ** 2 + beta * sigma2[t - 1]" in source
    row_source = s2sad.show(op.rows_filled_by_helper, 0, np.array([0.1, 0.2]))
    assert "a[t, j] = np.sin(x[j] * k)" in row_source        # the row view became an index


def recursive_filler(out, n):
    if n > 0:
        out[n - 1] = n * 1.0
        recursive_filler(out, n - 1)


def calls_recursive_filler(x):
    out = np.zeros(3)
    recursive_filler(out, 3)
    return np.sum(out * x)


def writer_in_header(out, x):
    out[0] = x[0]
    return out[0]


def calls_writer_in_header(x):
    out = np.zeros(1)
    if writer_in_header(out, x) > 0.0:
        return x[0]
    return 2.0 * x[0]


def writer_returns_on_one_path(out, x):
    if x[0] > 0.0:
        out[0] = x[0]
        return 1.0


def uses_partial_return(x):
    out = np.zeros(1)
    return writer_returns_on_one_path(out, x) + out[0]


def not_a_helper_statement(x):
    np.sin(x)
    return np.sum(x)


@pytest.mark.parametrize("func, construct", [
    (calls_recursive_filler, "recursion"),
    (calls_writer_in_header, "call"),
    (uses_partial_return, "return"),
    (not_a_helper_statement, "expression statement"),
])
def test_what_cannot_be_inlined_is_a_clear_error(func, construct):
    with pytest.raises(s2sad.UnsupportedError) as info:
        s2sad.grad(func)(np.array([0.5, 0.2, 0.1]))
    assert info.value.construct == construct
    assert "test_inline.py" in str(info.value)


from numpy import abs  # noqa: E402  (the caller's `abs` is NumPy's; the helper's is the builtin)
from tests.programs.inlined_from_another_module import fill_scaled  # noqa: E402


def calls_a_helper_of_another_module(x):
    out = np.zeros(x.shape[0])
    fill_scaled(out, x)
    return np.sum(out * out) + abs(-2.0)


@pytest.mark.parametrize("jit", [True, False])
def test_inlined_helper_keeps_the_meaning_of_its_module_names(jit):
    # the helper reads SCALE, twice, math and the builtin abs from its own module
    check_grads(calls_a_helper_of_another_module, (np.array([0.3, -0.4, 1.2]),), wrt=0, jit=jit)
