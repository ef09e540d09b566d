"""Unit tests of the three-address (A-normal form) lowering (`s2sad.normalize.anf`).

The functions are first put through the lowerings that precede ANF (augassign, unpack,
ifexp), as `s2sad.normalize.normalize` does.
"""
import math

import gast
import numpy as np
import pytest

import s2sad
from s2sad.codegen import render
from s2sad.normalize import normalize

PRE = ("augassign", "unpack", "ifexp")
SCALE = 1.5


def arithmetic(x, y):
    z = (x + y) * (x - y) / (1.0 + x * x) - -x + (+y) ** 2
    return z * SCALE + math.pi


def calls(x, y):
    z = np.sin(np.cos(x) * y) + math.atan2(y, x * x) + max(x, y * 2.0)
    return np.exp(-z)


def arrays(v, m, x):
    n = v.shape[0]
    s = 0.0
    for i in range(n - 1):
        s = s + v[i + 1] * m[i, n - 1 - i] - v[-1] * x
        m[i, i + 1] = v[i] * x + s
        m[i + 1, i] += s * 2.0
        v[i] -= m[i, i] * 0.5
    return s + m[0, 1] + v[0]


def attributes_and_methods(v, x):
    w = v.copy()
    w[0] = w[0] * x + v.size + v.T[0]
    return w[0] + w.shape[0]


def booleans(x, y):
    flag = x > y and y > 0.0 or not x < 0.0
    s = 0.0
    if flag and (x * x > y + 1.0):
        s = x * y
    while s > 1.0 and not flag:
        s = s * 0.5
    return s + x


def allocation(v, n):
    a = np.zeros(n)
    b = np.zeros((n, 2))
    for i in range(n):
        a[i] = v[i % v.shape[0]] * 2.0
        b[i, 0] = a[i] + 1.0
    return a[n - 1] + b[n - 1, 0]


def repeated_subexpression(v, x):
    i = 1
    s = np.sin(x * 2.0) * np.sin(x * 2.0) + v[i + 1] * v[i + 1]
    v[i + 1] = v[i + 1] * v[i + 1] + x
    return s + v[i + 1]


def normalised_chain(x, n):
    a, b = x, 2.0 * x
    s = 0.0
    for i in range(n):
        s += (a * b if a > 0 else -a * b) ** 2
        a, b = b, a - b * 0.5
    return s


CASES = [
    (arithmetic, [(0.7, 0.2), (-1.3, 2.0)]),
    (calls, [(0.7, 0.2), (-1.3, 2.0)]),
    (arrays, [(np.array([0.5, -0.3, 0.2, 0.9]), np.arange(16.0).reshape(4, 4), 0.7)]),
    (attributes_and_methods, [(np.array([0.5, -0.3, 0.2]), 0.7)]),
    (booleans, [(0.7, 0.2), (-0.7, 0.2), (3.0, 1.0), (0.3, 0.9)]),
    (allocation, [(np.array([0.5, -0.3, 0.2]), 5)]),
    (repeated_subexpression, [(np.array([0.5, -0.3, 0.2]), 0.7)]),
    (normalised_chain, [(0.7, 4), (-0.4, 3)]),
]


class ShapeChecker:
    """Asserts the statement forms promised by the docstring of `s2sad.normalize.anf`."""

    def __init__(self, resolver):
        self.resolver = resolver

    def atom(self, e):
        negative_literal = isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub) and \
            isinstance(e.operand, gast.Constant)
        return negative_literal or isinstance(e, (gast.Name, gast.Constant)) or self.resolver.is_global_ref(e)

    def index(self, e):
        parts = e.elts if isinstance(e, gast.Tuple) else [e]
        for p in parts:
            if isinstance(p, gast.Slice):
                if not all(b is None or self.atom(b) for b in (p.lower, p.upper, p.step)):
                    return False
            elif not self.atom(p):
                return False
        return True

    def subscript(self, e):
        return isinstance(e, gast.Subscript) and isinstance(e.value, gast.Name) and self.index(e.slice)

    def argument(self, e):
        if isinstance(e, gast.Tuple):
            return all(self.atom(x) for x in e.elts)
        return self.atom(e)

    def one_operation(self, e):
        if self.atom(e) or isinstance(e, (gast.Compare, gast.BoolOp)):
            return True
        if isinstance(e, gast.UnaryOp):
            return isinstance(e.op, gast.Not) or (isinstance(e.op, gast.USub) and self.atom(e.operand))
        if isinstance(e, gast.BinOp):
            return self.atom(e.left) and self.atom(e.right)
        if isinstance(e, gast.Call):
            callee_ok = self.resolver.is_global_ref(e.func) or (
                isinstance(e.func, gast.Attribute) and isinstance(e.func.value, gast.Name))
            return callee_ok and all(self.argument(a) for a in e.args) and \
                all(self.argument(k.value) for k in e.keywords)
        if isinstance(e, gast.Subscript):
            return self.subscript(e)
        if isinstance(e, gast.Attribute):
            return isinstance(e.value, gast.Name)
        return False

    def check(self, body):
        for stmt in body:
            if isinstance(stmt, (gast.If, gast.While)):
                self.check(stmt.body)
                self.check(stmt.orelse)
            elif isinstance(stmt, gast.For):
                self.check(stmt.body)
            elif isinstance(stmt, gast.Assign):
                assert len(stmt.targets) == 1
                target = stmt.targets[0]
                if isinstance(target, gast.Name):
                    assert self.one_operation(stmt.value), gast.dump(stmt)
                else:
                    assert self.subscript(target) and self.atom(stmt.value), gast.dump(stmt)
            elif isinstance(stmt, gast.AugAssign):
                assert isinstance(stmt.op, (gast.Add, gast.Sub)), gast.dump(stmt)
                assert self.subscript(stmt.target) and self.atom(stmt.value), gast.dump(stmt)
            elif isinstance(stmt, gast.Return):
                assert self.atom(stmt.value), gast.dump(stmt)
            else:
                raise AssertionError(f"unexpected statement {gast.dump(stmt)}")


def _assigned_names(fdef):
    counts = {}
    for node in gast.walk(fdef):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
    return counts


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_every_statement_is_one_operation_on_atoms(lower, f, inputs):
    lowered = lower(f, *PRE, "anf")
    ShapeChecker(lowered.resolver).check(lowered.fdef.body)


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_lowered_function_behaves_like_the_original(lower, run_lowered, same_behaviour, f, inputs):
    lowered = lower(f, *PRE, "anf")
    same_behaviour(f, run_lowered(lowered.fdef, f), inputs)


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_temporaries_are_assigned_exactly_once(lower, f, inputs):
    before = lower(f, *PRE)
    after = lower(f, *PRE, "anf")
    old = _assigned_names(before.fdef)
    new = {n: c for n, c in _assigned_names(after.fdef).items() if n not in old}
    params = {a.id for a in after.fdef.args.args}
    assert new, "ANF introduced no temporaries"
    assert all(c == 1 for c in new.values()), new
    assert not (set(new) & params)
    assert all(n.isidentifier() for n in new)


def test_tests_and_range_arguments_are_left_as_written(lower):
    before = lower(booleans, *PRE)
    after = lower(booleans, *PRE, "anf")
    tests = lambda fdef: [gast.dump(n.test) for n in gast.walk(fdef) if isinstance(n, (gast.If, gast.While))]  # noqa
    assert tests(after.fdef) == tests(before.fdef)
    before = lower(arrays, *PRE)
    after = lower(arrays, *PRE, "anf")
    iters = lambda fdef: [gast.dump(n.iter) for n in gast.walk(fdef) if isinstance(n, gast.For)]  # noqa
    assert iters(after.fdef) == iters(before.fdef)


def test_global_references_are_atoms(lower):
    """`np.sin`, `math.pi` and module constants are referenced directly, never copied to a temporary."""
    after = lower(arithmetic, *PRE, "anf")
    text = render(after.fdef)
    assert "math.pi" in text and "SCALE" in text
    after = lower(calls, *PRE, "anf")
    calls_ = [n for n in gast.walk(after.fdef) if isinstance(n, gast.Call)]
    assert {render_callee(c) for c in calls_} >= {"np.sin", "np.cos", "math.atan2", "max", "np.exp"}


def render_callee(call):
    func = call.func
    parts = []
    while isinstance(func, gast.Attribute):
        parts.append(func.attr)
        func = func.value
    parts.append(func.id)
    return ".".join(reversed(parts))


def test_temporary_names_are_readable(lower):
    after = lower(arrays, *PRE, "anf")
    names = set(_assigned_names(after.fdef))
    assert any(n.startswith("v_") for n in names)
    assert all(len(n) <= 40 for n in names)


def test_equal_subexpressions_of_one_statement_are_computed_once(lower, run_lowered, same_behaviour):
    after = lower(repeated_subexpression, *PRE, "anf")
    sines = [n for n in gast.walk(after.fdef) if isinstance(n, gast.Call) and render_callee(n) == "np.sin"]
    assert len(sines) == 1


def test_unsupported_expression_names_file_and_line(lower):
    with pytest.raises(s2sad.UnsupportedError) as info:
        lower(calls_a_local, *PRE, "anf")
    assert "test_anf.py" in str(info.value)
    assert info.value.lineno == calls_a_local.__code__.co_firstlineno + 2


def calls_a_local(x, v):
    f = v
    y = f(x) * 2.0
    return y


def test_full_normalize_pipeline_preserves_behaviour(lower, run_lowered, same_behaviour):
    for f, inputs in CASES:
        lowered = lower(f)
        normalize(lowered.fdef, lowered.location, lowered.namer, lowered.resolver)
        same_behaviour(f, run_lowered(lowered.fdef, f), inputs)
        ShapeChecker(lowered.resolver).check(lowered.fdef.body)
