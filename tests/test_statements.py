"""Constructs of real scientific code (issue 7), end to end: keyword arguments and defaults,
assert and print, loops with `else:`, functions whose every path returns, function-local
imports, functions passed as arguments and `*args` forwarding, integers computed from floats.

Every program is differentiated in reverse mode (`grad`) and forward mode (`jvp`, with its
dot-product test against `vjp`), compiled and in plain Python, and as a Hessian-vector
product, and compared with central finite differences."""
import re

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, check_hvp, check_jvp
from tests.programs import statements as st

X3 = np.array([0.3, 0.8, 0.5])
X0 = np.array([1.0, 0.5])
CASES = [
    # 1. keyword arguments to helpers
    ("keywords_only", st.keywords_only, (2.0, 3.0), (0, 1)),
    ("keywords_swapped", st.keywords_swapped, (1.3, 0.7), (0, 1)),
    ("keywords_mixed_with_positions", st.keywords_mixed, (1.3, 0.7), (0, 1)),
    ("keywords_and_defaults", st.keywords_and_defaults, (1.3, 0.7), (0, 1)),
    ("keywords_in_loop_and_branch", st.keywords_in_loop, (X3, 0.7), (0, 1)),
    ("keywords_to_tuple_returning_helper", st.keywords_to_tuple_helper, (X3, 0.7), (0, 1)),
    ("keywords_with_arrays", st.keywords_with_arrays, (X3, 0.7), (0, 1)),
    ("keywords_nested_helpers", st.keywords_nested, (1.3, 0.7), (0, 1)),
    ("keywords_to_njit_helper", st.keywords_to_njit_helper, (1.3, 0.7), (0, 1)),
    ("keywords_in_branch_test", st.keywords_in_branch_test, (1.3, 0.7), (0, 1)),
    # 2. default arguments
    ("defaults_of_the_function", st.with_defaults, (1.3,), (0,)),
    ("tuple_default", st.uses_tuple_default, (1.3, 0.7), (0, 1)),
    ("none_default", st.uses_none_default, (1.3, 0.7), (0, 1)),
    ("string_default", st.uses_string_default, (1.3,), (0,)),
    # 3. assert and print
    ("asserts", st.checked, (0.5, X3), (0, 1)),
    ("assert_in_helper", st.uses_checked_helper, (0.5, 1.2), (0, 1)),
    ("prints", st.printing, (0.5, X3), (0, 1)),
    ("print_in_helper", st.uses_printing_helper, (0.5,), (0,)),
    # 4. loops with else
    ("for_else_breaks", st.for_else, (0.5, np.array([1.0, 2.0, 3.0])), (0,)),
    ("for_else_runs_else", st.for_else, (0.5, np.array([1.0, 1.2, 1.1])), (0,)),
    ("while_else_breaks", st.while_else, (0.5, 2.0), (0,)),
    ("while_else_runs_else", st.while_else, (0.5, 20.0), (0,)),
    ("for_else_without_break", st.for_else_without_break, (0.5, X3), (0, 1)),
    ("for_else_returns_in_else", st.for_else_return, (1.1, np.array([2.0, 1.0])), (0,)),
    ("for_else_breaks_before_return", st.for_else_return, (1.1, np.array([2.0, 3.0])), (0,)),
    ("nested_loops_with_else", st.nested_else, (0.5, np.array([[1.0, 2.0], [3.0, 9.0], [0.1, 0.2]])), (0,)),
    # 5. every path returns
    ("if_elif_else_return_first", st.if_else_both_return, (1.5,), (0,)),
    ("if_elif_else_return_second", st.if_else_both_return, (0.5,), (0,)),
    ("if_elif_else_return_third", st.if_else_both_return, (-0.5,), (0,)),
    ("return_in_loop_taken", st.return_in_loop_and_at_end, (1.0, np.array([0.5, 3.0, 1.0])), (0, 1)),
    ("return_at_end", st.return_in_loop_and_at_end, (0.1, np.array([0.5, 3.0, 1.0])), (0, 1)),
    ("while_true_left_by_return", st.while_true_returns, (2.0,), (0,)),
    ("dead_code_after_return", st.dead_code_after_return, (1.0,), (0,)),
    # 6. function-local imports
    ("local_imports", st.local_imports, (0.5, X3), (0, 1)),
    ("local_imports_in_helper", st.uses_importing_helper, (0.5, 0.3), (0, 1)),
    # 7. functions as arguments, *args forwarding
    ("rk4_rhs_and_tuple_parameter", st.integrate, (X0, (1.2, 0.7), 4), (0,)),
    ("rk4_njit_rhs_and_tuple_written_out", st.integrate_parameters, (X0, 1.2, 0.7, 4), (0, 1, 2)),
    ("rk4_two_systems", st.integrate_two_systems, (X0, 1.2, 0.7), (0, 1, 2)),
    ("function_passed_through_two_helpers", st.integrate_through_two_helpers, (X0, 1.2, 0.7), (0, 1, 2)),
    ("function_default_and_ufuncs", st.function_default_and_ufunc, (0.5, 1.3), (0, 1)),
    ("tuple_argument", st.tuple_argument, (3.0, 2.0), (0, 1)),
    ("star_of_tuple_written_out", st.tuple_star, (3.0, 2.0), (0, 1)),
    ("len_and_unpacking_of_tuple_parameter", st.len_of_tuple, (3.0, 2.0), (0, 1)),
    ("inlined_helper_passed_functions", st.fills_with_functions, (0.7,), (0,)),
    # 8. integers computed from floats
    ("int_of_ceil_as_trip_count", st.integer_steps, (2.37, 0.3), (0, 1)),
    ("int_round_floor_ceil_trunc", st.integers_from_floats, (2.37, 0.3), (0, 1)),
    ("floor_round_ceil_of_arrays", st.integer_arrays_from_floats, (np.array([1.31, 2.77, -0.43]), 0.3), (0, 1)),
]
IDS = [c[0] for c in CASES]
# a few whose second derivatives are also checked compiled (all are checked in plain Python)
COMPILED_HVP = {"keywords_in_loop_and_branch", "rk4_njit_rhs_and_tuple_written_out", "local_imports",
                "for_else_breaks", "none_default", "int_of_ceil_as_trip_count"}


def _copies(args):
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("label, f, args, wrt", CASES, ids=IDS)
def test_gradient_matches_finite_differences(label, f, args, wrt, jit):
    check_grads(f, _copies(args), wrt, rtol=1e-5, jit=jit)


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("label, f, args, wrt", CASES, ids=IDS)
def test_forward_mode_matches_finite_differences_and_reverse_mode(label, f, args, wrt, jit):
    check_jvp(f, _copies(args), wrt, rtol=1e-5, jit=jit)


@pytest.mark.parametrize("label, f, args, wrt", CASES, ids=IDS)
def test_hessian_vector_product_matches_differences_of_the_gradient(label, f, args, wrt):
    check_hvp(f, _copies(args), wrt, jit=False)
    if label in COMPILED_HVP:
        check_hvp(f, _copies(args), wrt, jit=True)


# --------------------------------------------------------------------------- 1. exact values
@pytest.mark.parametrize("jit", [False, True])
def test_keyword_arguments_to_a_helper_are_differentiated(jit):
    """Was (0.0, 0.0): the keywords were ignored by the reverse transform."""
    assert s2sad.grad(st.keywords_only, wrt=(0, 1), jit=jit)(2.0, 3.0) == (3.0, 2.0)
    assert s2sad.value_and_grad(st.keywords_only, wrt=(0, 1), jit=jit)(2.0, 3.0) == (6.0, (3.0, 2.0))
    assert s2sad.jvp(st.keywords_only, (2.0, 3.0), (1.0, 10.0), jit=jit) == (6.0, 23.0)
    value, pullback = s2sad.vjp(st.keywords_only, 2.0, 3.0, jit=jit)
    assert value == 6.0 and pullback(1.0) == (3.0, 2.0)
    assert s2sad.hvp(st.keywords_only, (2.0, 3.0), (1.0, 0.0), jit=jit) == (0.0, 1.0)


@pytest.mark.parametrize("jit", [False, True])
def test_a_tuple_written_out_as_helper_argument_carries_derivatives(jit):
    """Was 0.0 for k in both modes: h(x, (k, 2.0)) passed k inside a tuple."""
    k, x = 3.0, 2.0                      # x * (x * k + 2.0 * k)
    assert s2sad.grad(st.tuple_argument, wrt=(0, 1), jit=jit)(k, x) == (x * (x + 2.0), 2.0 * x * k + 2.0 * k)
    assert s2sad.jvp(st.tuple_argument, (k, x), (1.0, None), jit=jit)[1] == x * (x + 2.0)


# --------------------------------------------------------------------------- 2. defaults of the function
@pytest.mark.parametrize("jit", [False, True])
def test_parameters_left_to_their_defaults(jit):
    f = st.with_defaults                 # f(x, n=10, scale=0.5) = scale * x^2 * 45
    assert s2sad.grad(f, jit=jit)(2.0) == 90.0
    assert s2sad.grad(f, wrt=(0, "scale"), jit=jit)(2.0) == (90.0, 180.0)
    assert s2sad.grad(f, jit=jit)(2.0, n=4) == 12.0
    assert s2sad.jvp(f, (2.0,), (1.0,), jit=jit) == (90.0, 90.0)
    value, pullback = s2sad.vjp(f, 2.0, jit=jit)
    assert value == 90.0 and pullback(1.0) == (90.0,)
    assert s2sad.hvp(f, (2.0,), (1.0,), jit=jit) == (45.0,)
    assert s2sad.hvp(f, (2.0, 4), (1.0, None), jit=jit) == (6.0, None)


def test_show_types_defaults_from_their_values():
    source = s2sad.show(st.with_defaults)
    assert "for i in range(n):" in source            # n guessed an integer from its default, 10


# --------------------------------------------------------------------------- 3. assert and print
CALLS = {
    "grad": lambda f, args, jit: s2sad.grad(f, jit=jit)(*args),
    "jvp": lambda f, args, jit: s2sad.jvp(f, args, (1.0,) + (None,) * (len(args) - 1), jit=jit),
    "vjp": lambda f, args, jit: s2sad.vjp(f, *args, jit=jit)[1](1.0),
    "hvp": lambda f, args, jit: s2sad.hvp(f, args, (1.0,) + (None,) * (len(args) - 1), jit=jit),
}


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("call", list(CALLS))
def test_a_false_assert_raises_as_in_the_primal(call, jit):
    with pytest.raises(AssertionError, match="x must be positive"):
        CALLS[call](st.checked, (-0.5, X3), jit)
    with pytest.raises(AssertionError):
        CALLS[call](st.checked, (0.5, np.array([1.0, -20.0])), jit)      # inside the loop
    with pytest.raises(AssertionError, match="a must be positive"):
        CALLS[call](st.uses_checked_helper, (-5.0, 1.0), jit)             # inside a helper


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("call", list(CALLS))
def test_prints_run_once_per_evaluation_never_in_the_reverse_sweep(call, jit, capfd):
    CALLS[call](st.printing, (0.5, X3), True)          # compile first: Numba's own output is not counted
    capfd.readouterr()
    CALLS[call](st.printing, (0.5, X3), jit)
    CALLS[call](st.uses_printing_helper, (0.5,), jit)
    out = capfd.readouterr().out.split()
    assert (out.count("step"), out.count("done"), out.count("helper")) == (3, 1, 1), out


# --------------------------------------------------------------------------- generated code
def test_generated_code_calls_helpers_positionally():
    source = s2sad.show(st.keywords_only, (0, 1), 2.0, 3.0)
    assert "value = h(x, y)" in source
    # (h_vjp_2 when another test derived h for other argument types first in this process)
    assert re.search(r"h_vjp(_\d+)?\(x, y, value_adj\)", source), source
    assert "a=" not in source.replace("# line 16: return h(a=x, b=y)", "")


def test_generated_code_calls_the_specialised_integrator():
    source = s2sad.show(st.integrate_parameters, (0, 1, 2), X0, 1.2, 0.7, 4)
    assert "x = rk4_rhs_jitted_flat(t, x, a, b, 0.1)" in source
    assert "rk4_rhs_jitted_flat_vjp(t,x,a,b,0.1,x_adj" in _compact(source)
    forward = s2sad.show(st.integrate_parameters, (0, 1, 2), X0, 1.2, 0.7, 4, mode="jvp")
    assert "rk4_rhs_jitted_flat_jvp(t,x,a,b,0.1,x_dot,a_dot,b_dot)" in _compact(forward)


def _compact(source):
    return "".join(source.split())          # long lines are wrapped


def test_generated_code_has_no_imports_and_prints_in_the_forward_sweep_only():
    source = s2sad.show(st.local_imports, 0, 0.5, X3)
    assert "import " not in source
    assert "w[i] = exp(v[i] * x) + sqrt(x) * math.cos(v[i])" in source
    printing = s2sad.show(st.printing, 0, 0.5, X3)
    forward, _, reverse = printing.partition("# reverse sweep")     # (none when every loop is fused)
    assert forward.count("print(") == 2 and "print(" not in reverse
    checked = s2sad.show(st.checked, 0, 0.5, X3)
    forward, _, reverse = checked.partition("# reverse sweep")
    assert forward.count("assert ") == 2 and "assert" not in reverse


def test_generated_code_for_loops_with_else_and_returns_has_no_dead_flags():
    source = s2sad.show(st.for_else, 0, 0.5, np.array([1.0, 2.0, 3.0]))
    assert source.count("broke = False") == 1 and "if not broke:\n        took_if" in source
    newton = s2sad.show(st.while_true_returns, 0, 2.0)
    assert "returned" not in newton and "while not broke:" in newton
    dead = s2sad.show(st.dead_code_after_return, 0, 1.0)
    assert "y = 2.0" not in dead
