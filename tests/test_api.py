"""The public API: grad / value_and_grad / show / stop_gradient, and their calling conventions."""
import math

import numba
import numpy as np
import pytest

import s2sad
from s2sad.testing import numerical_grad


# --------------------------------------------------------------------------- functions under test
def energy(x, k):
    s = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1] - x[i]
        if d > 0.0:
            s += k * d * d
        else:
            s += 0.5 * k * d * d * d * d
    return s


def scalar_fn(x, y):
    return x * x * y + math.sin(y)


@s2sad.grad
def bare_decorated(x, y):
    return x * x * y + math.sin(y)


@s2sad.grad(wrt="k")
def named_decorated(x, k):
    return x * k * k


@s2sad.value_and_grad(wrt=(0, "y"), jit=False)
def value_and_grad_decorated(x, y):
    return x * x * y


@numba.njit
def jitted_primal(x, y):
    s = 0.0
    for i in range(3):
        s = s + x * np.sin(y * i)
    return s


def matrix_fn(a, x):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s = s + a[i, j] * a[i, j] * x * (i + 1)
    return s


def row_count(x, a):
    return x * a.shape[0]


def reads_array(v, x):
    s = 0.0
    for i in range(v.shape[0]):
        s = s + v[i] * v[i] * x
    return s


def writes_array(v, x):
    for i in range(v.shape[0]):
        v[i] = v[i] * x + 1.0
    s = 0.0
    for i in range(v.shape[0]):
        s = s + v[i] * v[i]
    return s


def stopped_product(x, y):
    return s2sad.stop_gradient(x * y) * x + y


def stopped_alone(x, y):
    z = s2sad.stop_gradient(x)
    return z + y


def stopped_result(x, y):
    return s2sad.stop_gradient(x * y)


def stopped_in_loop(v, x):
    s = 0.0
    for i in range(v.shape[0]):
        s = s + s2sad.stop_gradient(v[i] * x) * v[i]
    return s


V = np.array([0.1, 0.5, 0.2, 0.9, 0.3])


# --------------------------------------------------------------------------- decorator and call forms
def test_bare_decorator():
    g = bare_decorated(0.7, 0.3)
    assert g == pytest.approx(2 * 0.7 * 0.3, rel=1e-14)
    assert bare_decorated.__name__ == "bare_decorated"


def test_call_form_matches_bare_decorator():
    assert s2sad.grad(scalar_fn)(0.7, 0.3) == bare_decorated(0.7, 0.3)
    assert s2sad.grad(scalar_fn, 1, False)(0.7, 0.3) == pytest.approx(0.49 + math.cos(0.3), rel=1e-14)


def test_decorator_with_named_wrt():
    assert named_decorated(0.7, 0.3) == pytest.approx(2 * 0.7 * 0.3, rel=1e-14)


def test_wrt_by_name_equals_wrt_by_position():
    by_name = s2sad.grad(scalar_fn, wrt="y", jit=False)(0.7, 0.3)
    by_position = s2sad.grad(scalar_fn, wrt=1, jit=False)(0.7, 0.3)
    assert by_name == by_position


def test_tuple_wrt_returns_tuple_in_the_order_asked():
    g = s2sad.grad(scalar_fn, wrt=("y", 0), jit=False)(0.7, 0.3)
    assert isinstance(g, tuple) and len(g) == 2
    assert g[0] == pytest.approx(0.49 + math.cos(0.3), rel=1e-14)
    assert g[1] == pytest.approx(2 * 0.7 * 0.3, rel=1e-14)


def test_one_element_tuple_wrt_returns_one_element_tuple():
    g = s2sad.grad(scalar_fn, wrt=(0,), jit=False)(0.7, 0.3)
    assert isinstance(g, tuple) and len(g) == 1


def test_list_wrt_behaves_like_tuple():
    assert s2sad.grad(scalar_fn, wrt=[0, 1], jit=False)(0.7, 0.3) == \
        s2sad.grad(scalar_fn, wrt=(0, 1), jit=False)(0.7, 0.3)


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_scalar_wrt_returns_python_float(jit):
    g = s2sad.grad(scalar_fn, wrt=(0, 1), jit=jit)(0.7, 0.3)
    assert all(type(x) is float for x in g)
    assert type(s2sad.grad(energy, wrt=1, jit=jit)(V.copy(), 3.0)) is float


def test_float_wrt_given_numpy_scalar_returns_python_float():
    g = s2sad.grad(scalar_fn, jit=False)(np.float64(0.7), 0.3)
    assert type(g) is float


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_array_wrt_returns_array_of_same_shape(jit):
    g = s2sad.grad(energy, jit=jit)(V.copy(), 3.0)
    assert isinstance(g, np.ndarray) and g.shape == V.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, numerical_grad(energy, (V, 3.0), 0), rtol=1e-6, atol=1e-9)
    a = np.arange(6.0).reshape(2, 3) * 0.1
    ga = s2sad.grad(matrix_fn, jit=False)(a.copy(), 0.7)
    assert ga.shape == (2, 3)
    np.testing.assert_allclose(ga, numerical_grad(matrix_fn, (a, 0.7), 0), rtol=1e-6)


def test_gradient_arrays_are_fresh_on_every_call():
    g = s2sad.grad(energy, jit=False)
    first = g(V.copy(), 3.0)
    kept = first.copy()
    second = g(V.copy(), 5.0)
    assert first is not second
    np.testing.assert_array_equal(first, kept)


# --------------------------------------------------------------------------- value_and_grad
@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_value_and_grad(jit):
    value, g = s2sad.value_and_grad(energy, jit=jit)(V.copy(), 3.0)
    assert type(value) is float
    assert value == energy(V.copy(), 3.0)
    np.testing.assert_array_equal(g, s2sad.grad(energy, jit=jit)(V.copy(), 3.0))


def test_value_and_grad_decorator_with_tuple_wrt():
    value, (gx, gy) = value_and_grad_decorated(0.7, 0.3)
    assert value == 0.7 * 0.7 * 0.3
    assert gx == pytest.approx(2 * 0.7 * 0.3) and gy == pytest.approx(0.49)


def test_value_of_function_that_modifies_its_input():
    v = V.copy()
    value, g = s2sad.value_and_grad(writes_array, wrt=(0, 1), jit=False)(v, 0.7)
    assert value == writes_array(V.copy(), 0.7)


# --------------------------------------------------------------------------- generated source
def test_source_before_any_call_is_valid_python():
    g = s2sad.grad(energy)
    src = g.source
    compile(src, "x", "exec")
    assert "def energy_grad" in src or "energy" in src


def test_source_after_a_call_is_valid_python_and_is_what_runs():
    g = s2sad.grad(energy, jit=False)
    g(V.copy(), 3.0)
    src = g.source
    compile(src, "x", "exec")
    assert "def " in src and "for " in src


def test_show_prints_and_returns_valid_python(capsys):
    text = s2sad.show(energy, 0, V.copy(), 3.0)
    printed = capsys.readouterr().out
    assert text.strip() in printed
    compile(text, "x", "exec")


def test_show_without_example_arguments(capsys):
    text = s2sad.show(scalar_fn, (0, 1))
    compile(text, "x", "exec")
    assert capsys.readouterr().out.strip() == text.strip()


def test_show_accepts_a_gradient_function(capsys):
    text = s2sad.show(s2sad.grad(energy, jit=False))
    compile(text, "x", "exec")


def test_generated_function_runs_as_plain_python():
    """`.source` is the code that runs: exec it with the runtime helpers and call it directly."""
    from s2sad import runtime
    g = s2sad.grad(scalar_fn, wrt=(0, 1), jit=False)
    expected = g(0.7, 0.3)
    namespace = dict(scalar_fn.__globals__)
    namespace.update(runtime.PYTHON)
    before = set(namespace)
    exec(compile(g.source, "generated", "exec"), namespace)
    (name,) = [k for k in set(namespace) - before if k.startswith("scalar_fn")]
    value, gx, gy = namespace[name](0.7, 0.3, 1.0)
    assert value == scalar_fn(0.7, 0.3)
    assert (gx, gy) == expected


# --------------------------------------------------------------------------- numba primal
def test_grad_of_numba_njit_function():
    g = s2sad.grad(jitted_primal, wrt=(0, 1))(0.7, 0.3)
    assert g[0] == pytest.approx(numerical_grad(jitted_primal.py_func, (0.7, 0.3), 0), rel=1e-6)
    assert g[1] == pytest.approx(numerical_grad(jitted_primal.py_func, (0.7, 0.3), 1), rel=1e-6)
    value, _ = s2sad.value_and_grad(jitted_primal, jit=False)(0.7, 0.3)
    assert value == pytest.approx(jitted_primal(0.7, 0.3), rel=1e-15)


# --------------------------------------------------------------------------- specialisations
def test_same_argument_types_reuse_one_specialization():
    g = s2sad.grad(reads_array, wrt=(0, 1), jit=True)
    first = g(V.copy(), 0.7)
    second = g(np.linspace(0.0, 1.0, 11), 1.3)
    third = g(V.copy(), 0.7)
    assert len(g.specializations) == 1
    np.testing.assert_array_equal(first[0], third[0])
    assert second[0].shape == (11,)


def test_different_array_ranks_create_another_specialization():
    g = s2sad.grad(row_count, jit=False)
    assert g(1.0, np.ones(3)) == 3.0
    assert len(g.specializations) == 1
    assert g(1.0, np.ones((4, 2))) == 4.0
    assert len(g.specializations) == 2
    assert g(2.0, np.ones(5)) == 5.0
    assert len(g.specializations) == 2


def test_int_and_float_arguments_are_different_specializations():
    g = s2sad.grad(scalar_fn, wrt=0, jit=False)
    g(0.7, 0.3)
    g(0.7, 2)
    assert len(g.specializations) == 2
    assert g(0.7, 2) == pytest.approx(2 * 0.7 * 2)


# --------------------------------------------------------------------------- inputs left alone
@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_input_arrays_are_not_modified(jit):
    v = V.copy()
    s2sad.grad(reads_array, wrt=(0, 1), jit=jit)(v, 0.7)
    np.testing.assert_array_equal(v, V)
    s2sad.value_and_grad(energy, jit=jit)(v, 3.0)
    np.testing.assert_array_equal(v, V)


def test_inputs_change_only_as_the_function_itself_changes_them():
    v = V.copy()
    expected = V.copy()
    writes_array(expected, 0.7)
    s2sad.grad(writes_array, wrt=(0, 1), jit=False)(v, 0.7)
    np.testing.assert_array_equal(v, expected)


def test_gradient_of_function_that_modifies_its_input_is_correct():
    g = s2sad.grad(writes_array, wrt=(0, 1), jit=False)(V.copy(), 0.7)
    np.testing.assert_allclose(g[0], numerical_grad(writes_array, (V, 0.7), 0), rtol=1e-6)
    assert g[1] == pytest.approx(numerical_grad(writes_array, (V, 0.7), 1), rel=1e-6)


# --------------------------------------------------------------------------- stop_gradient
def test_stop_gradient_is_the_identity_on_values():
    assert s2sad.stop_gradient(0.7) == 0.7
    np.testing.assert_array_equal(s2sad.stop_gradient(V), V)


def test_stop_gradient_of_the_result_gives_zero_gradient():
    assert s2sad.grad(stopped_result, wrt=(0, 1), jit=False)(0.7, 0.3) == (0.0, 0.0)


def test_stop_gradient_alone_cuts_the_derivative():
    """Regression: stop_gradient's result had no inferred type (silent zeros, later UnsupportedError)."""
    value, g = s2sad.value_and_grad(stopped_alone, wrt=(0, 1), jit=False)(0.7, 0.3)
    assert value == pytest.approx(1.0)
    assert g == (0.0, 1.0)


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_stop_gradient_cuts_the_derivative_inside_expressions(jit):
    gx, gy = s2sad.grad(stopped_product, wrt=(0, 1), jit=jit)(0.7, 0.3)
    assert gx == pytest.approx(0.7 * 0.3, rel=1e-14)      # d/dx [c * x + y] with c = x*y held fixed
    assert gy == 1.0


def test_stop_gradient_in_a_loop():
    g = s2sad.grad(stopped_in_loop, wrt=(0, 1), jit=False)(V.copy(), 0.7)
    np.testing.assert_allclose(g[0], V * 0.7, rtol=1e-14)   # only the unstopped factor v[i]
    assert g[1] == 0.0


def test_show_forward_mode(capsys):
    text = s2sad.show(energy, (0, 1), V.copy(), 3.0, mode="jvp")
    assert "_dot" in text and "tape" not in text
    compile(text, "x", "exec")
    with pytest.raises(s2sad.S2SADError, match="mode"):
        s2sad.show(energy, 0, mode="hessian")


def test_cache_key_of_library_functions_is_the_same_in_every_process():
    # NumPy ufuncs and math functions were keyed by id(): every process compiled anew
    from s2sad.cache import _fingerprint
    import math as _math
    assert str(id(np.sin)).encode() not in _fingerprint(np.sin)
    assert str(id(_math.exp)).encode() not in _fingerprint(_math.exp)


# --------------------------------------------------------------------------- calling conventions of a warm call
def with_default(x, scale=2.0):
    return scale * x * x


def test_keyword_and_default_arguments_of_the_differentiated_function():
    g = s2sad.grad(with_default)
    assert g(3.0) == pytest.approx(12.0)                 # default filled in
    assert g(3.0, 0.5) == pytest.approx(3.0)             # positional
    assert g(3.0, scale=0.5) == pytest.approx(3.0)       # keyword
    assert g(x=3.0) == pytest.approx(12.0)
    with pytest.raises(s2sad.S2SADError, match="takes 2 argument"):
        g(1.0, 2.0, 3.0)


def test_numpy_and_python_scalars_share_the_generated_code():
    g = s2sad.grad(scalar_fn, wrt=0)
    assert g(0.7, 0.3) == pytest.approx(g(np.float64(0.7), np.float64(0.3)))
    assert len({id(s.func) for s in g.specializations.values()}) == 1


# --------------------------------------------------------------------------- calling the gradient from Numba
def test_as_numba_is_callable_from_the_users_njit_code():
    g = s2sad.grad(energy)
    g_numba = g.as_numba(V.copy(), 3.0)

    @numba.njit
    def descend(x, k, steps, rate):
        for _ in range(steps):
            x = x - rate * g_numba(x, k)
        return x

    x = V.copy()
    expected = x.copy()
    for _ in range(5):
        expected = expected - 0.01 * g(expected, 3.0)
    np.testing.assert_allclose(descend(x, 3.0, 5, 0.01), expected, rtol=1e-13)


def test_as_numba_of_value_and_grad_with_tuple_wrt_has_the_same_layout():
    g = s2sad.value_and_grad(reads_array, wrt=(0, 1))
    entry = g.as_numba(V.copy(), 0.7)
    value, (gx, gs) = entry(V.copy(), 0.7)
    expected_value, (ex, es) = g(V.copy(), 0.7)
    assert value == pytest.approx(expected_value)
    np.testing.assert_allclose(gx, ex, rtol=1e-14)
    assert gs == pytest.approx(es)


def test_as_numba_needs_jit():
    with pytest.raises(s2sad.S2SADError, match="jit=True"):
        s2sad.grad(scalar_fn, jit=False).as_numba(0.7, 0.3)


# --------------------------------------------------------------------------- gradient buffers reused when released
def test_a_released_gradient_buffer_is_reused_and_a_held_one_never_is():
    g = s2sad.grad(reads_array, wrt=0)
    v = np.linspace(0.0, 1.0, 10_000)
    first = g(v, 0.7)
    expected = first.copy()
    second = g(v, 0.7)
    assert second is not first                    # `first` is still held: a new buffer
    np.testing.assert_array_equal(first, expected)
    address = second.__array_interface__["data"][0]
    del second
    third = g(v, 0.7)                            # released: its memory is reused, zeroed first
    assert third.__array_interface__["data"][0] == address
    np.testing.assert_array_equal(third, expected)
    view = third[:10]
    fourth = g(v, 0.7)                           # a view still refers to it: not reused
    assert fourth.__array_interface__["data"][0] != third.__array_interface__["data"][0]
    np.testing.assert_array_equal(view, expected[:10])
