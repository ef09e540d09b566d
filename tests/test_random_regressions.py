"""Programs the random-program generator (tests/random_programs.py) found failing.

Each test holds the program's source inline and checks it exactly as the property test
does (`random_programs.check_program`: gradient w.r.t. x and p with jit=False against central
differences, w.r.t. x alone and p alone, jit=True against jit=False, value against the primal).
Where the generator's program was large, the test holds a reduced one that fails the same way,
plus the original.

Open bugs are marked xfail(strict=True, reason="BUG: ..."): when one is fixed the test XPASSes
and fails; then drop its mark and the matching entry of KNOWN_BUGS in test_random_programs.py.
"""
import numba
import numpy as np
import pytest

from random_programs import check_program

X4 = [0.3, -0.2, 0.5, 0.1]


def check(source, x=X4, p=0.4):
    check_program(source, np.array(x, dtype=np.float64), p, jit=True)


# ---------------------------------------------------------------------------------------------
# Found against 28002af and the working trees that followed; fixed since (commits noted), kept
# so they stay fixed.

def test_long_adjoint_expression_with_pow_rule():
    # 28002af..19db55b: an adjoint expression longer than astor's line width came back from
    # codegen.src() wrapped over two lines and `stmt(...)` failed: SyntaxError, invalid syntax.
    # Fixed by 80dd702 ("single-line embedded expressions").
    check("""\
import math

import numpy as np


def f(x, p):
    s0 = 0.0
    s1 = p
    s3 = x[0]
    s4 = s3 * ((2.0 + np.tanh(s3)) ** np.sin((s0 + s1)))
    s5 = 0.0
    return s4 + p + s5
""", [0.02837189928061612, 1.0811128711822449, -0.854016929472879], 1.0767586731293852)


def test_long_adjoint_expression_conditional():
    # 28002af..19db55b: the same wrapping, in the middle of `a if c else b`:
    # SyntaxError: expected 'else' after 'if' expression
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    s0 = x[n - 1] * p
    s1 = 0.0
    return np.exp(math.cos(((1.5 + math.sin(p)) ** (0.5 * math.cos(p))))) + s0 + p + p + s1
""", [0.09159444353266366, -0.3761499124479878, -0.3142386244910922], -0.30120776258908233)


def test_long_adjoint_expression_shrunk_by_hypothesis():
    # the first failure Hypothesis shrank (same wrapping bug, 284e42b..19db55b)
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] = x[i]
    b = np.zeros(n)
    s0 = 0.0
    s0 = 0.5 * s0 + np.arctan(math.exp(-s0 * s0))
    s0 = 0.5 * s0 + math.sin(p)
    s1 = s0
    s2 = 0.0
    for i in range(n):
        s2 += a[i] * x[i]
    return s0 + s2
""", [-0.9944419988553015, -0.6316547841693607, 0.7230587164953526], 0.19718888655448263)


def test_zero_array_read_before_its_first_store():
    # 28002af..0aad43e: reading b[1] of `b = np.zeros(n)` before `b[0] = ...`: the reverse sweep
    # accumulated into b_adj, which was never created: NameError: name 'b_adj' is not defined.
    # Fixed by 4c235e3.
    check("""\
import math

import numpy as np


def f(x, p):
    b = np.zeros(x.shape[0])
    s = math.cos(b[1])
    b[0] = math.cos(x[0])
    return s
""")


def test_zero_array_read_before_its_first_store_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] = x[i]
    b = np.zeros(n)
    s1 = math.cos(b[n - 2])
    b[0] = math.cos(a[n - 1])
    s3 = s1
    s5 = 0.0
    return s3 + s5
""")


def test_elif_chain_with_conditional_expressions_terminates():
    # 284e42b..19db55b: BlockPlan._tidy ("sunk resets") looped forever on this program;
    # fixed by 80dd702 ("reset sinking could loop forever"). check_program raises
    # ProgramTimeout after 120 s.
    check("""\
import math

import numpy as np


def f(x, p):
    s0 = x[1]
    if p > 0.0:
        s1 = p
    elif p > 0.5:
        s1 = s0 if s0 > 0.1 else x[0]
    else:
        s0 = 0.5 * (s0 if s0 <= 0.5 * s0 else math.cos(p))
        s1 = p
    return s1
""")


def test_elif_chain_with_conditional_expressions_terminates_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] = x[i] * p
    s0 = 0.0
    s0 = np.cos(x[1])
    if a[n - 2] > x[n - 2] and x[n - 2] >= a[1]:
        s1 = x[n - 2]
    elif math.atan((-1.2)) > -0.5:
        s1 = s0 if (2.0 / (1.0 + 2.0 * 2.0)) > 0.1 else x[0]
    else:
        s0 = 0.5 * (s0 if s0 <= (0.5 * s0) else math.cos(((1.0 + p) + ((1.5 + math.sin(a[n - 2])) ** (0.5 * math.cos(x[0]))))))
        s1 = abs(p)
    s2 = 0.0
    for i in range(n):
        s2 += a[i] * a[i]
    return s1 + s2
""")


# ---------------------------------------------------------------------------------------------
# Found against 7741979 and earlier; fixed by 0d8c109 ("Reserve generated names against user
# locals; keep values and decisions of top-level branches on the tape").

# The generated code's own names were not reserved from the user's locals: a local named
# float_tape / float_top / int_tape / int_top / branch_tape / branch_top shadowed a tape or its
# stack pointer, one named `reserve` the runtime helper the derivative calls (IndexError,
# AttributeError, TypeError: 'float' object is not callable, UnboundLocalError).
GENERATED_NAMES = ["float_tape", "float_top", "int_tape", "int_top", "branch_tape", "branch_top", "reserve"]


@pytest.mark.parametrize("name", GENERATED_NAMES)
def test_local_named_like_the_generated_code(name):
    # a loop with a taped float, a while inside it (its trip count goes on the int tape) and a
    # branch (its decision goes on the branch tape); the user's local `name` shadows the tape,
    # its top-of-stack counter or the `reserve` helper that the derivative calls
    check(f"""\
import math

import numpy as np


def f(x, p):
    {name} = p
    s = 0.0
    for i in range(x.shape[0]):
        k = 0
        while k < 2:
            if x[i] > 0.0:
                s = math.sin(s) * x[i]
            k += 1
    return s + {name}
""")


# UnboundLocalError: cannot access local variable 'reserve'
def test_local_named_reserve_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] = x[i] if x[i] > p else 0.5 * x[i]
    x_adj = x[0]
    reserve = x[n - 1] * p
    reserve, x_adj = x_adj, 0.5 * reserve + np.sin(p)
    x_adj += np.tanh((np.arctan(reserve) / (2.0 + math.cos(x[2]))))
    pass
    reserve = 0.5 * reserve + np.cos(1.0)
    k0 = 0
    while math.tanh(x_adj) <= 0.3 and k0 < 2:
        for i in range(n - 1, -1, -1):
            reserve = 0.5 * (reserve if np.tanh(a[abs(k0 - i)]) <= 1.0 or 0.05 * k0 > 0.0 else math.tanh(a[n - 1 - i]))
        s0 = math.cos(0.3)
        k0 += 1
    return reserve + a[n - 1]
""", [0.3, -0.2, 0.5, 0.1, -0.7], 0.4)


# IndexError: only integers, slices ... are valid indices (float_top held a float)
def test_local_named_float_top_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] = x[i] * p
    s0 = 0.0
    float_top = (1.0 + p * p) ** 0.5
    a[2] *= 0.5 + 0.4 * (float_top / (1.0 + float_top * float_top))
    took_if_line7 = float_top
    took_if_line7 = math.cos(float_top)
    took_if_line7 = 0.5 * took_if_line7 + math.cos((float_top - s0))
    value = 0.0
    for i in range(n):
        value += a[i] * x[i]
    return float_top + value
""")


# Numba folds a branch test it can prove constant (a global flag, `0.0 < 0.0`, a local holding a
# constant on that path) and prunes the dead branch, and with it the only assignment of a value
# saved for the reverse sweep or of a branch flag the reverse sweep replays; jit=True failed with
# CompilationError "Type of variable ... cannot be determined" (jit=False was right).
def test_constant_false_elif_with_global_flag():
    check("""\
import math

import numpy as np

FLAG = False


def f(x, p):
    s = p
    if p > 0.0:
        s = x[0]
    elif FLAG:
        s = s * x[1]
    return s
""")


def test_constant_false_elif_with_literals():
    check("""\
import math

import numpy as np


def f(x, p):
    s = p
    if p > 0.0:
        s = x[0]
    elif 0.0 < 0.0:
        s = s * x[1]
    return s
""")


def test_constant_false_elif_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] += x[i]
    s0 = 0.0
    s0 /= 2.0 + math.sin(a[1])
    if p < math.sqrt(1.0 + s0 * s0) or 0.0 <= 1.0:
        s0 -= 0.2 * np.cos(2.0)
        if not (a[2] > -0.2):
            s0 *= 0.5 + 0.4 * np.tanh((0.7 + x[n - 2]))
            pass
            s1 = p
        else:
            a[1] = math.cos(x[0])
            if 0.7 > 1.5:
                s2 = 0.25 - (-0.4)
            elif s0 >= (a[2] + a[0]) and 0.0 < 0.0:
                s0 /= 2.0 + np.tanh(a[n - 1])
            else:
                s0 = 0.5 * (s0 if x[2] <= -0.5 else math.sin(math.sin((a[0] + a[n - 2]))))
            s1 = a[n - 2]
    else:
        s0 -= 0.2 * math.cos(1.5)
    return p + p + s0 + a[1]
""", [0.2967717432483088, -0.5891107175795468, -0.6341176623298145], -0.7101935018789279)


def test_elif_on_a_local_that_is_constant_on_that_path():
    check("""\
import math

import numpy as np


def f(x, p):
    s = 0.0
    if p > 0.6:
        s = p
    elif s > -0.2:
        y = p
    elif p > 0.3:
        s = p * p
    return s
""")


def test_elif_on_a_local_that_is_constant_on_that_path_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    s0 = 0.0
    c0 = n - 1
    if p > 0.6:
        if c0 == 1:
            s0 += 0.3 * (p / (1.0 + p * p))
        elif x[max(c0 - 1, 0)] <= 0.3:
            s1 = x[2] if (-1.2) <= math.log1p(0.5 * 0.5) else s0
        elif p >= -0.2:
            s2 = 0.05 * c0
        else:
            pass
    elif s0 > -0.2:
        s3 = s0
    elif s0 > 0.0 and s0 > 0.3:
        s4 = s0
    else:
        s0 = 0.5 * s0 + math.sin(p)
    return s0
""", [0.02837189928061612, 1.0811128711822449, -0.854016929472879], 1.0767586731293852)


# ---------------------------------------------------------------------------------------------
# Found against 0d8c109; fixed by 263b367 ("Inside branches, rely only on names assigned
# unconditionally (Numba may prune constant branches)").

# 0d8c109 kept the values and decisions of *top-level* branches on the tape, but a value
# assigned in an `if` nested in a branch that Numba prunes (here the `if` that lowers a
# conditional expression, inside `elif FLAG:`) was still read back from its variable by the
# reverse sweep; Numba had pruned its only assignment, so jit=True failed with CompilationError
# "Type of variable ... cannot be determined" (jit=False was right).

def test_conditional_expression_inside_constant_false_elif():
    check("""\
import math

import numpy as np

FLAG = False


def f(x, p):
    s = p
    if p > 5.0:
        s = x[0]
    elif FLAG:
        t = s if s > 0.0 else p
        s = math.sin(t)
    return s
""")


def test_nested_if_inside_constant_false_elif():
    check("""\
import math

import numpy as np


def f(x, p):
    s = p
    if p > 5.0:
        s = x[0]
    elif 0.0 > 1.0:
        if x[0] > 0.0:
            t = x[1]
        else:
            t = p
        s = math.sin(t)
    return s
""")


def test_conditional_expression_inside_constant_false_elif_as_generated():
    # shrunk by Hypothesis from S2SAD_RANDOM_PROGRAMS=1000 against 0d8c109
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    a = np.zeros(n)
    for i in range(n):
        a[i] = x[i]
    b = np.zeros(n)
    s0 = 0.0
    c0 = 0
    s0 = 0.5 * s0 + math.sin(s0)
    k0 = 2
    while k0 > 0 and s0 > 0.0:
        s1 = s0
        k0 -= 1
    if s0 > 0.0 and s0 > 0.3:
        s2 = s0
    elif c0 != c0:
        if s0 > 0.0:
            s0 += 0.3 * math.sin(min(s0, a[0]))
        else:
            a[n - 1] = math.sin((s0 if s0 > 0.0 else s0))
    s3 = 0.0
    for i in range(n):
        s3 += a[i] * x[i]
    return s0 + s3
""", [0.32870804957149025, -0.5525118869667113, -1.1016635425531327], -1.16033367473153)


# FIXED (found by the foundation generator against 1601f35 with the jvp/hvp oracle): a loop
# whose body is only `pass` came out of forward mode with an empty body (IndentationError).
def test_forward_mode_of_an_empty_loop_body():
    check_program("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    b = np.zeros(n)
    s0 = 0.0
    pass
    for i in range(n):
        pass
    s1 = 0.0
    for i in range(n):
        s1 += b[i] * x[i]
    return s0 + s1
""", np.array([0.32870804957149025, -0.5525118869667113, -1.1016635425531327]), -1.16033367473153, jit=True)


# ---------------------------------------------------------------------------------------------
# Found by the foundation generator against 392ba51 (session 3), fixed. Both came from the
# splitting of rebound parameters into one name per live range (af845df, split_names.py).

# FIXED (split_names renames the statements kept for emission consistently): an augmented assignment to a parameter (`p += 0.3`) defines p and reads it, but the
# split puts its target in a web of its own: it is renamed (p_2) while its implicit read is
# not joined to the definition it reads. Without a branch the forward sweep runs `p_2 += 0.3`
# with p_2 never assigned: jit=False UnboundLocalError "cannot access local variable 'p_2'",
# jit=True Numba NotDefinedError "Variable 'p_2' is not defined" (also when the `p += ...` sits
# in a branch not taken: only jit=True fails then).
def test_parameter_augmented_assignment():
    check("""\
import math

import numpy as np


def f(x, p):
    p += 0.3
    return p * x[1]
""")


def test_parameter_augmented_assignment_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    s0 = 0.0
    c0 = 0
    p = 0.5 * p + math.sin(s0)
    p += 0.3 * math.sin(s0)
    s1 = s0
    return s1
""", [0.32870804957149025, -0.5525118869667113, -1.1016635425531327], -1.16033367473153)


# FIXED (same cause): `p += ...` in a branch that is not taken. jit=False is right (the
# unassigned p_2 is never read); jit=True fails to compile: Numba NotDefinedError "Variable
# 'p_2' is not defined" (the forward sweep holds `if x[0] > 0.0: p_2 += 0.3`).
def test_parameter_augmented_assignment_in_a_branch_not_taken():
    check("""\
import math

import numpy as np


def f(x, p):
    if x[0] > 0.0:
        p += 0.3
    return x[1]
""", [-0.3, -0.2, 0.5, 0.1])


# FIXED, was a silently wrong gradient (same cause): `p = 2.0 * p; p *= x[1]` inside a branch. The
# branch's merge joins the `p *=` target to the parameter's web, so it keeps the name p while
# the rebinding before it became p_2: the forward sweep runs `p_2 = 2.0 * p; p *= x[1]`, i.e.
# p * x[1] instead of 2 p x[1]. At x = X4, p = 0.4: value -0.04 (expected -0.08), d/dx[2]
# -0.08 (expected -0.16); d/dx[1] and d/dp are right. jvp is right.
def test_parameter_rebound_then_augmented_in_a_branch():
    check("""\
import math

import numpy as np


def f(x, p):
    if x[0] > 0.0:
        p = 2.0 * p
        p *= x[1]
    return p * x[2]
""")


def test_parameter_rebound_then_augmented_in_a_branch_as_generated():
    # jit=False: value 0.4903 (expected 0.1508)
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    b = np.zeros(n)
    s0 = 0.0
    if math.sin(b[0]) > 0.0:
        s1 = (0.5 if math.sin(s0) > 0.0 else x[n - 2]) + (p / (1.0 + p * p))
    elif np.cos(s0) < 0.6:
        s2 = s0 + b[n - 2]
    elif (p / (1.0 + p * p)) > 0.1 and p >= -0.2:
        p = p * 0.5 - 0.3 * np.tanh(b[n - 2])
        p -= 0.2 * math.tanh((((1.5 + math.sin(s0)) ** (0.5 * math.cos(p))) ** 3))
        b[2] += b[1] * math.tanh(b[0]) * 0.2
    p = 0.5 * p + (0.0 / (1.0 + 0.0 * 0.0))
    s3 = 0.0
    for i in range(n):
        s3 += b[i] * b[i]
    return p + p + s3
""", [0.125820080046813, 0.42657062602070517, 0.5208438610898116, -0.9722074065618451,
      -0.8055846174509995, 0.3730147949229834], 0.6791415165096386)


# FIXED, was a silently wrong value: `return p` after `p = 0.5 * p` returns the parameter's original
# value: the forward sweep computes `p_2 = 0.5 * p` and then `value = p` (the returned name is
# not renamed to its web). The gradient is right (0.5); value_and_grad's value is 0.4, not 0.2.
# Only a bare `return p`: `return p + x[0]`, `return p * p`, `return p if c else ...` are right.
def test_rebound_parameter_returned_by_name():
    check("""\
import math

import numpy as np


def f(x, p):
    p = 0.5 * p
    return p
""")


def test_rebound_parameter_returned_by_name_as_generated():
    check("""\
import math

import numpy as np


def f(x, p):
    n = x.shape[0]
    s0 = 0.0
    c0 = 0
    p = 0.5 * p + math.sin(s0)
    s0 = 0.5 * s0 + math.sin((x[n - 1 - c0] * p))
    c0 = (c0 + 1) % n if n > 4 else c0
    return p
""", [-0.1688848756004815, 0.7466568651374452, -0.3272012743281384, 0.16885881460960306,
      -0.8863427343344636, -0.45534898083048014], -0.30023185550771936)


# Found by the foundation generator at 96c88d4 (session 3): `abs` of an integer was typed as a
# float, so `x[abs(i - c0)]` stopped type inference (an UnsupportedError, not a wrong answer)
def test_abs_of_an_integer_index():
    check("""\
import math

import numpy as np


def f(x, p):
    s = 0.0
    c0 = 1
    for i in range(x.shape[0]):
        s = s + math.sin(x[abs(i - c0)]) * p
    return s
""")
