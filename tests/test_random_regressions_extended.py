"""Programs the extended random-program generator (tests/random_programs_extended.py) found failing.

Each test holds a reduced program inline and checks it exactly as the property test does
(`random_programs.check_program`: gradient w.r.t. x and p with jit=False against central
differences, jit=True against jit=False, value against the primal, input unmodified).

Open bugs are marked xfail(strict=True, reason="BUG: ..."): when one is fixed the test XPASSes
and fails; then drop its mark and the matching entry of KNOWN_BUGS in
test_random_programs_extended.py.
"""
import numpy as np
import pytest

from random_programs import check_program

X4 = [0.3, -0.2, 0.5, 0.1]
X5 = [0.32870804957149025, -0.5525118869667113, -1.1016635425531327, -1.16033367473153, 0.7518485740806538]


def check(source, x=X4, p=0.4):
    check_program(source, np.array(x, dtype=np.float64), p, jit=True)


# ---------------------------------------------------------------------------------------------
# Found against commit 0d8c109 and fixed by 821e4c6 ("Snapshot arrays read whole and overwritten
# in place later; type np.outer; distinct names for several derivatives of one helper") while this
# generator was being written; kept so they stay fixed. The bug each one showed:
#   test_whole_array_read_then_element_store / _slice_store: the adjoint of a whole-array read of
#     `a` (a * a, np.sin(a), np.dot(a, x)) used `a` after a later store a[0] = ... into it;
#   test_helper_called_with_different_active_arguments / test_scalar_helper_...: two derivatives
#     of one helper under one name h0_vjp (ValueError: setting an array element with a sequence;
#     TypeError: h0_vjp() takes 3 positional arguments but 5 were given);
#   test_outer_*: the result of np.outer not typed as 2-D (wrong gradients, y_adj = 0.0 then a
#     Numba CompilationError, TypeError: only 0-dimensional arrays can be converted ..., and
#     UnsupportedError "cannot tell what `m_matmul_x @ x` computes" for (m @ x) @ x).

# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_whole_array_read_then_element_store():
    check("""\
import numpy as np


def f(x, p):
    a = x.copy()
    s = np.sum(a * a)
    a[0] = 0.0
    return s
""")


# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_whole_array_read_then_slice_store():
    check("""\
import numpy as np


def f(x, p):
    a = np.sin(x) * p
    b = a * x
    a[1:-1] = 0.0
    return np.sum(b) + np.sum(a)
""", x=X5, p=0.99)


# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_helper_called_with_different_active_arguments():
    check("""\
import numpy as np


def h0(v, b):
    return np.sum(v) * b


def f(x, p):
    return h0(x, p) + h0(x, 1.5)
""")


OUTER = (  # the bug these showed
    "BUG: the result of np.outer(a, b) is not typed as a 2-D array: whatever is derived "
         "from it (np.sum(m, axis=0), m @ x, row stores m[0, :] = ...) gets scalar adjoints; the same "
         "programs with m = np.expand_dims(a, 1) * np.expand_dims(b, 0) pass")


# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_outer_axis_sum_used_as_array():
    check("""\
import numpy as np


def f(x, p):
    m = np.outer(x, x)
    v = np.sum(m, axis=0)
    return np.sum(v * x) * p
""")


# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_outer_matvec_then_loop():
    check("""\
import numpy as np


def f(x, p):
    m = np.outer(x, x)
    y = m @ x
    for i in range(2):
        p = p * 0.5
    return np.sum(y) * p
""")


# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_outer_row_augmented_store():
    check("""\
import numpy as np


def f(x, p):
    m = np.outer(x, x)
    m[0, :] += p
    return np.sum(np.tanh(m))
""")


# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_outer_row_store():
    check("""\
import numpy as np


def f(x, p):
    m = np.outer(x, x)
    m[0, :] = 0.5 * m[0, :]
    return np.sum(np.tanh(m)) * p
""")


def test_expand_dims_outer_product_row_store_and_matvec():
    # the same constructs on a 2-D local built by broadcasting: these pass
    check("""\
import numpy as np


def f(x, p):
    m = np.expand_dims(x, 1) * np.expand_dims(x, 0)
    m[0, :] += p
    v = np.sum(m, axis=0)
    y = m @ x
    for i in range(2):
        p = p * 0.5
    return np.sum(v * x) * p + np.sum(y) + np.sum(np.tanh(m))
""")


# (m @ x) @ x with m = np.outer(x, x) raises UnsupportedError ("type: cannot tell what
# `m_matmul_x @ x` computes"): part of the np.outer bug; with a broadcast m it works
def test_nested_matmul():
    check("""\
import numpy as np


def f(x, p):
    m = np.expand_dims(x, 1) * np.expand_dims(x, 0)
    return (m @ x) @ x * p
""")


def test_return_in_while_reading_array_defined_in_loop():
    # was: the adjoint of `y` was initialised from `y` at the start of the reverse sweep, but the
    # loop that assigns `y` may not have run (UnboundLocalError); now it starts where `y` does
    check("""\
import numpy as np


def f(x, p):
    s = p
    k = 0
    while k < 2 and p > 5.0:
        k += 1
        y = np.sin(x)
        if y[0] > 0.0:
            return s + np.sum(y)
    return s
""", p=0.75)


# FIXED (found against 0d8c109, fixed by 821e4c6): see the comment above
def test_scalar_helper_called_with_different_active_arguments():
    check("""\
import math

import numpy as np


def h0(a, b):
    t0 = math.sin(a * b)
    for i in range(3):
        t0 = 0.5 * t0 + 0.3 * math.sin(a * t0)
    return t0 + a * b


def f(x, p):
    return h0(p, p) + h0(x[0], 0.3)
""")


def test_helper_with_two_tuple_returns():
    # the adjoint of the helper's `result` tuple was reset to 0.0 after each of its two
    # definitions: Numba could not unify a tuple with a float (CompilationError)
    check("""\
import math

import numpy as np


def h1(v, b):
    w1 = np.sin(v * b)
    if v[0] > 0.0:
        return 0.3 * np.sum(np.sin(v)), 0.5 * w1 + 0.1 * v
    return 0.2 * np.sum(np.cos(v)), 0.5 * w1 - 0.1 * v


def f(x, p):
    s5, y6 = h1(x, p)
    return s5 + np.dot(y6, y6)
""", x=[0.3123584, -1.15627755, 0.25054933, 1.01822582], p=-0.341447455331479)


def test_slice_store_then_rebinding_the_array():
    # `a` is stored into (a[1:-1] = ...) and then rebound (a = a + ...): the reverse sweep
    # recomputed the first definition of `a`, i.e. its contents before the store: a silent
    # wrong gradient (0.5 % off). Now the contents read are snapshotted.
    check("""\
import numpy as np


def f(x, p):
    a = np.sin(x) * p
    a[1:-1] = 0.5 * (a[:-2] + a[2:])
    a = a + 0.1 * np.tanh(a * p)
    return p + 0.3 * np.sum(np.sin(a))
""", x=[0.32870805, -0.55251189, -1.10166354, -1.16033367], p=0.7518485740806538)


def test_tuple_helper_seed_with_unused_array_element_1():
    # found by the extended generator at 8fe1c4f: the zeros standing for the adjoint of an
    # unused array element of `s, y = h(...)` read the tuple temporary, which the forward sweep
    # never assigns (NameError); the seed now recomputes the call's result when needed
    check('import math\n\nimport numba\nimport numpy as np\n\nimport s2sad\n\n\n@numba.njit\ndef h0(v, b):\n    n = v.shape[0]\n    w0 = np.zeros(n)\n    for i in range(n):\n        w0[i] = math.sin(v[i] * b)\n        if v[i] > 0.0:\n            break\n    if v[0] > 0.0:\n        return 0.3 * np.sum(np.sin(v)), 0.5 * w0 + 0.1 * v\n    return 0.3 * np.sum(w0[::2]), 0.5 * w0 + 0.1 * v\n\n\n@numba.njit\ndef h1(v, b):\n    n = v.shape[0]\n    w1 = np.sin(v + v)\n    return 0.3 * np.sum(np.sin(v))\n\n\n@numba.njit\ndef h2(v, b):\n    n = v.shape[0]\n    w2 = np.sin(v / (2.0 + np.sin(v)))\n    return v @ w2 + h1(w2, b)\n\n\ndef f(x, p):\n    n = x.shape[0]\n    a = np.zeros(n)\n    mask = x < 0.3\n    s3 = p\n    c0 = n - 2\n    s4 = s2sad.stop_gradient(c0 * 1.0) * 0.1\n    s5, y6 = h0(a, x[1])\n    k7 = 0\n    while (not ((x[0] + p) <= 0.3)) and k7 < n - 1:\n        k7 = k7 + 1\n        s5 = 0.5 * s5 + 0.3 * math.tanh(h2(x, s4))\n        for i in range(0, n, 2):\n            y6 = 0.5 * y6 + 0.3 * ((np.sin(a)) / (1.0 + (np.sin(a)) * (np.sin(a))))\n        a = 0.5 * a + 0.3 * np.tanh(a * a)\n    s3 = math.tanh(s3 + math.sqrt(1.0 + math.cos(s4 * s5) * math.cos(s4 * s5)))\n    return s3 + np.min(np.tanh(a) * np.tanh(a))\n', x=[-0.84699919, -0.52176624, -1.17203324, -0.22514733, -1.09052746, -0.46353457], p=-1.1522992532171772)


def test_tuple_helper_seed_with_unused_array_element_2():
    # found by the extended generator at 8fe1c4f: the zeros standing for the adjoint of an
    # unused array element of `s, y = h(...)` read the tuple temporary, which the forward sweep
    # never assigns (NameError); the seed now recomputes the call's result when needed
    check('import math\n\nimport numba\nimport numpy as np\n\n\n@numba.njit\ndef h0(v, b):\n    n = v.shape[0]\n    w0 = np.zeros(n)\n    for i in range(n):\n        w0[i] = math.sin(v[i] * b)\n        if v[i] > 0.0:\n            break\n    if v[0] > 0.0:\n        return 0.3 * np.sum(np.sin(v)), 0.5 * w0 + 0.1 * v\n    return 0.3 * np.sum(w0[::2]), 0.5 * w0 + 0.1 * v\n\n\n@numba.njit\ndef h1(v, b):\n    n = v.shape[0]\n    w1 = np.sin(v + v)\n    return 0.3 * np.sum(np.sin(v))\n\n\n@numba.njit\ndef h2(v, b):\n    n = v.shape[0]\n    w2 = np.sin(np.log(1.0 + np.sin(v) * np.sin(v)))\n    if v[0] > 0.0:\n        return 0.3 * np.sum(np.sin(v)) + h1(w2, b)\n    return 0.3 * np.sum(np.sin(v)) + h1(w2, b)\n\n\ndef f(x, p):\n    n = x.shape[0]\n    m = np.expand_dims(x, 1) * np.expand_dims(x[:3], 0)\n    labels = np.array([0, 0, 0, 0, 0, 0])\n    s3 = 0.0\n    s4 = 0.0\n    for i in range(n):\n        s4 += m[i, labels[i]] * p\n    if not ((p + m[0, 0]) > 0.0):\n        s5 = math.sin(h1(x, 0.3 * np.sum(np.sin(x))))\n    else:\n        y6 = np.sin(p * x)\n        for v7 in x:\n            s8, y9 = h0(x, p)\n            y6 = y6 + 0.1 * np.tanh(y6 * m[1, 0])\n    s10, y11 = h0(x + x, p)\n    return s10 + s10 + 0.3 * np.sum(m.T @ x)\n', x=[-0.50467951, 0.23629493, 0.16251994, 0.48928273, -1.08216642, -0.06696123], p=-0.9798685983992668)


# FIXED (found against 82164c8 by a 403-program run, fixed in the next commits): `a += e` on an
# array was lowered to `a = a + e` (a new array), while the forward sweep ran the user's
# in-place `a += e`; the snapshot `a_at_line29 = a` taken for the reverse sweep was then
# changed by the update, a silent 0.2 % error. Array `a op= e` is now a whole-array store.
def test_array_augmented_assignment_after_a_loop_is_in_place():
    check("""\
import math

import numpy as np

import s2sad


def f(x, p):
    n = x.shape[0]
    a = x.copy()
    m = np.expand_dims(x, 1) * np.expand_dims(x[:3], 0)
    labels = np.array([0, 0, 0, 0])
    s3 = 0.0
    for i in range(n):
        s3 += m[i, labels[i]] * p
        m[i, labels[i]] = 0.5 * m[i, labels[i]] + 0.1 * s3
    a += 0.1 * np.sin(p * a)
    return p + 0.3 * np.dot(x, a)
""", x=X5[:4], p=X5[4])


def test_array_augmented_assignments_of_every_operator():
    check("""\
import numpy as np


def f(x, p):
    a = x * 1.0
    a *= p
    a /= 1.0 + x * x
    a -= 0.5 * x
    for i in range(2):
        a += p * np.cos(a)
    return np.sum(a * a)
""")


# FIXED (found by a 1,560-program run of the extended generator at 11036e7; fixed at a45a0b1+1): after
# `y2 += e` became an in-place store, the reverse sweep read y2 as its definition left it both
# for the tanh adjoint (needs the contents before the update) and for the return line (needs
# them after): a silent 5-200 % error. A definition whose memory is stored into later is no
# longer taken as intact, and a read after stores since the definition reads a snapshot.
def test_in_place_update_between_a_definition_and_a_read():
    check("""\
import math

import numpy as np

import s2sad


def f(x, p):
    n = x.shape[0]
    c0 = n - 2
    s1 = s2sad.stop_gradient(c0 * 1.0) * 0.1
    y2 = np.tanh(x + x)
    y3 = np.sin(x + x)
    y2 += 0.1 * np.sin(x / (1.5 + x * x))
    return p + 0.3 * np.sum(np.sin(y2))
""", x=X5[:4], p=X5[4])


def test_slice_update_that_reads_itself_after_an_ans_rule():
    check("""\
import numpy as np


def f(x, p):
    y = np.exp(x * p)
    y[1:] = 0.5 * y[1:]
    z = np.tanh(y)
    z[0] = z[0] * p
    return np.sum(z * y)
""")


# FIXED (found by a 900-program run of the extended generator at 1b14ca8, fixed in the next
# commit): `for v5, v6 in zip(y3, x)` with `y3 = y3 + ...` in the body read the rebound y3
# (the value itself was wrong); Python iterates over the array bound before the loop.
def test_zip_over_an_array_the_loop_rebinds():
    check("""\
import numpy as np


def f(x, p):
    y3 = np.tanh(x * p)
    s4 = 0.0
    for v5, v6 in zip(y3, x):
        y3 = y3 + 0.1 * np.tanh(y3 * p)
        if np.tanh(v6) >= 0.0:
            return p + v5 + 0.3 * np.sum(y3[::2])
        s4 += 0.2 * np.dot(y3, y3)
    return p + s4
""", x=[-0.7622444019290735, 0.9727117952129027, 0.8190001965767466, 0.4801967156703397, -0.6520437201644276],
        p=-0.9528894871281087)


# FIXED (same run): the aliasing check rejected `m[0, :] += ...` in a branch and again after
# it inside a loop: a temporary view rebound in the branch was still taken for the old one.
def test_row_update_in_a_branch_and_after_it():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    m = np.expand_dims(x, 1) * np.expand_dims(x[:3], 0)
    for i in range(n):
        if not (p > 0.0):
            if not (p > 0.0):
                m[0, :] += 0.1 * np.sin(m[0, :] * math.sin(p))
        m[0, :] += 0.1 * np.sin(m[0, :] * math.sin(p))
    return p + 0.3 * np.sum(np.sin(m))
""", p=-0.6)


# FIXED (found by a 400-program run of the extended generator at 84de2e7, fixed in the next
# commit): np.max gave every tied maximal element the whole adjoint; elements tied because
# they are equal functions of p then counted twice (d/dp exactly 2x). Ties now share it.
def test_max_over_elements_tied_by_construction():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[1:-1] = 0.5 * (a[:-2] + a[2:])
        if p < 0.0:
            if not (math.sin(x[0]) > 0.0):
                return p + p + 0.3 * np.sum(np.sin(x + x))
            break
        a[(i + 1) % n] = math.sin((a[(i + 1) % n] / (2.0 + math.sin(0.3 * np.sum(np.sin(x))))) + math.sin(p))
    return np.max(np.sin(a))
""", x=[1.1513538082831773, 0.9498136856159658, -1.152072507101747, -1.1278746031565758, 0.07865558244334281],
        p=0.36797262861285307)


# Found by a fresh run at 9795459 (also fails at ba723b4): the early `return` inside a branch
# whose test Numba folds to False (`s1 = 0.0; if s1 > 0.0 and p > 0.0:`) left the lowered
# `result` with no definition on the pruned path: "Unsupported assignment encountered:
# Undefined" when compiling. The returned scalar now starts as 0.0.
def test_early_return_inside_a_branch_numba_prunes():
    check("""\
import math

import numpy as np


def f(x, p):
    a = x.copy()
    s1 = 0.0
    if s1 > 0.0 and p > 0.0:
        s1 = 0.5 * s1 + 0.3 * math.sin(x[0])
        for v2 in x:
            if not (p > 0.0):
                return p + 0.3 * np.sum(np.sin(x / (1.5 + x * x)))
    a[1:-1] = 0.5 * (a[:-2] + a[2:])
    return p + 0.3 * np.sum(np.sin(x))
""", X5[:4], X5[4])
