"""Unit tests of the every-path-returns analysis of `s2sad.normalize.returns` (`fall_off`,
`ends_with_return`) and of the lowering of early returns."""
import math

import pytest

from s2sad.codegen import render
from s2sad.normalize.returns import fall_off
from s2sad.parsing import parse_function


def if_else(x):
    if x > 1.0:
        return x * x
    elif x > 0.0:
        return math.sin(x)
    else:
        return -x


def loop_then_return(x, v):
    for i in range(v.shape[0]):
        if v[i] * x > 2.0:
            return v[i] * x * x
    return x


def while_true(a):
    x = a
    while True:
        x = 0.5 * (x + a / x)
        if abs(x * x - a) < 1e-12:
            return x


def loop_else_returns(x, v):
    for i in range(v.shape[0]):
        x = x * v[i]
    else:
        return x


def return_then_dead_code(x):
    return x
    x = 2.0


@pytest.mark.parametrize("func", [if_else, loop_then_return, while_true, loop_else_returns,
                                  return_then_dead_code])
def test_functions_whose_every_path_returns(func):
    fdef, _ = parse_function(func)
    assert fall_off(fdef.body, fdef) is None


def no_else(x):
    if x > 1.0:
        return x


def after_loop(x):
    for i in range(3):
        if x > 1.0:
            return x
        x = x * 2.0


def in_else(x):
    if x > 1.0:
        return x
    else:
        x = x * 2.0


def while_true_that_breaks(x):
    while True:
        x = x * 2.0
        if x > 1.0:
            break
        if x < -1.0:
            return x


def else_after_break(x, v):
    for i in range(v.shape[0]):
        if v[i] > x:
            break
    else:
        return x


@pytest.mark.parametrize("func, marker, words", [
    (no_else, "if x > 1.0", "when `if x > 1.0:` is false"),
    (after_loop, "for i in range(3)", "when this loop ends"),
    (in_else, "x = x * 2.0", "after this statement"),
    (while_true_that_breaks, "while True", "when this loop ends"),
    (else_after_break, "for i in range", "when this loop ends"),
])
def test_where_a_path_falls_off_the_end(func, marker, words):
    fdef, location = parse_function(func)
    node, what = fall_off(fdef.body, fdef)
    assert marker in location.text_of_line(node.lineno)
    assert words in what


def test_a_flag_nothing_reads_is_not_set(lower, run_lowered, same_behaviour):
    lowered = lower(while_true, "returns", "loop_exits")
    text = render(lowered.fdef)
    assert "returned" not in text
    assert "while not broke:" in text
    same_behaviour(while_true, run_lowered(lowered.fdef, while_true), [(2.0,), (9.0,)])
