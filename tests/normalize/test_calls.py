"""Unit tests of the call binding (`s2sad.normalize.calls`) and the specialised helper copies
it makes (`s2sad.normalize.specialize`)."""
import math

import gast
import numba
import numpy as np
import pytest

from s2sad import UnsupportedError
from s2sad.codegen import render, src
from s2sad.helpers import jit_primal
from s2sad.normalize.specialize import numba_primal, specialize
from s2sad.parsing import SPECIALIZED_FDEF, parse_function
from s2sad.types import FLOAT, TupleType


def h(a, b):
    return a * b


def h3(a, b, c=0.5, d=(1.0, 2.0), e=None, f=True, g="square", k=-2):
    return a * b * c


def calls(x, y):
    return h(a=x, b=y) + h(x, b=y) + h(b=y, a=x) + h(x, y)


def defaults(x, y):
    return h3(x, y) + h3(x, y, d=(x, y), c=2.0)


def star(x, p):
    return h(*p) + h(x, *(p[0],)) + h(*(x, y_of(x)))


def y_of(x):
    return x * 2.0


@numba.njit
def jitted(a, b=3.0):
    return a * b


def numba_call(x):
    return jitted(x) + jitted(b=x, a=1.0)


def not_helpers(x, v):
    return np.sum(v, axis=0) * x + math.pow(x, 2.0) + max(x, 1.0)


def statement(func):
    return src(func.body[0].value)


def test_keywords_become_positions(lower):
    fdef = lower(calls, "calls").fdef
    assert statement(fdef) == "h(x, y) + h(x, y) + h(x, y) + h(x, y)"


def test_defaults_are_filled_in_as_literals(lower):
    lowered = lower(defaults, "calls")
    text = statement(lowered.fdef)
    # the tuple default (1.0, 2.0), the tuple written out and None specialise h3 (see below)
    assert text.startswith("h3_no_e_flat(x, y, 0.5, 1.0, 2.0, True, 'square', -2) + ")
    assert text.endswith("(x, y, 2.0, x, y, True, 'square', -2)")
    assert set(lowered.resolver.extra) == {"h3_no_e_flat"}


def test_star_arguments_of_a_tuple_parameter_are_expanded(lower):
    fdef = lower(star, "calls", arg_types={"x": FLOAT, "p": TupleType((FLOAT, FLOAT))}).fdef
    assert statement(fdef) == "h(p[0], p[1]) + h(x, p[0]) + h(x, y_of(x))"


def test_numba_helpers_are_bound_like_plain_ones(lower):
    fdef = lower(numba_call, "calls").fdef
    assert statement(fdef) == "jitted(x, 3.0) + jitted(1.0, x)"


def test_calls_of_numpy_and_builtins_keep_their_keywords(lower):
    fdef = lower(not_helpers, "calls").fdef
    assert statement(fdef) == "np.sum(v, axis=0) * x + math.pow(x, 2.0) + max(x, 1.0)"


def test_bound_calls_behave_the_same(lower, run_lowered, same_behaviour):
    for func, args in ((calls, [(2.0, 3.0)]), (defaults, [(1.5, 0.5)]), (numba_call, [(0.3,)])):
        lowered = lower(func, "calls")
        same_behaviour(func, run_lowered(lowered.fdef, func, lowered.resolver.extra), args)


# --------------------------------------------------------------------------- functions and tuples
def rhs(t, x, a, b):
    return a * x - b * t


def euler(f, t, x, p, dt):
    return x + dt * f(t, x, *p)


def pass_function(x, a, b):
    return euler(rhs, 0.0, x, (a, b), 0.1) + euler(f=rhs, t=0.1, x=x, p=(b, a), dt=0.2)


def pass_ufunc(x):
    return euler(rhs, 0.0, x, (np.sin(x), 1.0), 0.1) * twice(np.cos, x)


def twice(f, x):
    return f(f(x))


def test_a_function_argument_specialises_the_helper(lower, run_lowered, same_behaviour):
    lowered = lower(pass_function, "calls")
    assert statement(lowered.fdef) == "euler_rhs_flat(0.0, x, a, b, 0.1) + euler_rhs_flat(0.1, x, b, a, 0.2)"
    spec = lowered.resolver.extra["euler_rhs_flat"]
    fdef, location = getattr(spec, SPECIALIZED_FDEF)
    # the function is called by its global name, the tuple's elements are parameters
    assert [a.id for a in fdef.args.args] == ["t", "x", "p_0", "p_1", "dt"]
    assert src(fdef.body[0]) == "return x + dt * rhs(t, x, p_0, p_1)"
    assert location.filename == parse_function(euler)[1].filename
    assert fdef.body[0].lineno == parse_function(euler)[0].body[0].lineno     # the helper's own lines
    assert spec(0.0, 1.5, 2.0, 0.5, 0.1) == euler(rhs, 0.0, 1.5, (2.0, 0.5), 0.1)
    same_behaviour(pass_function, run_lowered(lowered.fdef, pass_function, lowered.resolver.extra),
                   [(1.5, 2.0, 0.5)])


def test_ufuncs_can_be_passed_too(lower, run_lowered, same_behaviour):
    lowered = lower(pass_ufunc, "calls")
    assert statement(lowered.fdef) == "euler_rhs_flat(0.0, x, np.sin(x), 1.0, 0.1) * twice_cos(x)"
    fdef, _ = getattr(lowered.resolver.extra["twice_cos"], SPECIALIZED_FDEF)
    assert src(fdef.body[0]) == "return f(f(x))"        # np.cos bound to the parameter's name
    assert lowered.resolver.extra["twice_cos"].__globals__["f"] is np.cos
    same_behaviour(pass_ufunc, run_lowered(lowered.fdef, pass_ufunc, lowered.resolver.extra), [(0.7,)])


def test_specialisations_are_made_once():
    a = specialize(euler, {"f": ("function", rhs), "p": ("tuple", 2)})
    b = specialize(euler, {"p": ("tuple", 2), "f": ("function", rhs)})
    c = specialize(euler, {"f": ("function", np.sin), "p": ("tuple", 2)})
    assert a is b and a is not c and a.__name__ != c.__name__


def pair(x, p):
    return x * p[0] + p[1] * p[-2] + len(p)


def unpacks(x, p):
    a, b = p
    return pair(x, p) + a * b


def test_tuple_parameters_are_flattened():
    spec = specialize(unpacks, {"p": ("tuple", 2)})
    fdef, _ = getattr(spec, SPECIALIZED_FDEF)
    assert src(fdef.body[0]) == "a, b = (p_0, p_1)"
    assert src(fdef.body[1]) == "return pair_flat(x, p_0, p_1) + a * b"   # passed on: specialised too
    inner, _ = getattr(spec.__globals__["pair_flat"], SPECIALIZED_FDEF)
    assert src(inner.body[0]) == "return x * p_0 + p_1 * p_0 + 2"
    assert spec(1.5, 2.0, 3.0) == unpacks(1.5, (2.0, 3.0))


def weighted(x, w=None):
    if w is None:
        return x * x
    return w * x * x


def test_none_arguments_decide_their_branches():
    spec = specialize(weighted, {"w": ("none", None)})
    fdef, _ = getattr(spec, SPECIALIZED_FDEF)
    assert [a.id for a in fdef.args.args] == ["x"]
    assert render(fdef).strip().splitlines()[1:] == ["    return x * x"]


def local_import(x):
    from math import exp
    import numpy
    return exp(x) * numpy.cos(x)


def passes_function(x):
    return twice(np.sin, x)


def test_numba_compiles_copies_without_imports_or_function_arguments():
    copy_ = numba_primal(local_import)
    assert copy_ is not local_import and copy_.__name__ == "local_import"
    assert jit_primal(local_import)(0.3) == pytest.approx(local_import(0.3), rel=1e-15)
    bound = numba_primal(passes_function)
    assert "twice_sin" in bound.__globals__
    assert jit_primal(passes_function)(0.3) == pytest.approx(passes_function(0.3), rel=1e-15)
    assert numba_primal(h) is h                       # nothing to change: the function itself


# --------------------------------------------------------------------------- errors
def unknown_keyword(x):
    return h(x, c=2.0)


def too_many(x):
    return h(x, 1.0, 2.0)


def twice_given(x):
    return h(x, a=2.0)


def missing(x):
    return h(b=x)


def double_star(x, d):
    return h(x, **d)


def star_of_unknown_length(x, v):
    return h(*v)


WEIGHTS = np.ones(3)


def array_default(a, w=WEIGHTS):
    return a * w[0]


def uses_array_default(x):
    return array_default(x)


def varargs(a, *rest):
    return a


def uses_varargs(x):
    return varargs(x, 2.0)


def assigns_function(f, x):
    f = np.sin
    return f(x)


def uses_assigns_function(x):
    return assigns_function(np.cos, x)


@pytest.mark.parametrize("func, construct, words", [
    (unknown_keyword, "call", "h has no parameter 'c'"),
    (too_many, "call", "h takes 2 argument(s), the call passes 3"),
    (twice_given, "call", "two values for its parameter 'a'"),
    (missing, "call", "no value for its parameter 'a'"),
    (double_star, "call", "`**` arguments"),
    (star_of_unknown_length, "star-argument", "cannot expand `*v`"),
    (uses_array_default, "default argument", "parameter 'w' of array_default is an array of shape (3,)"),
    (uses_varargs, "call", "varargs has *args"),
    (uses_assigns_function, "parameter", "assigns_function assigns its parameter 'f'"),
])
def test_bad_calls_are_unsupported_with_location(lower, func, construct, words):
    with pytest.raises(UnsupportedError) as info:
        lower(func, "calls", arg_types={})
    error = info.value
    assert error.construct == construct
    assert words in str(error)
    assert error.filename.endswith(".py") and error.lineno is not None
