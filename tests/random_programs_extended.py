"""Random programs using s2sad's newer constructs, checked by `random_programs.check_program`.

`extended_programs()` is a Hypothesis strategy producing a `random_programs.Program`: the
source of a module (`import math`, `import numpy as np`, `import numba` when a helper is
jitted) that defines 0-3 helper functions and `def f(x, p):`, x a 1-D float64 array of
length 4..6 (the length is drawn first, so that integer label arrays built inside `f` have
the right length) and p a float. The constructs, mixed and nested:

* early exits: `break`, `continue` (inside `if`s) in `for` and `while` loops, `return <expr>`
  inside loops and branches (the function always ends with a return); `while` loops with a
  bounded counter (incremented first in the body, so `continue` cannot hang) and conditions
  built with `and`/`or`/`not`;
* helpers at module level (plain or `@numba.njit`), defined before use, some calling earlier
  helpers, taking scalars and 1-D arrays and returning a scalar, an array, or a tuple that the
  caller unpacks at once (`u, v = h1(a, s)`); helpers never store into their parameters and
  always end with a return (some also return early from a branch);
* vectorised NumPy: elementwise `+ - * /` with scalar-array broadcasting, `np.sin/cos/tanh`,
  `np.exp(np.sin(.))`, `np.log(1 + v * v)`, `np.sqrt(1 + v * v)`, `np.sum/mean/max/min/prod`,
  `np.dot`, `@` (vector.vector, matrix@vector, `m.T @ v`), `np.where`, `np.clip`, slices
  (`[1:-1]`, `[:-2]`, `[2:]`, `[::2]`), slice stores (`a[1:-1] = ...`, `a[1:-1] += ...`),
  a 2-D local `m` (n x 3: `np.outer(x, x[:3])` or `np.expand_dims(.., 1) * np.expand_dims(.., 0)`)
  with row updates `m[i, :] += ...`, `m @ v`, `m.T @ x`, `np.sum(m, axis=0/1)`, norms `np.sqrt(np.sum(v * v) + c)`, array state rebound in loops;
* iteration `for v in arr`, `for i, v in enumerate(arr)`, `for u, v in zip(a, b)`;
* integer and boolean data: `labels = np.array([...])` with values in 0..2 used as gathers
  `m[i, labels[i]]`, masks `mask = x > t` used in `np.where(mask, ...)`;
  `s2sad.stop_gradient` only on non-differentiated data (`s2sad.stop_gradient(c * 1.0)` with c
  an integer), since finite differences of the primal would not see a cut derivative.

Values stay O(1): every update is a contraction or passes through a bounded function, and every
function with a restricted domain is applied to a guarded argument.

`extended_programs(stores=False)` leaves out every element, slice and row store into local arrays.
Not generated: `s2sad.stop_gradient` on differentiated values (the finite-difference oracle cannot
check it), `x.reshape(...)` (supported, not yet generated), integer-array indexing `x[idx]`
(unsupported by s2sad).
"""
import itertools

import hypothesis.strategies as st
import numpy as np

from random_programs import Program, paren

BOUNDED = ["math.sin({0})", "np.sin({0})", "math.cos({0})", "math.tanh({0})", "np.tanh({0})",
           "np.arctan({0})", "({0}) / (1.0 + ({0}) * ({0}))"]
GUARDED = ["math.log(1.0 + {0} * {0})", "math.sqrt(1.0 + {0} * {0})", "np.exp(math.cos({0}))",
           "math.exp(-{0} * {0})", "{0} ** 2", "abs({0})", "-{0}"]
ARRAY_BOUNDED = ["np.sin({0})", "np.cos({0})", "np.tanh({0})", "({0}) / (1.0 + ({0}) * ({0}))"]
ARRAY_GUARDED = ["np.log(1.0 + {0} * {0})", "np.sqrt(1.0 + {0} * {0})", "np.exp(np.sin({0}))",
                 "{0} * {0}", "np.clip({0}, -0.5, 0.6)", "-{0}"]
CONSTANTS = ["0.5", "1.5", "0.3", "2.0", "0.7", "0.25", "(-0.4)"]
THRESHOLDS = ["0.0", "0.3", "-0.2", "0.6", "-0.5", "0.1"]
COMPARE = [">", "<", ">=", "<="]
LOOP_VARS = ["i", "j", "l"]


class Scope:
    def __init__(self, floats, arrays, mutable, ints, loop=None, has_m=False, labels=False,
                 masks=(), in_helper=False):
        self.floats = list(floats)      # float names in scope
        self.arrays = list(arrays)      # 1-D float arrays of length n in scope
        self.mutable = list(mutable)    # local arrays that may be stored into
        self.ints = list(ints)          # integer names within [0, n)
        self.loop = loop                # None, "for" or "while": where break/continue may go
        self.has_m = has_m              # the 2-D local m (n x 3) exists
        self.labels = labels            # the integer array `labels` (values 0..2) exists
        self.masks = list(masks)        # boolean arrays of length n

    def child(self, **changes):
        sc = Scope(self.floats, self.arrays, self.mutable, self.ints, self.loop, self.has_m,
                   self.labels, self.masks)
        for key, value in changes.items():
            setattr(sc, key, value)
        return sc


class Builder:
    def __init__(self, draw, size, stores=True):
        self.stores = stores
        self.draw = draw
        self.size = size
        self.lines = []
        self.names = itertools.count()
        self.budget = draw(st.integers(3, 9))
        self.helpers = []      # (name, kind) kind in scalar, array, reduce, tuple_ss, tuple_sa
        self.jitted = set()    # helpers decorated with @numba.njit
        self.inside_jitted = False   # writing an @numba.njit helper: it may call only jitted ones
        self.uses_numba = False
        self.uses_s2sad = False

    # -- drawing helpers
    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def weighted(self, pairs):
        k = self.draw(st.integers(0, sum(w for w, _ in pairs) - 1))
        for w, value in pairs:
            if k < w:
                return value
            k -= w
        raise AssertionError

    def chance(self, k):
        return self.draw(st.integers(0, k - 1)) == 0

    def emit(self, indent, text):
        self.lines.append("    " * indent + text)

    def fresh(self, prefix="s"):
        return f"{prefix}{next(self.names)}"

    # -- scalar expressions
    def index(self, sc):
        if sc.ints and not self.chance(4):
            i = self.pick(sc.ints)
            return self.pick([i, f"({i} + 1) % n", f"n - 1 - {i}", f"min({i} + 1, n - 1)"])
        return self.pick(["0", "1", "n - 1", "2"])

    def scalar_atom(self, sc):
        kind = self.draw(st.integers(0, 9))
        if kind <= 3:
            return self.pick(sc.floats)
        if kind <= 5:
            return f"{self.pick(sc.arrays)}[{self.index(sc)}]"
        if kind == 6:
            return self.pick(CONSTANTS)
        if kind == 7 and sc.has_m:
            return f"m[{self.index(sc)}, {self.pick(['0', '1', '2'])}]"
        if kind == 8:
            return self.reduction(sc, 0)
        return self.pick(sc.floats)

    def scalar(self, sc, depth):
        if depth <= 0:
            return self.scalar_atom(sc)
        kind = self.draw(st.integers(0, 6))
        a = self.scalar(sc, depth - 1)
        if kind <= 1:
            b = self.scalar(sc, depth - 1)
            return f"{paren(a)} {self.pick(['+', '-', '*'])} {paren(b)}"
        if kind == 2:
            b = self.scalar(sc, depth - 1)
            return f"{paren(a)} / (2.0 + {self.pick(BOUNDED).format(b)})"
        if kind == 3:
            return self.pick(BOUNDED).format(a)
        if kind == 4:
            return self.pick(GUARDED).format(paren(self.bounded(sc, depth - 1)))
        if kind == 5 and self.helpers and self.chance(2):
            call = self.helper_call(sc, want="scalar")
            if call:
                return call
        return self.pick(BOUNDED).format(a)

    def bounded(self, sc, depth):
        return self.pick(BOUNDED).format(self.scalar(sc, depth))

    def condition(self, sc):
        kind = self.draw(st.integers(0, 5))
        base = f"{paren(self.scalar(sc, self.draw(st.integers(0, 1))))} {self.pick(COMPARE)} {self.pick(THRESHOLDS)}"
        if kind == 0:
            return f"not ({base})"
        if kind == 1:
            other = f"{paren(self.scalar_atom(sc))} {self.pick(COMPARE)} {self.pick(THRESHOLDS)}"
            return f"{base} {self.pick(['and', 'or'])} {other}"
        if kind == 2 and sc.ints:
            return f"{self.pick(sc.ints)} % 2 == {self.pick(['0', '1'])}"
        if kind == 3 and sc.masks and sc.ints:
            return f"{self.pick(sc.masks)}[{self.pick(sc.ints)}]"
        return base

    # -- array expressions (length n)
    def array_atom(self, sc):
        return self.pick(sc.arrays)

    def array(self, sc, depth):
        if depth <= 0:
            return self.array_atom(sc)
        kind = self.draw(st.integers(0, 9))
        a = self.array(sc, depth - 1)
        if kind <= 1:
            return f"{paren(a)} {self.pick(['+', '-', '*'])} {paren(self.array(sc, depth - 1))}"
        if kind == 2:
            return f"{paren(self.scalar(sc, 0))} {self.pick(['*', '+', '-'])} {paren(a)}"
        if kind == 3:
            return f"{paren(a)} / (1.5 + {paren(a)} * {paren(a)})" \
                if self.chance(3) else f"{paren(a)} / (2.0 + np.sin({a}))"
        if kind == 4:
            return self.pick(ARRAY_BOUNDED).format(a)
        if kind == 5:
            return self.pick(ARRAY_GUARDED).format(paren(self.pick(ARRAY_BOUNDED).format(a)))
        if kind == 6:
            cond = (self.pick(sc.masks) if sc.masks and self.chance(2)
                    else f"{paren(a)} {self.pick(COMPARE)} {self.pick(THRESHOLDS)}")
            return f"np.where({cond}, {a}, {paren(self.array(sc, depth - 1))})"
        if kind == 7 and sc.has_m:
            v3 = self.pick(["x[:3]", "x[1:4]", f"np.sin({self.array_atom(sc)}[:3])"])
            return f"np.tanh(m @ {v3})"
        if kind == 8 and self.helpers and self.chance(2):
            call = self.helper_call(sc, want="array")
            if call:
                return call
        return self.pick(ARRAY_BOUNDED).format(a)

    def reduction(self, sc, depth):
        a = self.array(sc, depth)
        kind = self.draw(st.integers(0, 11))
        b = self.array_atom(sc)
        options = [
            f"np.sum({self.pick(ARRAY_BOUNDED).format(a)})", f"np.mean({a})", f"np.max({a})", f"np.min({a})",
            f"np.prod(1.0 + 0.2 * np.sin({a}))", f"np.dot({a}, {b})", f"{paren(a)} @ {b}",
            f"np.sqrt(np.sum({paren(a)} * {paren(a)}) + 0.1)",
            f"np.sum({paren(self.pick(sc.arrays))}[1:-1] * {paren(self.pick(sc.arrays))}[:-2])",
            f"np.sum({self.pick(sc.arrays)}[::2])", f"np.mean({self.pick(sc.arrays)}[2:])",
        ]
        if sc.has_m:
            options.append(self.pick([f"np.sum(np.tanh(m @ x[:3]))", "np.sum(m.T @ x)",
                                      "np.sum(np.sum(m, axis=1))", "np.sum(np.sum(m * m, axis=0))"]))
        text = options[kind % len(options)]
        return f"0.3 * {text}" if self.chance(2) else text

    # -- helper calls
    def helper_call(self, sc, want):
        kinds = {"scalar": ("scalar", "reduce"), "array": ("array",), "tuple": ("tuple_ss", "tuple_sa")}[want]
        candidates = [h for h in self.helpers if h[1] in kinds]
        if not candidates:
            return None
        name, kind = self.pick(candidates)
        if kind == "scalar":
            return f"{name}({self.scalar(sc, 0)}, {self.scalar(sc, 0)})"
        if kind == "reduce":
            return f"{name}({self.pick(sc.arrays)}, {self.scalar(sc, 0)})"
        return f"{name}({self.array(sc, self.draw(st.integers(0, 1)))}, {self.scalar(sc, 0)})"

    # -- statements
    def block(self, sc, indent, depth, size=None):
        size = size if size is not None else self.draw(st.integers(1, 3))
        for _ in range(size):
            sc = self.statement(sc, indent, depth)
        return sc

    def statement(self, sc, indent, depth):
        self.budget -= 1
        options = [(4, self.stmt_scalar), (3, self.stmt_array), (2, self.stmt_store),
                   (1, self.stmt_slice_store)]
        if sc.has_m and self.stores:
            options.append((1, self.stmt_row))
        if self.helpers:
            options.append((2, self.stmt_helper))
        if depth < 3 and self.budget > 0:
            options += [(3, self.stmt_for), (2, self.stmt_iter), (2, self.stmt_while), (2, self.stmt_if)]
        if sc.loop:
            options.append((3, self.stmt_exit))
        if depth > 0:
            options.append((1, self.stmt_return))
        weights = [w for w, _ in options]
        k = self.draw(st.integers(0, sum(weights) - 1))
        for w, stmt in options:
            if k < w:
                return stmt(sc, indent, depth)
            k -= w
        raise AssertionError

    def stmt_scalar(self, sc, indent, depth):
        targets = [v for v in sc.floats if v != "p"]
        e = self.scalar(sc, self.draw(st.integers(0, 2)))
        if targets and not self.chance(3):
            v = self.pick(targets)
            form = self.pick(["{v} = 0.5 * {v} + 0.3 * {b}", "{v} += 0.2 * {b}", "{v} = math.tanh({v} + {e})",
                              "{v} -= 0.1 * {b}", "{v} *= 0.5 + 0.3 * {b}"])
            self.emit(indent, form.format(v=v, e=e, b=paren(self.pick(BOUNDED).format(e))))
            return sc
        name = self.fresh()
        self.emit(indent, f"{name} = {self.pick(BOUNDED).format(e)}")
        return sc.child(floats=sc.floats + [name])

    def stmt_array(self, sc, indent, depth):
        targets = [a for a in sc.arrays if a != "x"]
        e = self.array(sc, self.draw(st.integers(1, 2)))
        if targets and not self.chance(3):
            y = self.pick(targets)
            form = self.pick(["{y} = {y} + 0.1 * np.tanh({y} * {s})", "{y} = 0.5 * {y} + 0.3 * {b}",
                              "{y} = {y} - 0.2 * {b}", "{y} += 0.1 * {b}"])
            self.emit(indent, form.format(y=y, s=paren(self.scalar(sc, 0)), b=paren(self.pick(ARRAY_BOUNDED).format(e))))
            return sc
        name = self.fresh("y")
        self.emit(indent, f"{name} = {self.pick(ARRAY_BOUNDED).format(e)}")
        return sc.child(arrays=sc.arrays + [name])

    def stmt_store(self, sc, indent, depth):
        if not sc.mutable:
            return self.stmt_scalar(sc, indent, depth)
        a = self.pick(sc.mutable)
        e = self.bounded(sc, self.draw(st.integers(0, 2)))
        form = self.pick(["{a}[{i}] = {e}", "{a}[{i}] += 0.2 * {e}", "{a}[{i}] = 0.5 * {a}[{j}] + 0.3 * {e}",
                          "{a}[{i}] *= 0.5 + 0.3 * {e}"])
        self.emit(indent, form.format(a=a, i=self.index(sc), j=self.index(sc), e=e))
        return sc

    def stmt_slice_store(self, sc, indent, depth):
        if not sc.mutable:
            return self.stmt_array(sc, indent, depth)
        a = self.pick(sc.mutable)
        b = self.pick(sc.arrays)
        form = self.pick(["{a}[1:-1] = 0.5 * ({a}[:-2] + {a}[2:])", "{a}[1:-1] += 0.1 * np.sin({b}[2:] * {s})",
                          "{a}[1:-1] = {a}[1:-1] + 0.2 * ({b}[:-2] - 2.0 * {b}[1:-1] + {b}[2:])",
                          "{a}[::2] = 0.5 * np.tanh({a}[::2] + {s})", "{a}[2:] -= 0.1 * {b}[:-2]"])
        self.emit(indent, form.format(a=a, b=b, s=paren(self.scalar(sc, 0))))
        return sc

    def stmt_row(self, sc, indent, depth):
        i = self.index(sc)
        form = self.pick(["m[{i}, :] += 0.1 * np.sin(m[{j}, :] * {s})", "m[{i}, :] = 0.5 * m[{i}, :] + 0.2 * {s}",
                          "m[{i}, {k}] = np.tanh(m[{i}, {k}] + {s})"])
        self.emit(indent, form.format(i=i, j=self.index(sc), k=self.pick(["0", "1", "2"]),
                                      s=paren(self.bounded(sc, 0))))
        return sc

    def stmt_helper(self, sc, indent, depth):
        call = self.helper_call(sc, want="tuple") if self.chance(2) else None
        if call:
            kind = [k for n, k in self.helpers if call.startswith(n + "(")][0]
            u = self.fresh()
            if kind == "tuple_ss":
                v = self.fresh()
                self.emit(indent, f"{u}, {v} = {call}")
                return sc.child(floats=sc.floats + [u, v])
            v = self.fresh("y")
            self.emit(indent, f"{u}, {v} = {call}")
            return sc.child(floats=sc.floats + [u], arrays=sc.arrays + [v])
        if self.chance(2):
            call = self.helper_call(sc, want="array")
            if call:
                v = self.fresh("y")
                self.emit(indent, f"{v} = {call}")
                return sc.child(arrays=sc.arrays + [v])
        call = self.helper_call(sc, want="scalar")
        if call:
            targets = [v for v in sc.floats if v != "p"]
            if targets and self.chance(2):
                v = self.pick(targets)
                self.emit(indent, f"{v} = 0.5 * {v} + 0.3 * math.tanh({call})")
                return sc
            v = self.fresh()
            self.emit(indent, f"{v} = math.tanh({call})")
            return sc.child(floats=sc.floats + [v])
        return self.stmt_scalar(sc, indent, depth)

    def stmt_if(self, sc, indent, depth):
        self.emit(indent, f"if {self.condition(sc)}:")
        self.block(sc, indent + 1, depth + 1)
        if self.chance(3):
            self.emit(indent, f"elif {self.condition(sc)}:")
            self.block(sc, indent + 1, depth + 1)
        if self.chance(2):
            self.emit(indent, "else:")
            self.block(sc, indent + 1, depth + 1)
        return sc

    def stmt_for(self, sc, indent, depth):
        used = [v for v in LOOP_VARS if v in sc.ints]
        free = [v for v in LOOP_VARS if v not in sc.ints]
        if not free:
            return self.stmt_scalar(sc, indent, depth)
        var = free[0]
        rng = self.pick(["range(n)", "range(n - 1, -1, -1)", "range(1, n)", "range(0, n, 2)", "range(3)",
                         "range(x.shape[0])"] + ([f"range({used[-1]}, n)"] if used else []))
        self.emit(indent, f"for {var} in {rng}:")
        self.block(sc.child(ints=sc.ints + [var], loop="for"), indent + 1, depth + 1)
        return sc

    def stmt_iter(self, sc, indent, depth):
        kind = self.draw(st.integers(0, 2))
        v = self.fresh("v")
        # never iterate over an array the body may update in place (aliasing is not the point)
        arr = self.pick([a for a in sc.arrays if a not in sc.mutable])
        if kind == 0:
            self.emit(indent, f"for {v} in {arr}:")
            inner = sc.child(floats=sc.floats + [v], loop="for")
        elif kind == 1:
            free = [c for c in LOOP_VARS if c not in sc.ints]
            if not free:
                return self.stmt_scalar(sc, indent, depth)
            self.emit(indent, f"for {free[0]}, {v} in enumerate({arr}):")
            inner = sc.child(floats=sc.floats + [v], ints=sc.ints + [free[0]], loop="for")
        else:
            w = self.fresh("v")
            other = self.pick([a for a in sc.arrays if a not in sc.mutable])
            if self.chance(3) and sc.labels:
                # an integer array zipped with a float one
                self.emit(indent, f"for {v}, {w} in zip({arr}, labels):")
                inner = sc.child(floats=sc.floats + [v], loop="for")
                lab = self.fresh()
                self.emit(indent + 1, f"{lab} = {v} * (0.5 + 0.25 * {w})")
                inner = inner.child(floats=inner.floats + [lab])
            else:
                self.emit(indent, f"for {v}, {w} in zip({arr}, {other}):")
                inner = sc.child(floats=sc.floats + [v, w], loop="for")
        self.block(inner, indent + 1, depth + 1)
        return sc

    def stmt_while(self, sc, indent, depth):
        k = self.fresh("k")
        self.emit(indent, f"{k} = 0")
        bound = self.pick(["3", "n", "n - 1", "2"])
        data = self.condition(sc)
        test = self.pick([f"{k} < {bound}", f"{k} < {bound} and ({data})", f"({data}) and {k} < {bound}",
                          f"{k} < {bound} and not ({data})", f"{k} < {bound} and ({data} or {k} % 2 == 0)"])
        self.emit(indent, f"while {test}:")
        self.emit(indent + 1, self.pick([f"{k} += 1", f"{k} = {k} + 1"]))
        # k - 1 is the iteration's index: in [0, n)
        inner = sc.child(loop="while")
        self.block(inner, indent + 1, depth + 1)
        return sc

    def stmt_exit(self, sc, indent, depth):
        kind = self.pick(["break", "continue", "return"])
        self.emit(indent, f"if {self.condition(sc)}:")
        if kind == "return":
            self.emit(indent + 1, f"return {self.final_expr(sc)}")
        else:
            if self.chance(2):
                self.block(sc.child(loop=None), indent + 1, depth + 1, size=1)
            self.emit(indent + 1, kind)
        return sc

    def stmt_return(self, sc, indent, depth):
        self.emit(indent, f"if {self.condition(sc)}:")
        self.emit(indent + 1, f"return {self.final_expr(sc)}")
        return sc

    def final_expr(self, sc):
        terms = [self.pick(sc.floats) for _ in range(self.draw(st.integers(1, 2)))]
        terms.append(self.reduction(sc, self.draw(st.integers(0, 1))))
        return " + ".join(terms)

    # -- helpers
    def helper(self):
        name = f"h{len(self.helpers)}"
        kind = self.pick(["scalar", "array", "reduce", "tuple_ss", "tuple_sa"])
        jit = self.chance(3)
        if jit:
            self.uses_numba = True
            self.jitted.add(name)
            self.emit(0, "@numba.njit")
        self.inside_jitted = jit
        if kind == "scalar":
            self.emit(0, f"def {name}(a, b):")
            sc = Scope(["a", "b"], ["np.ones(3)"], [], [])
        else:
            self.emit(0, f"def {name}(v, b):")
            sc = Scope(["b"], ["v"], [], [])
            self.emit(1, "n = v.shape[0]")
        # bodies: a few statements, maybe a loop or an early return; earlier helpers callable
        saved, self.budget = self.budget, self.draw(st.integers(1, 3))
        if kind == "scalar":
            sc.arrays = []
            # no arrays in a scalar helper: keep scalar statements only
            t = self.fresh("t")
            self.emit(1, f"{t} = {self.pick(BOUNDED).format(self.helper_scalar(sc))}")
            sc.floats.append(t)
            if self.chance(2):
                self.emit(1, f"if {self.helper_scalar(sc)} {self.pick(COMPARE)} {self.pick(THRESHOLDS)}:")
                self.emit(2, f"return {t} * {self.pick(BOUNDED).format(self.helper_scalar(sc))}")
            if self.chance(2):
                self.emit(1, "for i in range(3):")
                self.emit(2, f"{t} = 0.5 * {t} + 0.3 * {self.pick(BOUNDED).format(self.helper_scalar(sc) + ' * ' + t)}")
                if self.chance(2):
                    self.emit(2, f"if {t} {self.pick(COMPARE)} {self.pick(THRESHOLDS)}:")
                    self.emit(3, self.pick(["break", "continue"]))
            self.emit(1, f"return {t} + {self.helper_scalar(sc)}")
        else:
            w = self.fresh("w")
            if self.chance(2):
                self.emit(1, f"{w} = np.zeros(n)")
                self.emit(1, "for i in range(n):")
                self.emit(2, f"{w}[i] = {self.pick(BOUNDED).format('v[i] * b')}")
                if self.chance(2):
                    self.emit(2, f"if v[i] {self.pick(COMPARE)} {self.pick(THRESHOLDS)}:")
                    self.emit(3, self.pick(["break", "continue"]))
            else:
                self.emit(1, f"{w} = {self.pick(ARRAY_BOUNDED).format(self.array(sc, 1))}")
            sc.arrays.append(w)
            if self.chance(3):
                self.emit(1, f"if v[0] {self.pick(COMPARE)} {self.pick(THRESHOLDS)}:")
                self.emit(2, "return " + self.helper_result(kind, sc, w))
            self.emit(1, "return " + self.helper_result(kind, sc, w))
        self.budget = saved
        self.emit(0, "")
        self.emit(0, "")
        self.helpers.append((name, kind))
        self.inside_jitted = False

    def _callable(self, helper):
        """An @numba.njit helper cannot call a plain Python one (Numba cannot type it)."""
        return not self.inside_jitted or helper in self.jitted

    def helper_scalar(self, sc):
        callable_ = [n for n, k in self.helpers if k == "scalar" and self._callable(n)]
        if callable_ and self.chance(3):
            return f"{self.pick(callable_)}({self.pick(sc.floats)}, {self.pick(sc.floats)})"
        a, b = self.pick(sc.floats), self.pick(sc.floats)
        return self.pick([f"{a} * {b}", f"{a} - {b}", f"{a} + 0.5 * {b}", f"{a}", f"{a} / (2.0 + math.sin({b}))"])

    def helper_result(self, kind, sc, w):
        red = self.reduction(sc, 0)
        reducers = [n for n, k in self.helpers if k == "reduce" and self._callable(n)]
        if reducers and self.chance(2):
            red = f"{red} + {self.pick(reducers)}({w}, b)"
        if kind == "array":
            return self.pick([f"{w} * b + 0.5 * v", f"np.tanh({w} + v * b)", f"{w}"])
        if kind == "reduce":
            return red
        if kind == "tuple_ss":
            return f"{red}, b * {self.pick(BOUNDED).format(red)}"
        return f"{red}, 0.5 * {w} + 0.1 * v"

    # -- the whole module
    def prelude(self):
        self.emit(1, "n = x.shape[0]")
        arrays, mutable = ["x"], []
        if not self.chance(4):
            self.emit(1, self.pick(["a = x.copy()", "a = np.sin(x) * p", "a = np.zeros(n)"]))
            arrays.append("a")
            if self.stores:
                mutable.append("a")
        has_m = self.chance(2)
        if has_m:
            self.emit(1, self.weighted([(3, "m = np.expand_dims(x, 1) * np.expand_dims(x[:3], 0)"),
                                        (2, "m = np.expand_dims(np.sin(x), 1) * np.expand_dims(x[:3] * p, 0)"),
                                        (2, "m = np.outer(x, x[:3])")]))
        labels = self.chance(3)
        if labels:
            values = [self.draw(st.integers(0, 2)) for _ in range(self.size)]
            self.emit(1, f"labels = np.array({values!r})")
        masks = []
        if self.chance(3):
            self.emit(1, f"mask = x {self.pick(COMPARE)} {self.pick(THRESHOLDS)}")
            masks.append("mask")
        floats = ["p"]
        s = self.fresh()
        self.emit(1, f"{s} = {self.pick(['0.0', 'p', '0.5 * p', 'x[0]', 'math.sin(p)'])}")
        floats.append(s)
        if self.chance(4):
            self.uses_s2sad = True
            self.emit(1, "c0 = n - 2")
            s = self.fresh()
            self.emit(1, f"{s} = s2sad.stop_gradient(c0 * 1.0) * 0.1")
            floats.append(s)
        sc = Scope(floats, arrays, mutable, [], has_m=has_m, labels=labels, masks=masks)
        if has_m and labels:
            # gathers with the label array
            s = self.fresh()
            self.emit(1, f"{s} = 0.0")
            self.emit(1, "for i in range(n):")
            self.emit(2, self.pick([f"{s} += m[i, labels[i]] * p", f"{s} = 0.5 * {s} + np.tanh(m[i, labels[i]])"]))
            if self.stores and self.chance(2):
                self.emit(2, f"m[i, labels[i]] = 0.5 * m[i, labels[i]] + 0.1 * {s}")
            sc.floats.append(s)
        return sc

    def build(self):
        for _ in range(self.draw(st.integers(0, 3))):
            self.helper()
        self.emit(0, "def f(x, p):")
        sc = self.prelude()
        while self.budget > 0:
            sc = self.statement(sc, 1, 0)
        self.emit(1, f"return {self.final_expr(sc)}")
        header = "import math\n\n"
        if self.uses_numba:
            header += "import numba\n"
        header += "import numpy as np\n"
        if self.uses_s2sad:
            header += "\nimport s2sad\n"
        return header + "\n\n" + "\n".join(self.lines) + "\n"


@st.composite
def extended_programs(draw, stores=True):
    """stores=False: no element, slice or row stores into local arrays (`a`, `m`), which
    keeps programs clear of the open bug test_whole_array_read_then_element_store."""
    size = draw(st.integers(4, 6))
    source = Builder(draw, size, stores).build()
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.2, 1.2, size)
    p = float(rng.uniform(-1.2, 1.2))
    return Program(source, x, p)
