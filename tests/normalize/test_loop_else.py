"""Unit tests of `s2sad.normalize.loop_else`: a loop's `else:` runs when it ends without `break`."""
import numpy as np

from s2sad.codegen import render


def search(x, v):
    s = x
    for i in range(v.shape[0]):
        if v[i] * s > 3.0:
            break
        s = s * v[i] + x
    else:
        s = s * 2.0
    return s


def while_else(x, limit):
    s = x
    k = 0
    while k < 5:
        s = s * 1.5
        if s > limit:
            break
        k += 1
    else:
        s = s - x * x
    return s


def no_break(x, v):
    s = 0.0
    for e in v:
        s = s + e * x
    else:
        s = s * s
    return s


def nested(x, m):
    s = x
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j] * s > 4.0:
                break
            s = s + m[i, j] * x
        else:
            s = s * 1.1
            continue
        s = s - x
    else:
        s = s * x
    return s


def returns_in_else(x, v):
    s = x
    for i in range(v.shape[0]):
        s = s * v[i]
        if s > 5.0:
            break
    else:
        return s * s
    return s + x


def lines(fdef):
    return render(fdef).strip().splitlines()[1:]


def test_else_runs_unless_the_loop_broke(lower, run_lowered, same_behaviour):
    lowered = lower(search, "iteration", "loop_else", "returns", "loop_exits")
    assert lines(lowered.fdef) == [
        "    s = x",
        "    broke = False",
        "    for i in range(v.shape[0]):",
        "        if not broke:",
        "            if v[i] * s > 3.0:",
        "                broke = True",
        "            if not broke:",
        "                s = s * v[i] + x",
        "    if not broke:",
        "        s = s * 2.0",
        "    return s",
    ]
    same_behaviour(search, run_lowered(lowered.fdef, search),
                   [(0.5, np.array([1.0, 2.0, 3.0])), (0.5, np.array([1.0, 1.2, 1.1])), (0.5, np.array([]))])


def test_while_else_shares_the_break_flag(lower, run_lowered, same_behaviour):
    lowered = lower(while_else, "iteration", "loop_else", "returns", "loop_exits", "augassign")
    text = lines(lowered.fdef)
    assert text[2:4] == ["    broke = False", "    while not broke and k < 5:"]
    assert text[-3:] == ["    if not broke:", "        s = s - x * x", "    return s"]
    assert sum("broke = False" in line for line in text) == 1        # one flag for the loop and its else
    same_behaviour(while_else, run_lowered(lowered.fdef, while_else), [(0.5, 2.0), (0.5, 20.0)])


def test_without_break_the_else_block_follows_the_loop(lower):
    lowered = lower(no_break, "iteration", "loop_else")
    assert lines(lowered.fdef) == [
        "    s = 0.0",
        "    for index in range(v.shape[0]):",
        "        e = v[index]",
        "        s = s + e * x",
        "    s = s * s",
        "    return s",
    ]


def test_nested_loops_and_else_with_continue_or_return(lower, run_lowered, same_behaviour):
    m = np.array([[1.0, 2.0], [3.0, 9.0], [0.1, 0.2]])
    for func, args in ((nested, [(0.5, m), (0.1, m), (2.0, m)]),
                       (returns_in_else, [(1.1, np.array([2.0, 3.0])), (1.1, np.array([2.0, 1.0]))])):
        lowered = lower(func, "iteration", "loop_else", "returns", "loop_exits")
        assert "else" not in "".join(line for line in lines(lowered.fdef) if "for " in line or "while " in line)
        same_behaviour(func, run_lowered(lowered.fdef, func), args)
