"""Unit tests of the conditional-expression lowering (`s2sad.normalize.ifexp`)."""
import math

import gast
import numpy as np
import pytest

from s2sad.codegen import render


def simple(x, y):
    z = x * y if x > y else x - y
    return z


def nested_in_branches(x, y):
    z = x * y if x > 0 else (x - y if y > 0 else x * x * y)
    return z + 1.0


def nested_in_test(x, y):
    z = x if (y if x > 0 else -y) > 0.5 else y
    return z


def inside_expression(x, y):
    z = 2.0 * (x if x > y else y) + (y * y if y > 0 else 0.0) * 3.0
    return z


def in_return(x, y):
    return x * y if x > y else x + y


def in_subscript_store(v, x):
    for i in range(v.shape[0]):
        v[i] = v[i] * x if v[i] > 0.0 else -v[i]
        v[i] += 1.0 if i % 2 == 0 else x
    return v[0] + v[1] + v[2]


def in_loops_and_branches(v, x):
    s = 0.0
    for i in range(v.shape[0]):
        if v[i] > x:
            s = s + (v[i] if i > 1 else x)
        k = 0
        while k < 2:
            s = s * (0.5 if s > 1.0 else 1.5)
            k += 1
    return s


def guards_domain(x):
    z = math.log(x) if x > 0.0 else -1.0
    w = math.sqrt(x - 1.0) if x >= 1.0 else 0.0
    return z + w


def in_loop_test(x):
    k = 0
    while (x if x > 0 else -x) > 0.1 and k < 100:
        x = x * 0.5
        k += 1
    if (x if k > 2 else 0.0) > 0.05:
        x = x + 1.0
    return x


CASES = [
    (simple, [(0.7, 0.2), (0.2, 0.7)]),
    (nested_in_branches, [(0.7, 0.2), (-0.7, 0.2), (-0.7, -0.2)]),
    (nested_in_test, [(0.7, 0.2), (-0.7, 0.9), (0.7, 0.9), (-0.7, -0.9)]),
    (inside_expression, [(0.7, 0.2), (0.2, 0.7), (-1.0, -2.0)]),
    (in_return, [(0.7, 0.2), (0.2, 0.7)]),
    (in_subscript_store, [(np.array([0.5, -0.3, 0.2]), 0.7)]),
    (in_loops_and_branches, [(np.array([0.5, -0.3, 0.9, 0.1]), 0.2), (np.array([1.5, 2.0]), -1.0)]),
    (guards_domain, [(2.0,), (0.5,), (-3.0,)]),
    (in_loop_test, [(3.0,), (-0.05,)]),
]


def _value_ifexps(fdef):
    """IfExps left in the values of assignments and returns."""
    found = []
    for node in gast.walk(fdef):
        if isinstance(node, (gast.Assign, gast.AugAssign, gast.Return)) and node.value is not None:
            found += [n for n in gast.walk(node.value) if isinstance(n, gast.IfExp)]
    return found


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_no_conditional_expression_left_in_values(lower, f, inputs):
    lowered = lower(f, "ifexp")
    assert _value_ifexps(lowered.fdef) == [], render(lowered.fdef)


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_lowered_function_behaves_like_the_original(lower, run_lowered, same_behaviour, f, inputs):
    lowered = lower(f, "ifexp")
    same_behaviour(f, run_lowered(lowered.fdef, f), inputs)


def test_simple_becomes_if_statement_before_the_assignment(lower):
    lowered = lower(simple, "ifexp")
    branch, assignment = lowered.fdef.body[0], lowered.fdef.body[1]
    assert isinstance(branch, gast.If)
    assert gast.dump(branch.test) == gast.dump(lowered.original.body[0].value.test)
    (then,), (other,) = branch.body, branch.orelse
    temp = then.targets[0].id
    assert other.targets[0].id == temp
    assert isinstance(assignment, gast.Assign) and assignment.value.id == temp
    assert temp not in {"x", "y", "z"}
    assert branch.lineno == assignment.lineno == lowered.original.body[0].lineno


def test_nested_branches_are_evaluated_only_when_taken(lower):
    """The inner conditional of the else-branch is lowered inside that branch."""
    lowered = lower(nested_in_branches, "ifexp")
    outer = lowered.fdef.body[0]
    assert isinstance(outer, gast.If)
    assert not any(isinstance(s, gast.If) for s in outer.body)
    assert any(isinstance(s, gast.If) for s in outer.orelse)


def test_tests_of_if_and_while_keep_their_conditional_expressions(lower):
    lowered = lower(in_loop_test, "ifexp")
    tests = [n.test for n in gast.walk(lowered.fdef) if isinstance(n, (gast.If, gast.While))]
    assert all(any(isinstance(m, gast.IfExp) for m in gast.walk(t)) for t in tests)


def test_each_conditional_gets_its_own_temporary(lower):
    lowered = lower(inside_expression, "ifexp")
    branches = [s for s in lowered.fdef.body if isinstance(s, gast.If)]
    temps = {s.body[0].targets[0].id for s in branches}
    assert len(branches) == 2 and len(temps) == 2


def test_domain_guard_is_respected(lower, run_lowered):
    """`log(x) if x > 0 else ...` must not evaluate log(x) for x <= 0 after lowering."""
    lowered = run_lowered(lower(guards_domain, "ifexp").fdef, guards_domain)
    assert lowered(-3.0) == -1.0
