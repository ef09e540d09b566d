"""Forward mode (jvp), vector-Jacobian products (vjp) and Hessian-vector products (hvp).

Every function the reverse-mode tests differentiate is also run in forward mode: the JVP
along a random tangent against a central difference, and the dot-product test
<J u, v> = <u, J^T v> against the VJP (`s2sad.testing.check_jvp`). HVPs are checked against
a central difference of the reverse-mode gradient (`check_hvp`).
"""
import math
import re

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_hvp, check_jvp
from tests import test_control_flow, test_exits, test_helpers, test_templates, test_vectorised
from tests.programs import products as prog
from tests.programs import scientific as sci

rng = np.random.default_rng(11)


def _cases():
    cases = []
    for p in test_templates.DIRECT + test_templates.LOOP:
        f, args, wrt = p.values
        cases.append(pytest.param(f, args, wrt, id=f"template-{p.id}"))
    for module in (test_vectorised, test_helpers, test_exits):
        for label, f, args, wrt in module.CASES:
            cases.append(pytest.param(f, args, wrt, id=f"{module.__name__.split('_', 1)[1]}-{label}"))
    for f, args, wrt in test_control_flow.AGREEMENT:
        cases.append(pytest.param(f, args, wrt, id=f"control_flow-{f.__name__}"))
    return cases


CASES = _cases()


@pytest.mark.parametrize("f, args, wrt", CASES)
def test_jvp_matches_finite_differences_and_reverse_mode(f, args, wrt):
    check_jvp(f, args, wrt, rtol=1e-5, jit=False)


COMPILED = [
    pytest.param(sci.heat_equation, (np.sin(np.linspace(0.0, np.pi, 10)), 0.2, 12), (0, 1), id="heat_equation"),
    pytest.param(sci.lennard_jones, (np.array([[0.0, 0.0, 0.0], [1.1, 0.1, 0.0], [0.2, 1.2, 0.1]]), 1.0, 1.5),
                 (0, 1, 2), id="lennard_jones"),
    pytest.param(sci.rk4_pendulum, (np.array([0.5, 0.1]), np.array([9.81, 0.3, 0.5]), 0.01, 30), (0, 1, 2),
                 id="rk4_pendulum"),
    pytest.param(sci.mlp_loss, (0.5 * rng.standard_normal((5, 8)), 0.1 * rng.standard_normal(8),
                                0.5 * rng.standard_normal((8, 3)), 0.1 * rng.standard_normal(3),
                                rng.standard_normal((6, 5)), rng.integers(0, 3, size=6)), (0, 1, 2, 3), id="mlp_loss"),
    pytest.param(sci.newton_cube_root, (5.0, 1e-13), 0, id="newton_cube_root"),
    pytest.param(prog.euler_trajectory, (0.8, 1.3, 0.1), (0, 1, 2), id="array_result"),
    pytest.param(prog.stencil, (rng.random(7), 0.3), (0, 1), id="array_result_slices"),
    pytest.param(prog.polar_pair, (1.3, 0.4), (0, 1), id="tuple_result"),
    pytest.param(prog.double_buffer, (rng.random(6), 0.2), (0, 1), id="double_buffer_swap"),
    pytest.param(prog.quartic, (rng.standard_normal(6), 0.6), (0, 1), id="quartic_helper"),
    pytest.param(prog.counts, (rng.random(4), 9), 0, id="integer_argument"),
]


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
@pytest.mark.parametrize("f, args, wrt", COMPILED)
def test_jvp_and_vjp_of_programs(f, args, wrt, jit):
    check_jvp(f, args, wrt, rtol=1e-5, jit=jit)


def test_jit_and_python_forward_mode_agree():
    args = (np.array([0.5, 0.1]), np.array([9.81, 0.3, 0.5]), 0.01, 30)
    tangents = (np.array([1.0, -0.5]), np.array([0.1, 0.2, 0.3]), 1.0, None)
    compiled = s2sad.jvp(sci.rk4_pendulum, args, tangents, jit=True)
    python = s2sad.jvp(sci.rk4_pendulum, args, tangents, jit=False)
    assert compiled[0] == pytest.approx(python[0], rel=1e-13)
    assert compiled[1] == pytest.approx(python[1], rel=1e-12)


HESSIAN = [
    pytest.param(prog.quartic, (rng.standard_normal(6), 0.6), (0, 1), id="quartic_helper"),
    pytest.param(prog.rosenbrock, (rng.standard_normal(7),), 0, id="rosenbrock"),
    pytest.param(sci.lennard_jones, (np.array([[0.0, 0.0, 0.0], [1.1, 0.1, 0.0], [0.2, 1.2, 0.1]]), 1.0, 1.5),
                 (0, 1), id="lennard_jones"),
    pytest.param(sci.heat_equation, (np.sin(np.linspace(0.0, np.pi, 8)), 0.2, 6), (0, 1), id="heat_equation"),
]


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
@pytest.mark.parametrize("f, args, wrt", HESSIAN)
def test_hvp_matches_differences_of_the_gradient(f, args, wrt, jit):
    check_hvp(f, args, wrt, jit=jit)


def test_hvp_equals_hand_derived_hessian_times_vector():
    x = np.array([0.3, -1.2, 0.8, 1.1, -0.4])
    hessian = prog.rosenbrock_hessian(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e[k] = 1.0
        (column,) = s2sad.hvp(prog.rosenbrock, (x,), (e,))
        np.testing.assert_allclose(column, hessian[:, k], rtol=1e-12, atol=1e-10)


def test_stop_gradient_cuts_the_tangent():
    x = np.array([0.5, -1.0, 2.0])
    u = np.array([1.0, 0.3, -0.2])
    _, tangent = s2sad.jvp(prog.with_stop_gradient, (x, 2.0), (u, None))
    assert tangent == pytest.approx(np.sum(u * x) * 2.0)      # d/dx of x * const(x) is const(x)


def test_stop_gradient_cuts_second_derivatives_too():
    """f = k * sum(x * c) with c = stop_gradient(x): every derivative treats c as a constant (as
    JAX's hvp does), so H v = (w * c, sum(v * c)) along (v, w), not the differences of grad f."""
    x = np.array([0.5, -1.0, 2.0])
    v, w = np.array([1.0, 0.3, -0.2]), 0.7
    hx, hk = s2sad.hvp(prog.with_stop_gradient, (x, 1.3), (v, w))
    np.testing.assert_allclose(hx, w * x, rtol=1e-14)
    assert hk == pytest.approx(np.sum(v * x), rel=1e-14)


def test_jvp_of_array_result_has_the_result_shape_and_leaves_tangents_alone():
    u = np.linspace(0.0, 1.0, 6)
    tangent_in = np.ones(6)
    value, tangent = s2sad.jvp(prog.stencil, (u, 0.3), (tangent_in, 0.0))
    assert value.shape == tangent.shape == (6,)
    np.testing.assert_array_equal(tangent_in, np.ones(6))
    np.testing.assert_allclose(value, prog.stencil(u, 0.3))


@pytest.mark.parametrize("product", [s2sad.jvp, s2sad.hvp])
def test_tangents_are_not_modified_by_code_that_stores_into_its_argument(product):
    u = np.linspace(0.1, 1.0, 7)
    v = np.linspace(-1.0, 1.0, 7)
    before = v.copy()
    product(test_control_flow.heat_in_place, (u.copy(), 0.2, 3), (v, None, None))
    np.testing.assert_array_equal(v, before)


def test_vjp_of_tuple_result_takes_a_tuple_cotangent():
    value, pullback = s2sad.vjp(prog.polar_pair, 2.0, 0.5)
    assert value == pytest.approx((2.0 * math.cos(0.5), 2.0 * math.sin(0.5)))
    dr, dtheta = pullback((1.0, 0.0))
    assert dr == pytest.approx(math.cos(0.5)) and dtheta == pytest.approx(-2.0 * math.sin(0.5))
    with pytest.raises(s2sad.S2SADError, match="tuple"):
        pullback(1.0)


def test_vjp_returns_none_for_integer_arguments_and_checks_the_cotangent_shape():
    x = np.array([0.2, 0.4, 0.6])
    _, pullback = s2sad.vjp(prog.counts, x, 5)
    gx, gn = pullback(1.0)
    assert gn is None
    np.testing.assert_allclose(gx, s2sad.grad(prog.counts)(x, 5))
    _, pullback = s2sad.vjp(prog.stencil, x, 0.3)
    with pytest.raises(s2sad.S2SADError, match="shape"):
        pullback(np.ones(4))


def test_vjp_differentiates_at_the_point_given_even_if_f_stores_into_it():
    u = np.linspace(0.1, 1.0, 7)
    before = u.copy()
    _, pullback = s2sad.vjp(test_control_flow.heat_in_place, u, 0.2, 3)
    first = pullback(1.0)
    second = pullback(1.0)
    np.testing.assert_array_equal(u, before)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_allclose(first[0], s2sad.grad(test_control_flow.heat_in_place)(before.copy(), 0.2, 3))


@pytest.mark.parametrize("call, message", [
    (lambda: s2sad.jvp(prog.counts, (np.ones(3), 4), (None, None)), "at least one"),
    (lambda: s2sad.jvp(prog.counts, (np.ones(3), 4), (np.ones(3),)), "one entry per primal"),
    (lambda: s2sad.jvp(prog.counts, (np.ones(3), 4), (np.ones(2), None)), "shape"),
    (lambda: s2sad.jvp(prog.counts, (np.ones(3), 4), (None, 1.0)), "integer"),
    (lambda: s2sad.jvp(prog.counts, (np.ones(3),), (None,)), "takes 2 argument"),
    (lambda: s2sad.hvp(prog.stencil, (np.ones(3), 0.1), (np.ones(3), None)), "scalar result"),
])
def test_bad_calls_raise_clear_errors(call, message):
    with pytest.raises(s2sad.S2SADError, match=message):
        call()


@pytest.mark.parametrize("f", [prog.alias_store_then_read, prog.view_store_then_read])
def test_stores_through_an_alias_are_rejected_in_both_modes(f):
    x = np.array([0.3, 0.5, 0.7])
    with pytest.raises(s2sad.UnsupportedError, match=r"products.py:\d+: aliasing: .* shares memory"):
        s2sad.grad(f)(x, 2.0)
    with pytest.raises(s2sad.UnsupportedError, match="aliasing"):
        s2sad.jvp(f, (x, 2.0), (np.ones(3), None))


def test_generated_forward_code_reads_like_the_primal():
    source = s2sad.transform.derive_tangent(
        prog.euler_trajectory, ["y0", "k"], {"y0": s2sad.types.FLOAT, "k": s2sad.types.FLOAT,
                                            "dt": s2sad.types.FLOAT}).source
    assert re.search(r"def euler_trajectory_jvp(_\d+)?\(y0, k, dt, y0_dot, k_dot\):", source)
    assert "# line" in source and "out_dot[i] = y_dot" in source
    assert "tape" not in source                       # forward mode keeps no tape
    assert "return out, out_dot" in source
