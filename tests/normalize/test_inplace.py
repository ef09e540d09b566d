"""Unit tests of the in-place update lowering (`s2sad.normalize.inplace`), run after types."""
import numpy as np

from s2sad.codegen import render
from s2sad.naming import Namer, all_names
from s2sad.normalize import normalize
from s2sad.normalize.inplace import lower_inplace_updates
from s2sad.parsing import parse_function
from s2sad.resolve import Resolver
from s2sad.types import FLOAT, Array, infer_types


def updates(x, p):
    a = x.copy()
    s = p
    a += p
    a -= 0.5 * x
    a *= p
    s += p
    s *= 2.0
    return np.sum(a) + s


def lowered(func, arg_types):
    fdef, location = parse_function(func)
    namer = Namer(all_names(fdef) | {"np", "math"} | set(func.__globals__))
    resolver = Resolver(func, fdef, location)
    normalize(fdef, location, namer, resolver)
    types = infer_types(fdef.body, resolver, arg_types)
    fdef.body = lower_inplace_updates(fdef.body, types, namer)
    return render(fdef), fdef


def test_array_updates_become_whole_array_stores_and_scalars_stay_rebindings():
    text, _ = lowered(updates, {"x": Array(1, "f"), "p": FLOAT})
    assert "a[:] += p" in text
    assert "a[:] -= half_times_x" in text
    assert "a_updated = a * p" in text and "a[:] = a_updated" in text
    assert "s = s + p" in text and "s = s * 2.0" in text
    assert "a = a" not in text


def test_lowered_updates_keep_in_place_semantics():
    """Run the lowered code: it computes what the original computes."""
    text, fdef = lowered(updates, {"x": Array(1, "f"), "p": FLOAT})
    namespace = {"np": np}
    exec(text, namespace)
    x = np.array([0.5, -1.0, 2.0])
    assert namespace["updates"](x.copy(), 0.3) == updates(x.copy(), 0.3)


def test_scalar_arguments_leave_the_body_unchanged():
    text, _ = lowered(updates, {"x": FLOAT, "p": FLOAT})
    assert "[:]" not in text
