"""Random programs in s2sad's supported subset, and the check every one of them must pass.

`programs()` is a Hypothesis strategy producing a `Program`: the source text of a module
defining `def f(x, p):` (x a 1-D float64 array of length 3..6, p a float) and a point
(x, p) to differentiate at. The programs use only the supported subset:

* scalar expressions over the variables in scope and float constants: `+ - * / **`,
  unary minus, `abs`, `min`/`max` of two scalars, `a if c else b`, and the elementary
  functions of `math` and NumPy, each wrapped so that it stays on a safe domain
  (`math.log(1.0 + v * v)`, `math.sqrt(1.0 + v * v)`, `(1.5 + math.sin(u)) ** v`, ...);
* element reads `x[idx]`, `a[idx]` and stores `a[idx] = e`, `a[idx] += e`, `-=`, `*=` into
  local arrays `a = np.zeros(n)` (copied from x) and `b = np.zeros(n)`; every index is in
  range by construction (`i`, `(i + 1) % n`, `n - 1 - i`, `min(i + 1, n - 1)`, ...);
* assignments, augmented assignments (`+= -= *= /=`), tuple assignments (`u, v = v, u`);
* `for` loops over ranges inside [0, n) (1-3 arguments, positive and negative literal steps,
  `n` or `x.shape[0]` bounds, triangular inner loops like `range(i)`, empty ranges);
* `while` loops with a counter bound (`k < 3 and <data condition>`, or `k > 0` counting down)
  updated at the end;
* `if`/`elif`/`else` on comparisons of scalars with thresholds, of integers, `and`/`or`/`not`,
  and boolean locals (`flag = x[0] > p`);
* an integer local `c0` kept within [0, n) (`c0 = (c0 + 1) % n`), used as an index and as a
  range bound that changes while the program runs;
* a final `return <expr>` (a sum, a name, `a if c else b`), sometimes after a reduction
  loop over the array;
* occasionally: the parameter `p` rebound, and locals named like the generated code's own
  variables (`value`, `x_adj`, `float_top`, `reserve`, ...), which s2sad must not confuse.

The point x, p comes from a seeded NumPy generator, so it is generic: no ties between
entries, no value sitting exactly on a branch threshold.

Values stay O(1): every update of a loop-carried scalar or array element goes through a
bounded function (sin, cos, tanh, arctan, v / (1 + v*v)) or a contraction (`0.5 * s + ...`),
so that finite differences are meaningful.

`check_program(source, x, p)` is the oracle: s2sad's gradient w.r.t. (x, p) with jit=False
against central differences; grad w.r.t. x alone and p alone (other activity) against it;
forward mode (jvp) along a random direction against the gradient (the dot-product test), and
the Hessian-vector product (hvp, reverse over forward) against differences of the gradient;
jit=True against jit=False, called twice (the second call reuses the returned tapes); the
value against the primal; the input array left unmodified.
"""
import contextlib
import ctypes
import hashlib
import importlib.util
import itertools
import os
import tempfile
import threading
from dataclasses import dataclass

import hypothesis.strategies as st
import numpy as np

import s2sad
from s2sad.testing import numerical_grad

HEADER = "import math\n\nimport numpy as np\n\n\n"

# f(e) that are bounded by about 1.6 for every real e
BOUNDED = ["math.sin({0})", "np.sin({0})", "math.cos({0})", "np.cos({0})", "math.tanh({0})",
           "np.tanh({0})", "np.arctan({0})", "math.atan({0})", "{0} / (1.0 + {0} * {0})"]
# f(e) that are defined and smooth for every real e (not necessarily bounded)
GUARDED = ["math.log(1.0 + {0} * {0})", "np.log(0.5 + {0} * {0})", "math.sqrt(1.0 + {0} * {0})",
           "np.sqrt(0.25 + {0} * {0})", "math.log1p({0} * {0})", "np.log1p(0.5 * math.sin({0}))",
           "math.expm1(math.sin({0}))", "np.exp(math.cos({0}))", "math.exp(-{0} * {0})",
           "math.sinh(math.sin({0}))", "np.cosh(np.tanh({0}))", "math.tan(0.5 * math.sin({0}))",
           "np.tan(0.7 * np.tanh({0}))", "1.0 / (1.0 + {0} * {0})", "{0} ** 2", "{0} ** 3",
           "(1.0 + {0} * {0}) ** 0.5", "(1.0 + {0} * {0}) ** -1", "abs({0})", "-{0}"]
CONSTANTS = ["0.5", "1.5", "0.3", "2.0", "0.7", "1.0", "0.25", "(-0.4)", "(-1.2)", "0.0"]
THRESHOLDS = ["0.0", "0.3", "-0.2", "0.6", "-0.5", "0.1", "1.0"]
COMPARE = [">", "<", ">=", "<="]
# names the generated derivative might also want to use
TRICKY_NAMES = ["value", "value_adj", "tmp", "choice", "x_adj", "p_adj", "s0_adj", "a_adj",
                "result", "x_i", "a_i", "i_start", "i_stop", "n_iterations", "took_if_line7",
                "float_top", "float_tape", "branch_top", "branch_tape", "int_top", "int_tape",
                "reserve", "g", "ans"]
LOOP_VARS = ["i", "j", "l"]


@dataclass
class Program:
    source: str
    x: np.ndarray
    p: float

    def __repr__(self):
        return f"Program(x={self.x.tolist()!r}, p={self.p!r}, source=\n{self.source})"


def paren(text):
    """`text` as an operand: parenthesised unless it is obviously atomic."""
    if text.replace("_", "").replace(".", "").isalnum() or _balanced_call(text):
        return text
    return f"({text})"


def _balanced_call(text):
    # (...), name(...) or name[...] where the brackets opened after the name close at the very end
    head = text.split("(", 1)[0].split("[", 1)[0]
    if head and (not head.replace("_", "").replace(".", "").isalnum() or head[0].isdigit()):
        return False
    if len(head) == len(text):
        return False
    depth = 0
    for k, ch in enumerate(text[len(head):], start=len(head)):
        depth += ch in "(["
        depth -= ch in ")]"
        if depth == 0 and k != len(text) - 1:
            return False
    return depth == 0


@dataclass
class Scope:
    floats: list        # float names that can be read
    assignable: list    # float names that can be updated
    ints: list          # integer names (loop variables, counters), all within [0, n)
    for_vars: list      # enclosing for-loop variables, innermost last
    arrays: list        # local arrays
    in_loop: bool
    int_locals: list = None   # integer locals that can be updated (kept within [0, n))
    bools: list = None        # boolean locals

    def child(self, **changes):
        fields = dict(floats=list(self.floats), assignable=list(self.assignable), ints=list(self.ints),
                      for_vars=list(self.for_vars), arrays=list(self.arrays), in_loop=self.in_loop,
                      int_locals=list(self.int_locals or []), bools=list(self.bools or []))
        fields.update(changes)
        return Scope(**fields)


class Builder:
    def __init__(self, draw):
        self.draw = draw
        self.lines = []
        self.names = itertools.count()
        self.counters = itertools.count()
        self.used_names = set()
        self.budget = draw(st.integers(3, 9))
        self.tricky = self.chance(10)
        self.max_depth = draw(st.integers(1, 3))

    # -- choices (all shrink towards the first option)
    def pick(self, options):
        return options[self.draw(st.integers(0, len(options) - 1))]

    def weighted(self, pairs):
        pairs = [(w, v) for w, v in pairs if w > 0]
        r = self.draw(st.integers(0, sum(w for w, _ in pairs) - 1))
        for w, v in pairs:
            if r < w:
                return v
            r -= w
        raise AssertionError

    def chance(self, one_in):
        return self.draw(st.integers(0, one_in - 1)) == 0

    def emit(self, indent, text):
        self.lines.append("    " * indent + text)

    def fresh(self):
        if self.tricky and self.chance(2):
            options = [n for n in TRICKY_NAMES if n not in self.used_names]
            if options:
                name = self.pick(options)
                self.used_names.add(name)
                return name
        while True:
            name = f"s{next(self.names)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    # -- integer expressions
    def index(self, sc, read=False):
        """An integer expression within [0, n) (or [-1, n) when `read`, Python wraps -1)."""
        choices = [(3, "const")] + [(6, "var")] * bool(sc.ints) + [(2, "pair")] * (len(sc.ints) >= 2)
        kind = self.weighted(choices)
        if kind == "const":
            return self.pick(["0", "1", "2", "n - 1", "n - 2"])
        if kind == "var":
            v = self.pick(sc.ints[::-1])
            forms = [(6, "{v}"), (3, "({v} + 1) % n"), (2, "({v} + 2) % n"), (2, "n - 1 - {v}"),
                     (1, "(2 * {v}) % n"), (1, "({v} * {v}) % n"), (1, "min({v} + 1, n - 1)"),
                     (1, "max({v} - 1, 0)"), (1 if read else 0, "{v} - 1")]
            return self.weighted(forms).format(v=v)
        v, w = self.draw(st.permutations(sc.ints))[:2]
        return self.pick(["({v} + {w}) % n", "abs({v} - {w})", "({v} * {w} + 1) % n"]).format(v=v, w=w)

    # -- float expressions
    def leaf(self, sc):
        kinds = [(4, "var"), (3, "x"), (3 if sc.arrays else 0, "array"), (2, "const"),
                 (1 if sc.ints else 0, "int")]
        kind = self.weighted(kinds)
        if kind == "var":
            return self.pick(sc.floats[::-1])
        if kind == "x":
            return f"x[{self.index(sc, read=True)}]"
        if kind == "array":
            return f"{self.pick(sc.arrays)}[{self.index(sc, read=True)}]"
        if kind == "const":
            return self.pick(CONSTANTS)
        return f"{self.pick(['0.1', '0.3', '0.05'])} * {self.pick(sc.ints[::-1])}"

    def wrap(self, templates, sc, depth):
        """One of `templates` applied to an expression; templates repeating their argument get a leaf."""
        template = self.pick(templates)
        arg = self.expr(sc, depth) if template.count("{0}") == 1 else self.leaf(sc)
        return template.format(paren(arg))

    def bounded(self, sc, depth):
        return paren(self.wrap(BOUNDED, sc, depth))

    def expr(self, sc, depth):
        if depth <= 0:
            return self.leaf(sc)
        kind = self.weighted([(5, "leaf"), (3, "add"), (2, "sub"), (3, "mul"), (3, "bounded"),
                              (3, "guarded"), (1, "div"), (1, "minmax"), (1, "pow"), (1, "ifexp")])
        sub = lambda: paren(self.expr(sc, depth - 1))  # noqa: E731
        if kind == "leaf":
            return self.leaf(sc)
        if kind == "add":
            return f"{sub()} + {sub()}"
        if kind == "sub":
            return f"{sub()} - {sub()}"
        if kind == "mul":
            return f"{sub()} * {sub()}"
        if kind == "bounded":
            return self.wrap(BOUNDED, sc, depth - 1)
        if kind == "guarded":
            return self.wrap(GUARDED, sc, depth - 1)
        if kind == "div":
            num, den = sub(), paren(self.leaf(sc))
            return self.pick(["{0} / (1.0 + {1} * {1})", "{0} / (2.0 + math.cos({1}))",
                              "{0} / (1.5 + np.tanh({1}))"]).format(num, den)
        if kind == "minmax":
            return f"{self.pick(['min', 'max'])}({self.expr(sc, depth - 1)}, {self.expr(sc, depth - 1)})"
        if kind == "pow":
            base, exponent = sub(), sub()
            return self.pick(["(1.5 + math.sin({0})) ** (0.5 * math.cos({1}))",
                              "(2.0 + np.tanh({0})) ** np.sin({1})"]).format(base, exponent)
        return f"{sub()} if {self.condition(sc)} else {sub()}"

    def condition(self, sc, allow_bool=True):
        kind = self.weighted([(5, "threshold"), (2, "pair"), (2 if sc.ints else 0, "int"),
                              (2 if sc.bools else 0, "bool"),
                              (1 if allow_bool else 0, "and"), (1 if allow_bool else 0, "or"),
                              (1 if allow_bool else 0, "not")])
        if kind == "threshold":
            e = self.leaf(sc) if self.chance(2) else self.bounded(sc, 0)
            return f"{e} {self.pick(COMPARE)} {self.pick(THRESHOLDS)}"
        if kind == "pair":
            return f"{self.leaf(sc)} {self.pick(COMPARE)} {paren(self.expr(sc, 1))}"
        if kind == "int":
            v = self.pick(sc.ints[::-1])
            w = self.pick(sc.ints)
            return self.pick(["{v} % 2 == 0", "{v} < 2", "{v} > 0", "{v} == 1", "{v} != {w}",
                              "({v} + {w}) % 3 == 1", "{v} >= n - 2", "n > 4"]).format(v=v, w=w)
        if kind == "bool":
            return self.pick(["{b}", "not {b}"]).format(b=self.pick(sc.bools[::-1]))
        if kind == "not":
            return f"not ({self.condition(sc, allow_bool=False)})"
        op = kind
        return f"{self.condition(sc, allow_bool=False)} {op} {self.condition(sc, allow_bool=False)}"

    # -- statements
    def statements(self, sc, indent, depth, count):
        """`count` statements (at least one) into a block; returns the scope after them."""
        emitted = 0
        while emitted < count or emitted == 0:
            sc = self.statement(sc, indent, depth)
            emitted += 1
            if self.budget <= 0 and emitted >= 1:
                break
        return sc

    def block(self, sc, indent, depth):
        self.statements(sc, indent, depth, self.draw(st.integers(1, 3)))

    def statement(self, sc, indent, depth):
        self.budget -= 1
        nested = depth < self.max_depth
        kind = self.weighted([
            (4, "assign"), (5 if sc.assignable else 0, "update"), (3 if sc.assignable else 0, "augassign"),
            (2 if len(sc.assignable) >= 2 else 0, "tuple"), (4 if sc.arrays else 0, "store"),
            (4 if nested else 0, "if"), (2 if nested else 0, "define_in_branches"),
            (7 if nested else 0, "for"), (3 if nested else 0, "while"), (1, "pass"),
            (2 if sc.int_locals else 0, "int_update"), (1, "bool_assign"),
        ])
        return getattr(self, f"stmt_{kind}")(sc, indent, depth)

    def stmt_pass(self, sc, indent, depth):
        self.emit(indent, "pass")
        return sc

    def stmt_assign(self, sc, indent, depth):
        name = self.fresh()
        value = self.expr(sc, self.draw(st.integers(0, 3)))
        self.emit(indent, f"{name} = {value}")
        return sc.child(floats=sc.floats + [name], assignable=sc.assignable + [name])

    def stmt_int_update(self, sc, indent, depth):
        c = self.pick(sc.int_locals)
        v = self.pick(sc.ints[::-1])
        form = self.pick(["{c} = ({c} + 1) % n", "{c} = ({c} + {v}) % n", "{c} = n - 1 - {c}",
                          "{c} = min({c} + 1, n - 1)", "{c} = {v}", "{c} += 1 if {c} < n - 1 else 1 - n",
                          "{c} = ({c} + 1) % n if {cond} else {c}"])
        self.emit(indent, form.format(c=c, v=v, cond=self.condition(sc) if "{cond}" in form else ""))
        return sc

    def stmt_bool_assign(self, sc, indent, depth):
        if sc.bools and self.chance(3):
            b = self.pick(sc.bools)
            self.emit(indent, self.pick(["{b} = not {b}", "{b} = {b} and {c}", "{b} = {c}"]).format(
                b=b, c=self.condition(sc, allow_bool=False)))
            return sc
        name = f"flag{next(self.names)}"
        self.emit(indent, f"{name} = {self.condition(sc)}")
        return sc.child(bools=(sc.bools or []) + [name])

    def stmt_update(self, sc, indent, depth):
        v = self.pick(sc.assignable[::-1])
        e = self.bounded(sc, self.draw(st.integers(0, 2)))
        form = self.pick(["{v} = 0.5 * {v} + {e}", "{v} = {e}", "{v} = {v} * 0.5 - 0.3 * {e}",
                          "{v} = math.tanh({v} + {e})", "{v} = 0.5 * ({v} if {c} else {e})",
                          "{v} = np.sin({v}) * {e}"])
        self.emit(indent, form.format(v=v, e=e, c=self.condition(sc) if "{c}" in form else ""))
        return sc

    def stmt_augassign(self, sc, indent, depth):
        v = self.pick(sc.assignable[::-1])
        e = self.bounded(sc, self.draw(st.integers(0, 2)))
        form = self.pick(["{v} += 0.3 * {e}", "{v} -= 0.2 * {e}", "{v} *= 0.5 + 0.4 * {e}",
                          "{v} /= 2.0 + {e}", "{v} += {e}"])
        if form == "{v} += {e}" and sc.in_loop:
            form = "{v} += 0.1 * {e}"
        self.emit(indent, form.format(v=v, e=e))
        return sc

    def stmt_tuple(self, sc, indent, depth):
        u, v = self.draw(st.permutations(sc.assignable))[:2]
        e = self.bounded(sc, self.draw(st.integers(0, 2)))
        form = self.pick(["{u}, {v} = {v}, {u}", "{u}, {v} = {v}, 0.5 * {u} + {e}",
                          "{u}, {v} = 0.5 * {v}, math.sin({u}) - {e}", "{u}, {v} = {e}, {u} * {v}"])
        self.emit(indent, form.format(u=u, v=v, e=e))
        return sc

    def stmt_store(self, sc, indent, depth):
        arr = self.pick(sc.arrays)
        i, j = self.index(sc), self.index(sc, read=True)
        e = self.bounded(sc, self.draw(st.integers(0, 2)))
        form = self.pick(["{a}[{i}] = {e}", "{a}[{i}] += 0.2 * {e}", "{a}[{i}] = 0.5 * {a}[{j}] + 0.3 * {e}",
                          "{a}[{i}] -= 0.1 * {e}", "{a}[{i}] *= 0.5 + 0.4 * {e}", "{a}[{i}] = {a}[{i}] - 0.2 * {e}",
                          "{a}[{i}] += {a}[{j}] * {e} * 0.2"])
        self.emit(indent, form.format(a=arr, i=i, j=j, e=e))
        return sc

    def stmt_if(self, sc, indent, depth):
        self.emit(indent, f"if {self.condition(sc)}:")
        self.block(sc, indent + 1, depth + 1)
        for _ in range(self.draw(st.integers(0, 2))):
            self.emit(indent, f"elif {self.condition(sc)}:")
            self.block(sc, indent + 1, depth + 1)
        if self.chance(2):
            self.emit(indent, "else:")
            self.block(sc, indent + 1, depth + 1)
        return sc

    def stmt_define_in_branches(self, sc, indent, depth):
        """if/elif/else assigning the same new name on every path; it is read afterwards."""
        name = self.fresh()
        branches = self.draw(st.integers(2, 3))
        for k in range(branches):
            head = "if" if k == 0 else ("else" if k == branches - 1 else "elif")
            self.emit(indent, f"{head} {self.condition(sc)}:" if head != "else" else "else:")
            if self.chance(2):
                self.block(sc, indent + 1, depth + 1)
            self.emit(indent + 1, f"{name} = {self.expr(sc, self.draw(st.integers(0, 2)))}")
        return sc.child(floats=sc.floats + [name], assignable=sc.assignable + [name])

    def range_text(self, sc):
        bound = self.weighted([(5, "n"), (2, "x.shape[0]")])
        outer = ["range({N})", "range(1, {N})", "range({N} - 1)", "range({N} - 1, -1, -1)",
                 "range({N} - 1, 0, -1)", "range(0, {N}, 2)", "range(1, {N}, 2)", "range({N} - 1, -1, -2)",
                 "range({N} - 2, -1, -3)", "range(3)", "range(2)", "range(1)", "range(2, 0, -1)", "range(0)"]
        inner = ["range({v})", "range({v} + 1)", "range({v}, {N})", "range({v} + 1, {N})",
                 "range({v} - 1, -1, -1)", "range({N} - 1, {v}, -1)", "range(0, {v}, 2)", "range({v}, -1, -2)"]
        if sc.int_locals and self.chance(4):
            # a bound that changes while the program runs: s2sad must save it for the reverse loop
            return self.pick(["range({c})", "range({c}, {N})", "range({c}, -1, -1)", "range({c} + 1)"]).format(
                c=self.pick(sc.int_locals), N=bound)
        if sc.for_vars and self.chance(2):
            return self.pick(inner).format(N=bound, v=self.pick(sc.for_vars[::-1]))
        return self.pick(outer).format(N=bound)

    def stmt_for(self, sc, indent, depth):
        var = LOOP_VARS[len(sc.for_vars)]
        self.emit(indent, f"for {var} in {self.range_text(sc)}:")
        self.block(sc.child(ints=sc.ints + [var], for_vars=sc.for_vars + [var], in_loop=True),
                   indent + 1, depth + 1)
        return sc

    def stmt_while(self, sc, indent, depth):
        """A while loop bounded by a counter (k < 3, or counting down from n - 1), plus a data test."""
        k = f"k{next(self.counters)}"
        down = self.chance(4)
        if down:        # k runs over start, start - 1, ..., 1: all within [0, n)
            start = self.pick(["2", "n - 1", "1"])
            self.emit(indent, f"{k} = {start}")
            test = f"{k} > 0"
        else:           # k runs over 0, 1, ..., bound - 1 with bound <= n
            self.emit(indent, f"{k} = 0")
            test = f"{k} < {self.pick(['3', '2', 'n - 1', 'n', '1'])}"
        inner = sc.child(ints=sc.ints + [k], in_loop=True)
        data = self.pick([None, "after", "before"])
        if data == "after":
            test = f"{test} and {self.condition(inner, allow_bool=False)}"
        elif data == "before":
            test = f"{self.condition(sc, allow_bool=False)} and {test}"
        self.emit(indent, f"while {test}:")
        self.block(inner, indent + 1, depth + 1)
        step = ["{k} -= 1", "{k} = {k} - 1"] if down else ["{k} += 1", "{k} = {k} + 1"]
        self.emit(indent + 1, self.pick(step).format(k=k))
        return sc

    # -- the whole function
    def prelude(self):
        self.emit(1, "n = x.shape[0]")
        arrays = []
        if not self.chance(8):
            arrays.append("a")
            self.emit(1, "a = np.zeros(n)")
            self.emit(1, "for i in range(n):")
            self.emit(2, self.pick(["a[i] = x[i]", "a[i] = x[i] * p", "a[i] = math.sin(x[i]) + p",
                                    "a[i] = x[i] if x[i] > p else 0.5 * x[i]", "a[i] += x[i]"]))
        if self.chance(4):
            arrays.append("b")
            self.emit(1, "b = np.zeros(n)")
        floats = ["p"]
        assignable = []
        for _ in range(self.draw(st.integers(1, 2))):
            name = self.fresh()
            self.emit(1, f"{name} = {self.pick(['0.0', 'p', '0.5 * p', 'x[0]', 'math.sin(p)', 'x[n - 1] * p'])}")
            floats.append(name)
            assignable.append(name)
        if self.chance(10):
            assignable.append("p")      # the parameter itself is rebound
        ints = []
        if self.chance(3):
            ints.append("c0")           # an integer local, always within [0, n)
            self.emit(1, f"c0 = {self.pick(['0', 'n - 1', '1'])}")
        return Scope(floats, assignable, list(ints), [], arrays, False, list(ints), [])

    def epilogue(self, sc):
        terms = [self.pick(sc.floats[::-1]) for _ in range(self.draw(st.integers(1, 3)))]
        if sc.arrays and self.chance(2):
            acc = self.fresh()
            arr = self.pick(sc.arrays)
            self.emit(1, f"{acc} = 0.0")
            self.emit(1, "for i in range(n):")
            self.emit(2, self.pick(["{r} += {a}[i] * x[i]", "{r} += math.sin({a}[i])", "{r} += {a}[i] * {a}[i]",
                                    "{r} = {r} + 0.5 * {a}[i]"]).format(r=acc, a=arr))
            terms.append(acc)
        elif sc.arrays:
            terms.append(f"{self.pick(sc.arrays)}[{self.pick(['0', 'n - 1', '1'])}]")
        kind = self.weighted([(4, "sum"), (1, "name"), (1, "expr"), (1, "ifexp")])
        if kind == "name" and terms[0] in sc.floats:
            self.emit(1, f"return {terms[0]}")
        elif kind == "ifexp":
            self.emit(1, f"return {' + '.join(terms)} if {self.condition(sc)} else {paren(self.expr(sc, 2))}")
        elif kind == "expr":
            self.emit(1, f"return {paren(self.expr(sc, 2))} + {' + '.join(terms)}")
        else:
            self.emit(1, f"return {' + '.join(terms)}")

    def build(self):
        self.emit(0, "def f(x, p):")
        sc = self.prelude()
        while self.budget > 0:
            sc = self.statement(sc, 1, 0)
        self.epilogue(sc)
        return HEADER + "\n".join(self.lines) + "\n"


@st.composite
def programs(draw):
    source = Builder(draw).build()
    size = draw(st.integers(3, 6))
    # the point comes from a seeded generator: generic values, so no ties (x[0] == x[1]) or
    # values sitting exactly on a threshold, which Hypothesis' own floats would love to produce
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.2, 1.2, size)
    p = float(rng.uniform(-1.2, 1.2))
    return Program(source, x, p)


# ---------------------------------------------------------------------------- the oracle
_DIRECTORY = None
_COUNTER = itertools.count()


def _directory():
    global _DIRECTORY
    if _DIRECTORY is None:
        _DIRECTORY = tempfile.TemporaryDirectory(prefix="s2sad_random_")
    return _DIRECTORY.name


def load(source, directory=None):
    """Write `source` to a fresh .py file (s2sad reads source files) and return its `f`."""
    directory = directory or _directory()
    digest = hashlib.sha1(source.encode()).hexdigest()[:12]
    name = f"random_program_{next(_COUNTER)}_{digest}"
    path = os.path.join(str(directory), name + ".py")
    with open(path, "w") as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


class KinkError(Exception):
    """Finite differences at two step sizes disagree: a branch flips near the point."""


def finite_differences(f, x, p, eps):
    return numerical_grad(f, (x, p), 0, eps=eps), numerical_grad(f, (x, p), 1, eps=eps)


class ProgramTimeout(Exception):
    """s2sad took longer than the limit on one program (a hang: an infinite loop somewhere)."""


def run_in_thread(function, seconds):
    """`function()` in a fresh thread; its exception re-raised here; ProgramTimeout after `seconds`.

    A fresh thread gives the work a shallow, fixed Python stack. Under pytest the main thread
    already holds ~50 frames, and CPython 3.11 then keeps crossing a frame-stack chunk boundary
    during Numba compilation, mapping and unmapping a chunk each time: the same 300 programs took
    nearly twice as long (170 s instead of 91 s). A hang (an infinite loop in the transform) is interrupted by raising
    ProgramTimeout asynchronously in the thread.
    """
    outcome = {}

    def target():
        try:
            function()
        except BaseException as exc:     # noqa: B902 -- handed to the caller
            outcome["exception"] = exc

    thread = threading.Thread(target=target, name="s2sad-random-program", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(ProgramTimeout))
        thread.join(10)
        raise ProgramTimeout(f"no result after {seconds} s")
    if "exception" in outcome:
        raise outcome["exception"]


@contextlib.contextmanager
def private_cache():
    """Numba's on-disk cache of generated code goes to our temporary directory, not ~/.cache:
    the random programs are one-offs, and a warm cache would hide the cost of compiling."""
    old = os.environ.get("S2SAD_CACHE_DIR")
    os.environ["S2SAD_CACHE_DIR"] = os.path.join(_directory(), "cache")
    try:
        yield
    finally:
        if old is None:
            del os.environ["S2SAD_CACHE_DIR"]
        else:
            os.environ["S2SAD_CACHE_DIR"] = old


def check_program(source, x, p, jit=True, directory=None, seconds=120, forward=True):
    """Check s2sad on one program at (x, p), in a worker thread (see `run_in_thread`).

    Raises AssertionError (or s2sad's own error) on a wrong result, ProgramTimeout after
    `seconds`, and KinkError when the point is unusable: the primal is not tame, or central
    differences with steps 1e-6 and 1e-4 disagree (a branch or a while loop's trip count flips
    within a step), so that finite differences cannot judge the gradient there."""
    def check():
        with private_cache():
            _check_program(source, x, p, jit, directory, forward)
    run_in_thread(check, seconds)


def _check_forward_mode(f, x, p, value, gx, gp, source):
    """jvp along a random direction (u, w) is <grad, (u, w)> (the dot-product test against
    reverse mode); hvp along it matches central differences of the gradient, where those agree
    at two step sizes (a kink of the gradient, e.g. abs or a branch, makes them disagree)."""
    rng = np.random.default_rng(int(hashlib.sha1(source.encode()).hexdigest()[:8], 16))
    u, w = rng.standard_normal(x.shape), float(rng.standard_normal())
    value_fw, tangent = s2sad.jvp(f, (x.copy(), p), (u, w), jit=False)
    np.testing.assert_allclose(value_fw, value, rtol=1e-12, atol=1e-14, err_msg="jvp: value")
    np.testing.assert_allclose(tangent, np.dot(gx, u) + gp * w, rtol=1e-9, atol=1e-11,
                               err_msg="jvp: <J u, 1> != <u, J^T 1> (forward and reverse mode disagree)")
    hx, hp = s2sad.hvp(f, (x.copy(), p), (u, w), jit=False)
    gradient = s2sad.grad(f, wrt=(0, 1), jit=False)

    def difference(eps):
        (gx_plus, gp_plus), (gx_minus, gp_minus) = gradient(x + eps * u, p + eps * w), gradient(x - eps * u, p - eps * w)
        return (gx_plus - gx_minus) / (2 * eps), (gp_plus - gp_minus) / (2 * eps)
    fine, coarse = difference(1e-5), difference(1e-3)
    if np.allclose(fine[0], coarse[0], rtol=1e-3, atol=1e-4) and np.isclose(fine[1], coarse[1], rtol=1e-3, atol=1e-4):
        np.testing.assert_allclose(hx, fine[0], rtol=1e-4, atol=1e-6, err_msg="hvp w.r.t. x")
        np.testing.assert_allclose(hp, fine[1], rtol=1e-4, atol=1e-6, err_msg="hvp w.r.t. p")


def _check_program(source, x, p, jit, directory, forward=True):
    f = load(source, directory)
    x = np.asarray(x, dtype=np.float64)
    p = float(p)
    value = f(x.copy(), p)
    if not np.isfinite(value) or abs(value) > 1e6:
        raise KinkError(f"primal value {value} is not tame")
    small = finite_differences(f, x, p, 1e-6)
    large = finite_differences(f, x, p, 1e-4)
    for s, l in zip(small, large):
        if not np.allclose(s, l, rtol=1e-5, atol=1e-5):
            raise KinkError(f"finite differences disagree between step sizes: {s} vs {l}")

    x_in = x.copy()
    value_py, (gx_py, gp_py) = s2sad.value_and_grad(f, wrt=(0, 1), jit=False)(x_in, p)
    np.testing.assert_array_equal(x_in, x, err_msg="jit=False: x was modified")
    np.testing.assert_allclose(value_py, value, rtol=1e-12, atol=1e-14, err_msg="jit=False: value")
    np.testing.assert_allclose(gx_py, small[0], rtol=1e-5, atol=1e-7, err_msg="jit=False: gradient w.r.t. x")
    np.testing.assert_allclose(gp_py, small[1], rtol=1e-5, atol=1e-7, err_msg="jit=False: gradient w.r.t. p")
    # with respect to one argument only, the other is inactive: a different activity analysis
    gx_only = s2sad.grad(f, wrt=0, jit=False)(x.copy(), p)
    np.testing.assert_allclose(gx_only, gx_py, rtol=1e-10, atol=1e-13, err_msg="jit=False: grad(f, wrt=0)")
    gp_only = s2sad.grad(f, wrt=1, jit=False)(x.copy(), p)
    np.testing.assert_allclose(gp_only, gp_py, rtol=1e-10, atol=1e-13, err_msg="jit=False: grad(f, wrt=1)")
    if forward:
        _check_forward_mode(f, x, p, value_py, gx_py, gp_py, source)
    if not jit:
        return
    g = s2sad.value_and_grad(f, wrt=(0, 1), jit=True)
    for call in range(2):          # the second call reuses the tapes handed back by the first
        x_in = x.copy()
        value_nb, (gx_nb, gp_nb) = g(x_in, p)
        np.testing.assert_array_equal(x_in, x, err_msg="jit=True: x was modified")
        np.testing.assert_allclose(value_nb, value_py, rtol=1e-10, atol=1e-13, err_msg=f"jit=True value, call {call}")
        np.testing.assert_allclose(gx_nb, gx_py, rtol=1e-10, atol=1e-13, err_msg=f"jit=True d/dx, call {call}")
        np.testing.assert_allclose(gp_nb, gp_py, rtol=1e-10, atol=1e-13, err_msg=f"jit=True d/dp, call {call}")


def check_property(program, known_bugs, strict):
    """The property both random-program tests assert, with kinks and known bugs discarded."""
    import traceback
    from hypothesis import assume, event, note
    note(program.source)
    note(f"x = np.array({program.x.tolist()!r})\np = {program.p!r}")
    try:
        check_program(program.source, program.x, program.p, jit=True)
    except KinkError as exc:
        note(str(exc))
        event("discarded: finite differences disagree (kink near the point)")
        assume(False)
    except Exception as exc:
        if not strict:
            for bug, matches in known_bugs.items():
                if matches(program.source, exc):
                    note(traceback.format_exc())
                    event(f"discarded: known bug: {bug}")
                    assume(False)
        raise
