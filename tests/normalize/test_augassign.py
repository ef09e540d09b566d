"""Unit tests of the augmented-assignment lowering (`s2sad.normalize.augassign`)."""
import gast
import numpy as np
import pytest

from s2sad.codegen import render
from s2sad.normalize.augassign import lower_augassign


def scalar_ops(x, y):
    s = x
    s += y
    s -= 0.5 * x
    s *= y
    s /= 1.5
    s **= 2
    t = s
    t //= 0.3
    t %= 0.7
    return s + t


def subscript_ops(v, x):
    v[0] += x
    v[1] -= x * 2.0
    v[2] *= x
    v[3] /= x
    v[0] **= 2
    return v[0] + v[1] + v[2] + v[3]


def two_d(m, x):
    m[0, 1] += x
    m[1, 0] -= x
    m[1, 1] *= x
    return m[0, 1] * m[1, 0] + m[1, 1]


def nested_blocks(v, x, n):
    s = x
    for i in range(n):
        if v[i] > 0.0:
            s *= v[i]
            v[i] += s
        else:
            s -= v[i]
            v[i] *= 0.5
        k = 0
        while k < 2:
            s /= 1.1
            k += 1
    return s


def index_expression(v, x):
    for i in range(v.shape[0] - 1):
        v[i + 1] *= x
        v[i + 1] += v[i]
    return v[v.shape[0] - 1]


def _aug_assigns(fdef):
    return [n for n in gast.walk(fdef) if isinstance(n, gast.AugAssign)]


CASES = [
    (scalar_ops, [(0.7, 1.3), (-1.1, 0.4), (2.0, -0.3)]),
    (subscript_ops, [(np.array([1.0, 2.0, 3.0, 4.0]), 0.7), (np.array([-1.0, 0.5, 3.0, 4.0]), -1.3)]),
    (two_d, [(np.arange(4.0).reshape(2, 2), 0.7), (np.ones((2, 2)), -2.0)]),
    (nested_blocks, [(np.array([0.5, -0.2, 0.3]), 0.7, 3), (np.array([-0.5, 0.2]), 1.3, 2)]),
    (index_expression, [(np.array([0.5, -0.2, 0.3]), 0.7), (np.arange(5.0), -1.0)]),
]


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_only_subscript_plus_and_minus_remain(lower, f, inputs):
    lowered = lower(f, "augassign")
    for node in _aug_assigns(lowered.fdef):
        assert isinstance(node.target, gast.Subscript), render(lowered.fdef)
        assert isinstance(node.op, (gast.Add, gast.Sub)), render(lowered.fdef)


@pytest.mark.parametrize("f, inputs", CASES, ids=[c[0].__name__ for c in CASES])
def test_lowered_function_behaves_like_the_original(lower, run_lowered, same_behaviour, f, inputs):
    lowered = lower(f, "augassign")
    same_behaviour(f, run_lowered(lowered.fdef, f), inputs)


def test_scalar_augassign_becomes_binop_assignment(lower):
    lowered = lower(scalar_ops, "augassign")
    assert _aug_assigns(lowered.fdef) == []
    ops = [type(s.value.op) for s in lowered.fdef.body
           if isinstance(s, gast.Assign) and isinstance(s.value, gast.BinOp)]
    assert ops == [gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow, gast.FloorDiv, gast.Mod]
    second = lowered.fdef.body[1]
    assert isinstance(second, gast.Assign)
    assert second.targets[0].id == "s" and isinstance(second.targets[0].ctx, gast.Store)
    assert second.value.left.id == "s" and isinstance(second.value.left.ctx, gast.Load)


def test_subscript_accumulations_are_kept(lower):
    lowered = lower(subscript_ops, "augassign")
    kept = _aug_assigns(lowered.fdef)
    assert [type(n.op) for n in kept] == [gast.Add, gast.Sub]
    lowered_stores = [s for s in lowered.fdef.body if isinstance(s, gast.Assign)]
    assert len(lowered_stores) == 3       # *=, /=, **= on subscripts become v[i] = v[i] op e
    for s in lowered_stores:
        target, read = s.targets[0], s.value.left
        assert isinstance(target, gast.Subscript) and isinstance(read, gast.Subscript)
        assert isinstance(target.ctx, gast.Store) and isinstance(read.ctx, gast.Load)
        assert gast.dump(target.slice) == gast.dump(read.slice)
        assert read is not target


def test_right_hand_side_is_grouped(lower):
    """`s -= a - b` must become `s = s - (a - b)`, not `s = s - a - b`."""
    lowered = lower(scalar_ops, "augassign")
    third = lowered.fdef.body[2]
    assert isinstance(third.value, gast.BinOp) and isinstance(third.value.op, gast.Sub)
    assert isinstance(third.value.right, gast.BinOp)


def test_line_numbers_and_origins_are_kept(lower):
    lowered = lower(scalar_ops, "augassign")
    original_lines = [s.lineno for s in lowered.original.body]
    assert [s.lineno for s in lowered.fdef.body] == original_lines
    tagged = lower(scalar_ops)
    for k, s in enumerate(tagged.fdef.body):
        s.s2sad_origin = k
    body = lower_augassign(tagged.fdef.body)
    assert [getattr(s, "s2sad_origin", None) for s in body] == list(range(len(body)))


def test_lowering_recurses_into_loops_and_branches(lower):
    lowered = lower(nested_blocks, "augassign")
    remaining = _aug_assigns(lowered.fdef)
    assert len(remaining) == 1 and isinstance(remaining[0].target, gast.Subscript)


def test_lowering_is_idempotent(lower):
    lowered = lower(nested_blocks, "augassign")
    once = render(lowered.fdef)
    lowered.fdef.body = lower_augassign(lowered.fdef.body)
    assert render(lowered.fdef) == once
