"""Unit tests of the tuple-unpacking / chained-assignment lowering (`s2sad.normalize.unpack`)."""
import gast
import numpy as np
import pytest

import s2sad
from s2sad.codegen import render


def fibonacci(x, n):
    a, b = x, 1.0
    for i in range(n):
        a, b = b, a + b
    return a * b


def swap_three(x, y, z):
    x, y, z = z, x * y, y - x
    return x * 100.0 + y * 10.0 + z


def list_display(x, y):
    [p, q] = [y * 2.0, x]
    return p - q


def swap_elements(v, i, j):
    v[i], v[j] = v[j], v[i] * 2.0
    return v[0] * 1.0 + v[1] * 10.0 + v[2] * 100.0


def index_then_store(v, x):
    i, v[i] = 1, x
    return v[0] + v[1] * 10.0 + i


def chained(x):
    a = b = x * 2.0
    a = a * 3.0
    return a + b


def chained_into_array(v, x):
    s = v[0] = v[1] = x * x
    return s + v[0] + v[1] + v[2]


def nested_in_blocks(x, y, n):
    for i in range(n):
        if x > y:
            x, y = y, x
        else:
            x, y = x + y, x * y
        while y > 10.0:
            y, x = y * 0.5, x + 1.0
    return x + y


def chained_target_depends_on_earlier_target(v):
    j = 0
    j = v[j] = 2
    return v[0] + v[2] * 10.0 + j * 100.0


CASES = [
    (fibonacci, [(0.7, 5), (-1.5, 3), (0.1, 0)]),
    (swap_three, [(1.0, 2.0, 3.0), (-0.5, 0.25, 7.0)]),
    (list_display, [(1.0, 2.0), (-3.0, 0.5)]),
    (swap_elements, [(np.array([1.0, 2.0, 3.0]), 0, 2), (np.array([1.0, 2.0, 3.0]), 1, 1)]),
    (index_then_store, [(np.array([1.0, 2.0, 3.0]), 0.7)]),
    (chained, [(0.7,), (-2.0,)]),
    (chained_into_array, [(np.array([1.0, 2.0, 3.0]), 0.7)]),
    (nested_in_blocks, [(0.3, 0.7, 6), (2.0, 1.0, 4), (5.0, 6.0, 3)]),
]


def _assignments(fdef):
    return [n for n in gast.walk(fdef) if isinstance(n, gast.Assign)]


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_every_assignment_has_one_name_or_subscript_target(lower, f, inputs):
    lowered = lower(f, "unpack")
    for node in _assignments(lowered.fdef):
        assert len(node.targets) == 1, render(lowered.fdef)
        assert isinstance(node.targets[0], (gast.Name, gast.Subscript)), render(lowered.fdef)


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_lowered_function_behaves_like_the_original(lower, run_lowered, same_behaviour, f, inputs):
    lowered = lower(f, "unpack")
    same_behaviour(f, run_lowered(lowered.fdef, f), inputs)


def test_right_side_is_evaluated_before_any_target_is_assigned(lower):
    """`a, b = b, a + b` reads the old `a`: temporaries for every value come first."""
    lowered = lower(fibonacci, "unpack")
    loop = lowered.fdef.body[-2]
    assert isinstance(loop, gast.For)
    temps = [s.targets[0].id for s in loop.body[:2]]
    assert [s.targets[0].id for s in loop.body[2:]] == ["a", "b"]
    assert [s.value.id for s in loop.body[2:]] == temps
    assert not {"a", "b"} & set(temps)


def test_temporaries_are_fresh_names(lower):
    lowered = lower(fibonacci, "unpack")
    user_names = {n.id for n in gast.walk(lowered.original) if isinstance(n, gast.Name)}
    new = {n.id for n in gast.walk(lowered.fdef) if isinstance(n, gast.Name)} - user_names
    assert len(new) == 4                      # two per tuple assignment, never reused
    assert all(name.isidentifier() for name in new)


def test_lines_are_kept(lower):
    lowered = lower(swap_three, "unpack")
    first_line = lowered.original.body[0].lineno
    assert {s.lineno for s in lowered.fdef.body[:-1]} == {first_line}


def test_unpacking_a_non_display_is_lowered_or_rejected_with_location(lower, run_lowered, same_behaviour):
    """`n, k = m.shape`: either element-wise indexing of the value, or an UnsupportedError at its line."""
    try:
        lowered = lower(unpack_shape, "unpack")
    except s2sad.UnsupportedError as error:
        assert "test_unpack.py" in str(error)
        assert error.lineno == unpack_shape.__code__.co_firstlineno + 1
        return
    for node in _assignments(lowered.fdef):
        assert len(node.targets) == 1 and isinstance(node.targets[0], (gast.Name, gast.Subscript))
    same_behaviour(unpack_shape, run_lowered(lowered.fdef, unpack_shape), [(np.ones((2, 3)),), (np.ones((4, 1)),)])


def test_unpacking_with_length_mismatch_is_rejected(lower):
    with pytest.raises(s2sad.UnsupportedError) as info:
        lower(unpack_mismatch, "unpack")
    assert info.value.lineno == unpack_mismatch.__code__.co_firstlineno + 1


def unpack_shape(m):
    n, k = m.shape
    return m[0, 0] * n * k


def unpack_mismatch(x):
    a, b = x, x, x
    return a + b


def test_chained_assignment_assigns_targets_left_to_right(lower, run_lowered, same_behaviour):
    """Regression: `j = v[j] = e` was lowered right to left; Python assigns targets left to right."""
    f = chained_target_depends_on_earlier_target
    lowered = lower(f, "unpack")
    same_behaviour(f, run_lowered(lowered.fdef, f), [(np.array([1.0, 2.0, 3.0]),)])
