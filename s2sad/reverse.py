"""Reverse-mode transform: one function holding a forward sweep and a reverse sweep.

Takes the three-address body (see `normalize.anf`), inferred types and activity; returns
the statements of the forward sweep, the reverse sweep, and what the tapes need.

The reverse sweep has explicit control flow: a `for` loop runs backwards over the same
indices, a `while` loop runs its recorded trip count, an `if` replays its recorded branch.
Values are made available to the reverse sweep by three means, cheapest first:

* *still there*: a value assigned once and never overwritten (parameters, names assigned
  once outside loops, the loop variable of an enclosing loop replayed by the reverse loop);
* *recomputed*: within a block of straight-line code the reverse sweep recomputes the
  intermediate values its adjoints need from the values the block started with;
* *saved*: a value the block starts with that may be overwritten later (a loop-carried
  scalar) is saved when the block starts, on a tape inside loops, in a named local
  outside them; an element read from an array that is written somewhere is saved when read.

So a loop body that only reads its arrays (a Rosenbrock sum) needs no tape at all, and an
ODE step `x = x + dt * f(x)` saves exactly its state per step.
"""
import copy

import gast
import numpy as np

from . import rules
from .helpers import user_function
from .aliasing import alias_groups
from .anf_info import is_simple, read_names, stored_array, target_name, walk_statements
from .fused_loops import FusedLoops
from .invariant_saves import InvariantSaves
from .sweeps import ENTRY, TAPES, Counts, Ctx, GrowthPoint, Op
from .codegen import comment, index_src, name, src, stmt, stmts
from .normalize import origin_of
from .runtime import MAX_TAPE_NDIM, pop_name
from .simplify import simplify
from .subset import step_value
from .numpy_types import ASTYPE, array_index_kind, index_value
from .types import BOOL, FLOAT, INT, Array, TupleType

_METHODS = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod,
            "copy": np.copy, "dot": np.dot, "transpose": np.transpose, "reshape": np.reshape,
            "ravel": np.ravel, "astype": ASTYPE}


def _literal_step(loop):
    """The step of `for i in range(...)` (1 when omitted), None for a `while` loop."""
    if not isinstance(loop, gast.For):
        return None
    args = loop.iter.args
    return step_value(args[2]) if len(args) == 3 else 1


def loop_start_end(tr, loop):
    """First and last program positions of `loop` and its body."""
    positions = [tr.position[id(n)] for n, _ in walk_statements([loop])]
    return min(positions), max(positions)


def _without_copy(expr):
    if isinstance(expr, gast.Call) and isinstance(expr.func, gast.Attribute) and expr.func.attr == "copy" \
            and not expr.args:
        return expr.func.value
    return expr


class ReverseTransform(InvariantSaves, FusedLoops):
    def __init__(self, fdef, origins, types, activity, resolver, namer, location, wrt):
        self.fdef = fdef
        self.origins = origins
        self.types = types
        self.active = activity.active
        self.resolver = resolver
        self.namer = namer
        self.location = location
        self.wrt = wrt
        self.params = [a.id for a in fdef.args.args]
        self.locals = set(types) | set(self.params)
        self.tapes_used = set()
        self.growth_points = []
        self.adj_names = {}
        self.dependencies = {}      # generated helper derivatives this code calls
        self._tape_names = {t: (namer.fresh(f"{t}_tape"), namer.fresh(f"{t}_top")) for t in TAPES}
        self.helper = False
        self.fuse_loops = True
        self.early_adjoints = set()  # adjoints initialised before a fused loop (see fused_for_unit)
        self.fused_definitions = {}  # name -> position, for names a fused loop assigns once at its top level
        self.fused_accumulators = set()  # the sums of the fused loop being transformed
        self.fused_seed_names = {}       # their adjoints -> the names of their seeds
        self.fused_loops = 0             # how many loops were fused so far
        self._index_statements()

    # ------------------------------------------------------------------ analysis
    def _index_statements(self):
        self.position = {}
        self.defs = {}           # name -> [(position, in_loop)]
        self.uses = {}           # name -> [position]
        self.stored = set()      # arrays written element-wise somewhere
        self.store_positions = {}
        self.origin_size = {}    # origin -> number of simple ANF statements
        # origins a renaming left unfaithful are emitted as their expansion (see split_names)
        self.compound_origins = set(getattr(self.fdef, "s2sad_unfaithful_origins", ()))
        self.block_of = {}       # id(stmt) -> block id
        for p in self.params:
            self.defs[p] = [(-1, False)]
        for pos, (node, in_loop) in enumerate(walk_statements(self.fdef.body)):
            self.position[id(node)] = pos
            origin = origin_of(node)
            if is_simple(node):
                self.origin_size[origin] = self.origin_size.get(origin, 0) + 1
                for n in read_names(node, self.locals):
                    self.uses.setdefault(n, []).append(pos)
                t = target_name(node)
                if t:
                    self.defs.setdefault(t, []).append((pos, in_loop))
                if stored_array(node):
                    self.stored.add(stored_array(node))
                    self.store_positions.setdefault(stored_array(node), []).append(pos)
            else:
                self.compound_origins.add(origin)
                if isinstance(node, gast.For):
                    self.defs.setdefault(node.target.id, []).append((pos, True))
                for n in self._names(getattr(node, "test", None) or getattr(node, "iter", None)
                                     or (node.value if isinstance(node, gast.Expr) else None)):
                    self.uses.setdefault(n, []).append(pos)
        self.alias_group = alias_groups(self.fdef.body, self.types)
        self.stable = {n for n, ds in self.defs.items() if len(ds) == 1 and not ds[0][1]}
        self.definition = {}     # name assigned once -> its statement
        self.loop_of = {}        # id(statement) -> (innermost enclosing loop, directly in its body?)
        self.unconditional = set(self.params)   # names assigned outside every branch and loop
        self.deferred_adjoints = set()           # set by the caller: see BlockPlan._deferred_inits
        self.enclosing_loops = {}    # id(statement) -> the loops around it, innermost first
        self.statement_list = {}     # id(statement) -> (the list it is in, its index there)
        self.hoisted = {}            # id(loop) -> names saved once around it (see invariant_loop)
        self._index_loops(self.fdef.body, None, False)
        self._index_loop_spans()
        self._find_block_locals()

    def _index_loops(self, body, loop, nested, top=True, enclosing=()):
        for k, node in enumerate(body):
            self.enclosing_loops[id(node)] = enclosing
            self.statement_list[id(node)] = (body, k)
            if top and is_simple(node) and target_name(node):
                self.unconditional.add(target_name(node))
            self.loop_of[id(node)] = (id(loop) if loop is not None else None, not nested)
            t = target_name(node) if is_simple(node) else None
            if t and len(self.defs.get(t, [])) == 1:
                self.definition[t] = node
            if isinstance(node, (gast.For, gast.While)):
                self._index_loops(node.body, node, False, False, (node,) + enclosing)
            elif isinstance(node, gast.If):
                self._index_loops(node.body, loop, True, False, enclosing)
                self._index_loops(node.orelse, loop, True, False, enclosing)

    def _index_loop_spans(self):
        """`outer_loop_start[pos]`: where the outermost loop around position `pos` starts;
        `loop_at[pos]`: the loop statement at `pos`; `statement_at[pos]`: any statement."""
        self.outer_loop_start, self.loop_at = {}, {}
        self.statement_at = {p: n for n, p in ((n, self.position[id(n)]) for n, _ in
                                                walk_statements(self.fdef.body))}

        def visit(body, start):
            for node in body:
                pos = self.position[id(node)]
                self.outer_loop_start[pos] = start if start is not None else pos
                if isinstance(node, (gast.For, gast.While)):
                    self.loop_at[pos] = node
                    visit(node.body, start if start is not None else pos)
                elif isinstance(node, gast.If):
                    visit(node.body, start)
                    visit(node.orelse, start)
        visit(self.fdef.body, None)

    def element_may_change(self, node):
        """May the element that `t = a[index]` reads be overwritten before the reverse sweep
        comes back to this statement? If not, the reverse sweep reads it live: no tape.

        Later stores (or stores anywhere in the loop around the read, which run in later
        iterations) into `a`'s memory are harmless only when they provably hit other
        elements. Proven here for recurrences over the outermost loop around the read,
        `for i in range(...)` with a literal step: a read of `a[i + c]` and every later
        store `a[i + d]` (same position of the index) never meet when d > c (d >= c for a
        store before the read in the loop body), mirrored for descending loops. A store
        after that loop, or a rebinding of `a`, may change it."""
        value = node.value
        array = value.value.id
        pos = self.position[id(node)]
        start = self.outer_loop_start.get(pos, pos)
        group = self.alias_group.get(array, {array})
        if any(self.defined_from(m, start) for m in group):
            return True
        later = [p for m in group for p in self.store_positions.get(m, []) if p > pos or p >= start]
        if not later:
            return False
        loop = self.loop_at.get(start)
        if loop is None or start == pos:
            return True
        step = _literal_step(loop)
        if step is None:
            return True
        read = self._offsets(value.slice, loop.target.id)
        first, last = loop_start_end(self, loop)

        def disjoint(d, c, after_the_read):
            if d is None or c is None:
                return False
            if step > 0:
                return d > c if after_the_read else d >= c
            return d < c if after_the_read else d <= c
        for p in later:
            if not first <= p <= last:
                return True
            store = self.statement_at[p]
            target = store.targets[0] if isinstance(store, gast.Assign) else store.target
            written = self._offsets(target.slice, loop.target.id)
            if not any(disjoint(d, read.get(k), p > pos) for k, d in written.items()):
                return True
        return False

    def _offsets(self, index, var):
        """{position in the index: c} for the components that are `var + c` (c an int literal)."""
        parts = index.elts if isinstance(index, gast.Tuple) else [index]
        out = {}
        for k, part in enumerate(parts):
            out[k] = self._offset(part, var, 0)
        return out

    def _offset(self, expr, var, depth):
        if isinstance(expr, gast.Name):
            if expr.id == var:
                return 0
            node = self.definition.get(expr.id)
            if node is not None and depth < 4 and isinstance(node, gast.Assign):
                return self._offset(node.value, var, depth + 1)
            return None
        if isinstance(expr, gast.BinOp) and isinstance(expr.op, (gast.Add, gast.Sub)) and \
                isinstance(expr.right, gast.Constant) and isinstance(expr.right.value, int) and \
                not isinstance(expr.right.value, bool):
            base = self._offset(expr.left, var, depth + 1)
            if base is None:
                return None
            return base + expr.right.value if isinstance(expr.op, gast.Add) else base - expr.right.value
        return None

    def rematerialize(self, n, ctx, first, seen=None):
        """Statements recomputing `n` as of the start of the block whose first statement is `first`.

        Possible when `n` is assigned once, unconditionally, earlier in the same loop iteration,
        from values that are still there (recursively). Returns None when not possible."""
        seen = set() if seen is None else seen
        node = self.definition.get(n)
        if node is None or n in seen or not ctx.in_loop:
            return None
        loop, direct = self.loop_of[id(node)]
        if not direct or loop != self.loop_of[id(first)][0] or self.position[id(node)] >= self.position[id(first)]:
            return None
        value = node.value
        if isinstance(value, gast.Call) and self.resolver.is_global_ref(value.func) and \
                user_function(self.resolver.value_of(value.func)) is not None:
            return None                      # recomputing a helper may cost more than saving
        if isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name) and \
                value.value.id in self.stored:
            return None                      # the array may have changed since
        seen.add(n)
        chain = []
        for m in read_names(node, self.locals):
            if self.available(m, ctx, self.position[id(first)]):
                continue
            inner = self.rematerialize(m, ctx, first, seen)
            if inner is None:
                return None
            chain += [s for s in inner if s not in chain]
        return chain + [node]

    def _names(self, node):
        if node is None:
            return []
        return [n.id for n in gast.walk(node) if isinstance(n, gast.Name) and n.id in self.locals]

    def _find_block_locals(self):
        """Names assigned once and read only later in the same straight-line block."""
        self.block_local = set()
        blocks = []

        def collect(body):
            run = []
            for node in body:
                if is_simple(node):
                    run.append(node)
                    continue
                if run:
                    blocks.append(run)
                run = []
                for field in ("body", "orelse"):
                    collect(getattr(node, field, []) or [])
            if run:
                blocks.append(run)
        collect(self.fdef.body)
        for block in blocks:
            first_def, reads = {}, {}
            for j, node in enumerate(block):
                for n in read_names(node, self.locals):
                    reads.setdefault(n, []).append(j)
                t = target_name(node)
                if t and t not in first_def:
                    first_def[t] = j
            for n, j in first_def.items():
                if (n not in self.params and len(self.defs.get(n, [])) == 1
                        and len(self.uses.get(n, [])) == len(reads.get(n, []))
                        and all(r > j for r in reads.get(n, []))):
                    self.block_local.add(n)

    def adj(self, n):
        if n not in self.adj_names:
            self.adj_names[n] = self.namer.fresh(f"{n}_adj")
        return self.adj_names[n]

    def is_scalar(self, n):
        return self.types.get(n) in (FLOAT, INT, BOOL)

    def defined_from(self, n, pos):
        """Is `n` assigned at or after program position `pos`?"""
        return any(p >= pos for p, _ in self.defs.get(n, []))

    def available(self, n, ctx, pos):
        """Does `n` still hold, in the reverse sweep, the value it had at `pos`?"""
        if n in ctx.loop_vars:
            return True
        if ctx.fused and self.fused_definitions.get(n, pos) < pos:
            return True             # assigned once, earlier in this iteration of a fused loop
        if ctx.in_branch and n not in self.unconditional:
            # assigned only inside branches: Numba may prune the branch (a constant test) and
            # leave the name without a type, so the reverse sweep must not rely on it
            return False
        if n in self.stable:
            return True
        # inside loops: a name no statement of the outermost enclosing loop (or later code)
        # assigns keeps the value it had, for every iteration (loop-invariant values)
        return not self.defined_from(n, self.outer_loop_start.get(pos, pos))

    def unsupported(self, node, construct, message):
        return self.location.unsupported(node, construct, message)

    def origin_node(self, node):
        origin = origin_of(node)
        return self.origins[origin] if origin is not None else node

    # ------------------------------------------------------------------ driver
    def run(self):
        """Returns (forward statements, reverse statements, top-level Counts)."""
        forward, reverse, counts = self.body(self.fdef.body, Ctx(False, frozenset()))
        self._add_headroom(0, counts)
        self._apply_headroom()
        return forward, reverse, counts

    def body(self, nodes, ctx):
        forward, reverse, counts = [], [], Counts()
        run = []

        def flush():
            if run:
                f, r, c = self.block(list(run), ctx)
                forward.extend(f)
                reverse[:0] = r
                counts.update(counts.plus(c))
                run.clear()
        for k, node in enumerate(nodes):
            if is_simple(node):
                run.append(node)
                continue
            flush()
            if isinstance(node, gast.If):
                f, r, c = self.if_unit(node, ctx)
            elif isinstance(node, gast.For):
                f, r, c = self.fused_for_unit(node, ctx, nodes[k + 1:]) or self.for_unit(node, ctx)
            elif isinstance(node, gast.While):
                f, r, c = self.while_unit(node, ctx)
            elif isinstance(node, (gast.Expr, gast.Assert, gast.Raise)):
                # print(...) and assert run in the forward sweep only; a helper's derivative
                # replays its forward sweep in the caller's reverse sweep: it leaves them out
                f, r, c = ([] if self.helper else [node]), [], Counts()
            else:
                raise self.unsupported(node, type(node).__name__, "statement not supported")
            forward.extend(f)
            reverse[:0] = r
            counts = counts.plus(c)
        flush()
        return forward, reverse, counts

    # ------------------------------------------------------------------ tapes
    def push(self, tape, value_src):
        self.tapes_used.add(tape)
        tape_, top = self.tape_var(tape), self.top_var(tape)
        return stmts(f"{tape_}[{top}] = {value_src}\n{top} += 1")

    def pop(self, tape, target):
        self.tapes_used.add(tape)
        tape_, top = self.tape_var(tape), self.top_var(tape)
        return stmts(f"{top} -= 1\n{target} = {tape_}[{top}]")

    # Reservations. A `reserve` promises room for the pushes that follow it; a push writes
    # without a bounds check, so every promise must hold until its pushes are made. A tape
    # grows only at *growth points* (a `reserve`, a `push_array`), and a growth point may sit
    # where enclosing code still has promised pushes to make (an inner loop's reserve before
    # the outer iteration's own pushes, an array saved before this iteration's scalars). So
    # each growth point also keeps `headroom` for those: the per-execution counts of every
    # enclosing level, added by the levels as they close (`_add_headroom`). A loop whose
    # body holds a growth point reserves once per iteration, so that what it has promised
    # and not yet pushed is bounded by its per-iteration count; a loop without one reserves
    # for all its trips before it starts.
    def reserve(self, counts, multiplier=None):
        out = []
        for tape in TAPES:
            k = counts.get(tape, 0)
            if k:
                extra = f"{k}" if multiplier is None else (
                    f"({multiplier})" if k == 1 else f"{k} * ({multiplier})")
                self.tapes_used.add(tape)
                tape_, top = self.tape_var(tape), self.top_var(tape)
                needed = src(simplify(stmt(f"{top} + {extra}").value))
                statement = stmt(f"{tape_} = reserve({tape_}, {needed})")
                self.growth_points.append(GrowthPoint(tape, statement.value, {}))
                out.append(statement)
        return out

    def _per_iteration_reserve(self, counts, body):
        """Reserves for one iteration, except for tapes the body itself reserves first thing
        (an inner loop's reserve keeps headroom for this iteration's own pushes)."""
        leading = set()
        for statement in body:
            point = next((p for p in self.growth_points if p.call is getattr(statement, "value", None)
                          and p.call.func.id == "reserve"), None)
            if point is None:
                break
            leading.add(point.tape)
        return self.reserve(Counts({t: k for t, k in counts.items() if t not in leading}))

    def _add_headroom(self, since, counts):
        """Growth points made since index `since` keep room for `counts` more pushes."""
        for point in self.growth_points[since:]:
            for tape, k in counts.items():
                if k:
                    point.headroom[tape] = point.headroom.get(tape, 0) + k

    def _apply_headroom(self):
        for point in self.growth_points:
            k = point.headroom.get(point.tape, 0)
            if not k:
                continue
            if point.call.func.id == "reserve":
                point.call.args[1] = simplify(gast.BinOp(left=point.call.args[1], op=gast.Add(),
                                                         right=gast.Constant(value=k, kind=None)))
            else:
                point.call.args.append(gast.Constant(value=k, kind=None))

    def tape_var(self, tape):
        """Name of a tape in the generated code (`float_tape`, unless the user has one)."""
        return self._tape_names[tape][0]

    def top_var(self, tape):
        return self._tape_names[tape][1]

    def tape_of(self, n):
        t = self.types.get(n)
        if t == FLOAT:
            return "float"
        if t in (INT, BOOL):
            return "int"
        if isinstance(t, Array) and t.kind in "fib" and 1 <= t.ndim <= MAX_TAPE_NDIM:
            return "array"          # float arrays on the float tape, integer and boolean ones on the int tape
        return None

    def array_tape(self, n):
        """The tape an array is saved on: floats on the float tape, integers and booleans on the int tape."""
        return "float" if self.types[n].kind == "f" else "int"

    def element_type(self, array, subscript):
        """Type of `array[index]` as a store target (a scalar, or an array for slices)."""
        from .types import TypeInference
        inference = TypeInference(self.resolver, self.types)
        return inference.subscript(gast.Subscript(value=name(array), slice=subscript.slice, ctx=gast.Load()))

    def save(self, n, value_src=None):
        """Forward-sweep statements that push `n` (or the value `value_src`) on its tape."""
        kind = self.tape_of(n)
        value_src = value_src or n
        if kind == "array":
            tape = self.array_tape(n)
            self.tapes_used.add(tape)
            tape_, top = self.tape_var(tape), self.top_var(tape)
            statement = stmt(f"{tape_}, {top} = push_array({tape_}, {top}, {value_src})")
            self.growth_points.append(GrowthPoint(tape, statement.value, {}))
            return [statement]
        return self.push(kind, value_src)

    def restore(self, n, target):
        kind = self.tape_of(n)
        if kind == "array":
            tape = self.array_tape(n)
            self.tapes_used.add(tape)
            tape_, top = self.tape_var(tape), self.top_var(tape)
            pop = pop_name(self.types[n].ndim, self.types[n].kind)
            return stmts(f"{target}, {top} = {pop}({tape_}, {top})")
        return self.pop(kind, target)

    # ------------------------------------------------------------------ control flow
    def if_unit(self, node, ctx):
        inner = ctx._replace(in_branch=True)
        fb, rb, cb = self.body(node.body, inner)
        fo, ro, co = self.body(node.orelse, inner)
        counts = cb.max(co)
        if not rb and not ro:
            return [gast.If(test=node.test, body=fb or [gast.Pass()], orelse=fo)], [], counts
        line = node.lineno
        if ctx.in_loop or ctx.in_branch:
            # the decision is pushed after the branch's own pushes, so it is on top when replayed
            taken, not_taken = self.push("branch", "True"), self.push("branch", "False")
            fwd = gast.If(test=node.test, body=fb + taken, orelse=fo + not_taken)
            decision = gast.Subscript(value=name(self.tape_var("branch")), slice=name(self.top_var("branch")),
                                      ctx=gast.Load())
            rev = stmts(f"{self.top_var('branch')} -= 1")
            counts = counts.plus(Counts(branch=1))
        else:
            flag = self.namer.fresh(f"took_if_line{line}")
            fwd = stmts(f"{flag} = False")[0]
            fwd = [fwd, gast.If(test=node.test, body=stmts(f"{flag} = True") + fb, orelse=fo)]
            decision, rev = name(flag), []
        header = comment(f"replay the branch taken at {self.location.cite(line)}: if {src(node.test)}:")
        if rb:
            rev.append(gast.If(test=decision, body=rb, orelse=ro))
        else:
            rev.append(gast.If(test=gast.UnaryOp(op=gast.Not(), operand=decision), body=ro, orelse=[]))
        return fwd if isinstance(fwd, list) else [fwd], [header] + rev, counts

    def for_unit(self, node, ctx):
        i = node.target.id
        inner = Ctx(True, ctx.loop_vars | {i}, ctx.in_branch)
        since = len(self.growth_points)
        fb, rb, cb = self.body(node.body, inner)
        grows_inside = len(self.growth_points) > since
        self._add_headroom(since, cb)
        loop = gast.For(target=node.target, iter=node.iter, body=fb or [gast.Pass()], orelse=[],
                        type_comment=None)
        if not rb:          # nothing to reverse, but it may keep a save for loops before it
            hoisted_forward, hoisted_reverse, hoisted_counts = self._hoisted_saves(node)
            return [loop] + hoisted_forward, hoisted_reverse, hoisted_counts
        args = list(node.iter.args)
        step = step_value(args[2]) if len(args) == 3 else 1
        start, stop = (args[0], args[1]) if len(args) >= 2 else (gast.Constant(value=0, kind=None), args[0])
        pos = self.position[id(node)]
        forward, restore, after, counts = [], [], [], Counts()
        bounds = []
        for label, bound in (("start", start), ("stop", stop)):
            if all(self.available(n, ctx, pos) for n in self._names(bound)):
                bounds.append(src(bound))
                continue
            saved = self.namer.fresh(f"{i}_{label}")
            forward += stmts(f"{saved} = {src(bound)}")
            if ctx.in_loop or ctx.in_branch:            # pushed after the loop, so it is on top when the loop is replayed
                after += self.push("int", saved)
                restore[:0] = self.pop("int", saved)
                counts = counts.plus(Counts(int=1))
            bounds.append(saved)
        lo, hi = bounds
        if step > 0:
            trips = f"{hi} - {lo}"
            first = f"{hi} - 1" if step == 1 else f"{lo} + ({hi} - {lo} - 1) // {step} * {step}"
            reverse_range = f"range({first}, {lo} - 1, {-step})"
        else:
            trips = f"{lo} - {hi}"
            first = f"{hi} + 1" if step == -1 else f"{lo} - ({lo} - {hi} - 1) // {-step} * {-step}"
            reverse_range = f"range({first}, {lo} + 1, {-step})"
        if grows_inside:
            loop.body[:0] = self._per_iteration_reserve(cb, loop.body)
        else:
            forward += self.reserve(cb, multiplier=trips)
        forward.append(loop)
        hoisted_forward, hoisted_reverse, hoisted_counts = self._hoisted_saves(node)
        forward += after + hoisted_forward
        counts = counts.plus(hoisted_counts)
        reverse_iter = simplify(stmt(f"for _ in {reverse_range}: pass").iter)
        line = node.lineno
        reverse = [comment(f"loop of {self.location.cite(line)} backwards: {self.location.text_of_line(line)}")]
        reverse += hoisted_reverse + restore
        reverse.append(gast.For(target=copy.deepcopy(node.target), iter=reverse_iter, body=rb,
                                orelse=[], type_comment=None))
        return forward, reverse, counts

    def while_unit(self, node, ctx):
        since = len(self.growth_points)
        fb, rb, cb = self.body(node.body, Ctx(True, ctx.loop_vars, ctx.in_branch))
        self._add_headroom(since, cb)
        if not rb:
            hoisted_forward, hoisted_reverse, hoisted_counts = self._hoisted_saves(node)
            return [gast.While(test=node.test, body=fb or [gast.Pass()], orelse=[])] + hoisted_forward, \
                hoisted_reverse, hoisted_counts
        line = node.lineno
        trips = self.namer.fresh("n_iterations")
        body = self._per_iteration_reserve(cb, fb) + stmts(f"{trips} += 1") + fb
        forward = stmts(f"{trips} = 0") + [gast.While(test=node.test, body=body, orelse=[])]
        reverse = [comment(f"`while` of {self.location.cite(line)}, backwards: {self.location.text_of_line(line)}")]
        counts = Counts()
        hoisted_forward, hoisted_reverse, hoisted_counts = self._hoisted_saves(node)
        if ctx.in_loop or ctx.in_branch:
            forward += self.push("int", trips)
            reverse += self.pop("int", trips)
            counts = Counts(int=1)
        forward += hoisted_forward
        reverse[1:1] = hoisted_reverse
        counts = counts.plus(hoisted_counts)
        reverse.append(gast.For(target=gast.Name(id="_", ctx=gast.Store(), annotation=None, type_comment=None),
                                iter=stmt(f"range({trips})").value, body=rb, orelse=[], type_comment=None))
        return forward, reverse, counts

    # ------------------------------------------------------------------ blocks
    def block(self, nodes, ctx):
        return BlockPlan(self, nodes, ctx).emit()


class BlockPlan:
    """Forward and reverse code of one straight-line block."""

    def __init__(self, tr, nodes, ctx):
        self.tr, self.nodes, self.ctx = tr, nodes, ctx
        self.pending_call = None
        self.hoisted_arrays = set()      # stored arrays read as they are: saved around a loop (see version_at)
        self.start = tr.position[id(nodes[0])]
        self._group_by_origin()
        self._reaching_definitions()
        self.ops = self._tidy(self._adjoint_ops())
        self._slice()

    # -- which user statements the forward sweep emits as written
    def _group_by_origin(self):
        """Split the block into runs of one user statement each; decide how each is emitted.

        A run that is the whole three-address expansion of a simple user statement is emitted
        as the user wrote it; then only the names the user's statement assigns exist in the
        forward sweep (`materialized`), not the temporaries of its expansion.
        """
        tr = self.tr
        self.groups, self.materialized = [], set()
        j = 0
        while j < len(self.nodes):
            origin = origin_of(self.nodes[j])
            k = j
            while k < len(self.nodes) and origin_of(self.nodes[k]) == origin:
                k += 1
            group = list(range(j, k))
            original = (origin is not None and origin not in tr.compound_origins
                        and tr.origin_size.get(origin) == len(group))
            self.groups.append((group, original))
            if original:
                assigned = {n.id for n in gast.walk(tr.origins[origin])
                            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
                self.materialized |= {v for v in group if target_name(self.nodes[v]) in assigned}
            else:
                self.materialized |= set(group)
            j = k

    # -- which definition each read sees
    def _reaching_definitions(self):
        self.reaching = []
        current = {}
        for node in self.nodes:
            self.reaching.append({n: current.get(n, ENTRY) for n in read_names(node, self.tr.locals)})
            t = target_name(node)
            if t:
                current[t] = len(self.reaching) - 1

    def version_at(self, n, j):
        """Which value of `n` statement j reads: a definition, ENTRY, or a snapshot.

        An array whose elements are overwritten after statement j reads it as a whole (or in
        a loop) is saved at j: its current contents in the reverse sweep are not those j saw."""
        tr = self.tr
        reaching = self.reaching[j].get(n, ENTRY)
        if n in tr.stored and isinstance(tr.types.get(n), Array) and not self._reads_final_element(self.nodes[j], n):
            # recomputing or restoring the array's definition would give its contents before
            # the in-place stores; only unchanged-since contents may be read as they are
            pos = tr.position[id(self.nodes[j])]
            since = tr.position[id(self.nodes[reaching])] if reaching != ENTRY else tr.position[id(self.nodes[0])] - 1
            if self.ctx.in_loop or self.ctx.in_branch or \
                    any(p > pos for p in tr.store_positions.get(n, [])) or \
                    any(p > pos for p, _ in tr.defs.get(n, [])) or \
                    any(since < p < pos for p in tr.store_positions.get(n, [])):
                # (the last: stores since the value was defined, or since the block began, for
                # a value the block starts with: j reads contents that no definition holds)
                if reaching == ENTRY and tr.invariant_loop(n, self.nodes[j]) is not None:
                    self.hoisted_arrays.add(n)
                    return ENTRY    # saved once around a loop it does not change in (see hoist)
                return ("snapshot", j)
        return reaching

    def versioned(self, n, j):
        """A Name node for local `n` as read by statement j (or its result when n is its target)."""
        node = name(n)
        node.version = self.version_at(n, j)
        return node

    def atom_at(self, atom, j):
        if isinstance(atom, gast.Name) and atom.id in self.tr.locals:
            return self.versioned(atom.id, j)
        if isinstance(atom, gast.Tuple):          # np.concatenate((a, b)): each element as of j
            return gast.Tuple(elts=[self.atom_at(e, j) for e in atom.elts], ctx=gast.Load())
        return copy.deepcopy(atom)

    def index_at(self, subscript, j):
        index = copy.deepcopy(subscript.slice)
        for n in gast.walk(index):
            if isinstance(n, gast.Name) and n.id in self.tr.locals:
                n.version = self.version_at(n.id, j)
        return index

    # -- the adjoint of every statement, in reverse order
    def _adjoint_ops(self):
        tr = self.tr
        ops = []
        self.received = set()        # block-local names whose adjoint has a value
        for j in reversed(range(len(self.nodes))):
            node = self.nodes[j]
            origin = origin_of(node)
            t = target_name(node)
            if isinstance(node, gast.Return):
                ops += self._seed(node, j, origin)
            elif t is not None:
                if t in tr.active and (t not in tr.block_local or t in self.received):
                    if isinstance(tr.types.get(t), TupleType) and not isinstance(node.value, (gast.Call, gast.Tuple)):
                        raise tr.unsupported(tr.origin_node(node), "tuple",
                                             "tuples of floats may only be returned by helpers and unpacked at once")
                    ops += self._assignment(node, t, j, origin)
            else:
                array = stored_array(node)
                if array in tr.active:
                    ops += self._store(node, array, j, origin)
        return ops

    # -- make the adjoint code read like a person wrote it
    def _tidy(self, ops):
        """Sink resets `v_adj = 0.0` to where they matter, then drop pure aliases `t_adj = s_adj`."""
        ops = list(ops)
        for i in reversed(range(len(ops))):       # from the end, so that every reset moves once
            if ops[i].kind == "zero":
                adj = self.tr.adj(ops[i].var)
                k = i + 1
                while k < len(ops) and not (self._reads(ops[k], adj) or self._writes(ops[k], adj)):
                    k += 1
                ops.insert(k - 1, ops.pop(i))
        for i in reversed(range(len(ops) - 1)):   # `v_adj = 0.0; v_adj += e`  ->  `v_adj = e`
            reset, first = ops[i], ops[i + 1]
            if reset.kind == "zero" and first.kind == "add" and first.var == reset.var and \
                    not isinstance(self.tr.types.get(reset.var), Array) and \
                    not self._reads(first, self.tr.adj(reset.var)):
                ops[i:i + 2] = [first._replace(kind="set")]
        ops = self._merge_repeated_terms(ops)
        ops = self._move_without_copy(ops)
        i = 0
        while i < len(ops):
            op = ops[i]
            if self._inlinable(ops, i):
                target = self.tr.adj(op.var)
                ops = ops[:i] + [self._substituted(o, target, op.expr) for o in ops[i + 1:]]
                continue
            i += 1
        return ops

    def _move_without_copy(self, ops):
        """`t_adj = a_adj[s].copy(); a_adj[s] = 0.0; b_adj[r] += t_adj` (the adjoint of
        `a[s] = b[r]`)  ->  `b_adj[r] += a_adj[s]; a_adj[s] = 0.0`: one pass and no allocation,
        when `b` and `a` are different arrays."""
        tr = self.tr
        out = list(ops)
        for i in range(len(out) - 2):
            take, zero, give = out[i], out[i + 1], out[i + 2]
            if not (take.kind == "set" and take.var in tr.block_local and zero.kind == "array_zero"
                    and give.kind in ("array_add", "add") and isinstance(give.expr, gast.Name)
                    and give.expr.id == tr.adj(take.var) and isinstance(take.expr, gast.Call)
                    and isinstance(take.expr.func, gast.Attribute) and take.expr.func.attr == "copy"):
                continue
            view = take.expr.func.value
            if not (isinstance(view, gast.Subscript) and isinstance(view.value, gast.Name)
                    and view.value.id == tr.adj(zero.var)):
                continue
            if give.var == zero.var or tr.alias_group.get(give.var, {give.var}) & tr.alias_group.get(zero.var, {zero.var}):
                continue
            if any(self._reads(o, tr.adj(take.var)) for o in out[i + 3:]):
                continue
            out[i:i + 3] = [None, give._replace(expr=view), zero]
        return [o for o in out if o is not None]

    def _merge_repeated_terms(self, ops):
        """`v_adj += e; v_adj += e` (the two factors of `x * x`)  ->  `v_adj += 2.0 * e`."""
        out = []
        for op in ops:
            last = out[-1][0] if out else None
            if last is not None and op.kind == "add" and last.kind in ("set", "add") and op.var == last.var \
                    and _term_key(op.expr) == _term_key(last.expr) \
                    and not self._reads(op, self.tr.adj(op.var)):
                out[-1] = (last, out[-1][1] + 1)
                continue
            out.append((op, 1))
        return [op if k == 1 else op._replace(expr=gast.BinOp(left=gast.Constant(value=float(k), kind=None),
                                                              op=gast.Mult(), right=op.expr))
                for op, k in out]

    def _inlinable(self, ops, i):
        """`t_adj = E` can be substituted into later ops: a plain alias, or E used exactly once."""
        op = ops[i]
        if not (op.kind == "set" and op.var in self.tr.block_local):
            return False
        target = self.tr.adj(op.var)
        later = ops[i + 1:]
        if any(self._writes(o, target) for o in later):
            return False
        uses = [k for k, o in enumerate(later) if self._reads(o, target)]
        count = sum(self._count(o, target) for o in later)
        if not isinstance(op.expr, gast.Name) and count != 1:
            return False
        last = max(uses) if uses else -1
        sources = {n.id for n in gast.walk(op.expr) if isinstance(n, gast.Name)}
        return not any(self._writes(o, source) for o in later[:last] for source in sources)

    def _count(self, op, adj):
        return sum(1 for part in (op.expr, op.index) if part is not None
                   for n in gast.walk(part) if isinstance(n, gast.Name) and n.id == adj)

    def _reads(self, op, adj):
        return any(isinstance(n, gast.Name) and n.id == adj
                   for part in (op.expr, op.index) if part is not None for n in gast.walk(part))

    def _writes(self, op, adj):
        return op.var is not None and self.tr.adj(op.var) == adj

    @staticmethod
    def _substituted(op, old, value):
        class Substitute(gast.NodeTransformer):
            def visit_Name(self, n):
                return copy.deepcopy(value) if n.id == old else n

        def rewrite(part):
            return None if part is None else simplify(Substitute().visit(copy.deepcopy(part)))
        return op._replace(expr=rewrite(op.expr), index=rewrite(op.index))

    def _contribute(self, var, expr, origin, source_type=None, broadcasts=False, j=None):
        """Add `expr` to the adjoint of `var`; `source_type` is the type the contribution has.

        A contribution shaped like the statement's result is summed down to `var`'s shape:
        `np.sum` for a scalar, `unbroadcast` where NumPy broadcasting may have widened it.
        """
        tr = self.tr
        var_type = tr.types.get(var)
        if isinstance(source_type, Array) and var_type == FLOAT:
            expr = gast.Call(func=gast.Attribute(value=name("np"), attr="sum", ctx=gast.Load()),
                             args=[expr], keywords=[])
        elif isinstance(var_type, Array) and isinstance(source_type, Array) and (
                broadcasts or source_type.ndim != var_type.ndim):
            like = self.versioned(var, j) if j is not None else name(var)
            expr = gast.Call(func=name("unbroadcast"), args=[expr, like], keywords=[])
        if var in tr.block_local and var not in self.received:
            self.received.add(var)
            if isinstance(var_type, Array) and self._is_view(expr):
                expr = gast.Call(func=gast.Attribute(value=expr, attr="copy", ctx=gast.Load()), args=[],
                                 keywords=[])          # never alias another adjoint (or a view of one)
            return [Op("set", var, expr, None, origin)]
        return [Op("add", var, expr, None, origin)]

    def _tuple_element(self, whole, k):
        """A pseudo-variable standing for element k of a tuple-valued temporary."""
        tr = self.tr
        element = f"{whole}[{k}]"
        if element not in tr.types:
            tr.types[element] = tr.types[whole].elts[k]
            tr.active.add(element)
            tr.block_local.add(element)
            tr.adj_names[element] = tr.namer.fresh(f"{whole}_{k}_adj")
        return element

    def _tuple_seed(self, t, j):
        """The seed of a tuple-valued helper call: its elements' adjoints, zeros where none arrived."""
        parts = []
        for k, elt_type in enumerate(self.tr.types[t].elts):
            element = self._tuple_element(t, k)
            if element in self.received:
                parts.append(name(self.tr.adj(element)))
            elif isinstance(elt_type, Array):
                result = name(t)
                result.version = j              # the call's own result, recomputed if needed
                item = gast.Subscript(value=result, slice=gast.Constant(value=k, kind=None), ctx=gast.Load())
                parts.append(gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                                       args=[item], keywords=[]))
            else:
                parts.append(gast.Constant(value=0.0, kind=None))
        return gast.Tuple(elts=parts, ctx=gast.Load())

    def _is_view(self, expr):
        """Could `expr` share memory with another adjoint array (so that `=` would alias it)?"""
        if isinstance(expr, gast.Name):
            return expr.id in self.tr.adj_names.values()
        if isinstance(expr, (gast.Subscript, gast.Attribute)):
            return True
        if isinstance(expr, gast.Call) and isinstance(expr.func, gast.Name) and expr.func.id == "unbroadcast":
            return self._is_view(expr.args[0])
        return False

    def _ensure_array_adjoint(self, array, j, origin):
        """A block-local array's adjoint starts as zeros before its elements accumulate."""
        if array in self.tr.block_local and array not in self.received:
            self.received.add(array)
            zeros = gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                              args=[self.versioned(array, j)], keywords=[])
            return [Op("set", array, zeros, None, origin)]
        return []

    def _seed(self, node, j, origin):
        value = node.value
        if isinstance(value, gast.Name) and value.id in self.tr.active:
            self.received.add(value.id)
            seed = name(self.tr.value_adj)
            if isinstance(self.tr.types.get(value.id), Array):
                seed = gast.Call(func=gast.Attribute(value=seed, attr="copy", ctx=gast.Load()), args=[], keywords=[])
            return [Op("set", value.id, seed, None, origin)]
        return []

    def _store(self, node, array, j, origin):
        tr = self.tr
        target = node.targets[0] if isinstance(node, gast.Assign) else node.target
        index = self.index_at(target, j)
        gradient = gast.Subscript(value=name(tr.adj(array)), slice=copy.deepcopy(index), ctx=gast.Load())
        ops = self._ensure_array_adjoint(array, j, origin)
        value = node.value
        if isinstance(value, gast.Name) and value.id in tr.active:
            contribution = gradient
            if array_index_kind(target.slice, tr.types) == "i":
                contribution = gast.Call(func=name("stored_adjoint"),
                                         args=[name(tr.adj(array)), index_value(copy.deepcopy(index))], keywords=[])
            if isinstance(node, gast.AugAssign) and isinstance(node.op, gast.Sub):
                contribution = gast.UnaryOp(op=gast.USub(), operand=contribution)
            slot = tr.element_type(array, target)
            value_type = tr.types.get(value.id)
            broadcasts = isinstance(slot, Array) and isinstance(value_type, Array) and value_type.ndim >= 2
            ops += self._contribute(value.id, contribution, origin, slot, broadcasts, j=j)
        if isinstance(node, gast.Assign):
            ops.append(Op("array_zero", array, None, index, origin))
        return ops

    def _assignment(self, node, t, j, origin):
        tr = self.tr
        value = node.value
        g = name(tr.adj(t))
        ops = []
        self_terms = []
        if isinstance(value, gast.Constant) or tr.resolver.is_global_ref(value):
            terms = []
        elif isinstance(value, gast.Name):
            terms = [(value.id, g)] if value.id in tr.active else []
        elif isinstance(value, gast.Subscript) and isinstance(tr.types.get(getattr(value.value, "id", None)),
                                                              TupleType):
            whole = value.value.id                 # u = unpacked[k]: the k-th element's own adjoint
            if whole not in tr.active:
                return []
            definition = tr.definition.get(whole)
            if not (isinstance(value.slice, gast.Constant) and isinstance(value.slice.value, int)) or \
                    (definition is not None and isinstance(definition.value, gast.Tuple)):
                # element adjoints live for one block: only a helper's tuple result, unpacked at once
                raise tr.unsupported(tr.origin_node(node), "tuple",
                                     "a tuple of floats that carries derivatives may only be returned by a "
                                     "helper and unpacked at once (a, b = h(x)), or be a helper's parameter "
                                     "read as p[0], p[1], *p or a, b = p; index an array instead")
            element = self._tuple_element(whole, value.slice.value)
            self.received.add(whole)
            terms = [(element, g)]
        elif isinstance(value, gast.Tuple):       # (a, b), returned by a helper
            terms = [(e.id, gast.Subscript(value=g, slice=gast.Constant(value=k, kind=None), ctx=gast.Load()))
                     for k, e in enumerate(value.elts) if isinstance(e, gast.Name) and e.id in tr.active]
        elif isinstance(value, gast.Subscript):
            array = value.value.id if isinstance(value.value, gast.Name) else None
            if array in tr.active:
                ops = self._ensure_array_adjoint(array, j, origin)
                # a gather by an integer array: repeated indices accumulate (np.add.at)
                kind = "scatter_add" if array_index_kind(value.slice, tr.types) == "i" else "array_add"
                ops.append(Op(kind, array, g, self.index_at(value, j), origin))
                return self._finish(t, j, origin, ops)
            terms = []
        elif isinstance(value, gast.Attribute) and value.attr == "T":
            base = value.value
            terms = [(base.id, gast.Attribute(value=g, attr="T", ctx=gast.Load()))] \
                if isinstance(base, gast.Name) and base.id in tr.active else []
        elif isinstance(value, gast.Call) and self._is_array_display(value):
            terms = [(e.id, gast.Subscript(value=g, slice=gast.Constant(value=k, kind=None), ctx=gast.Load()))
                     for k, e in enumerate(value.args[0].elts) if isinstance(e, gast.Name) and e.id in tr.active]
        else:
            terms = self._rule_terms(node, value, t, j, g)
        # elementwise results are shaped like the broadcast inputs; other rules (reductions,
        # products, reshapes) already return contributions shaped like their inputs
        result_type = tr.types.get(t) if self._elementwise(value) else None
        broadcasts = self._may_broadcast(value)
        if self.pending_call is not None:
            ops.append(Op("call", None, self.pending_call, None, origin))
            self.pending_call = None
            result_type = None          # the helper's derivative returns adjoints shaped like its inputs
        for var, expr in terms:
            if var == t:
                self_terms.append(expr)
            else:
                ops += self._contribute(var, simplify(expr), origin, result_type, broadcasts, j)
        if len(self_terms) == 1 and isinstance(self_terms[0], gast.Name) and self_terms[0].id == g.id:
            # s = s + t leaves the adjoint of s as it is
            return ops
        if self_terms:
            total = self_terms[0]
            for extra in self_terms[1:]:
                total = gast.BinOp(left=total, op=gast.Add(), right=extra)
            return ops + [Op("set", t, simplify(total), None, origin)]
        return self._finish(t, j, origin, ops)

    def _finish(self, t, j, origin, ops):
        """Reset the adjoint of `t` after its definition, where an earlier value may still get one."""
        tr = self.tr
        if t in tr.block_local or isinstance(tr.types.get(t), TupleType):
            # tuples are only returned by helpers (one `result = (...)` runs per call) and
            # unpacked at once, so their adjoints are never reused
            return ops
        pos = tr.position[id(self.nodes[j])]
        earlier = [p for p in tr.uses.get(t, []) if p < pos] + [p for p, _ in tr.defs.get(t, []) if p < pos]
        if self.ctx.in_loop or self.ctx.fused or earlier:
            ops.append(Op("zero", t, None, None, origin))
        return ops

    def _names_in(self, node):
        return [n.id for n in gast.walk(node) if isinstance(n, gast.Name)]

    def _is_array_display(self, value):
        """`np.array([a, b, c])` of scalars."""
        tr = self.tr
        return (tr.resolver.is_global_ref(value.func) and tr.resolver.value_of(value.func) is np.array
                and len(value.args) == 1 and isinstance(value.args[0], gast.Tuple) and not value.keywords)

    def _elementwise(self, value):
        if isinstance(value, gast.BinOp):
            return not isinstance(value.op, gast.MatMult)
        if isinstance(value, (gast.UnaryOp, gast.Name)):
            return True
        if isinstance(value, gast.Call) and self.tr.resolver.is_global_ref(value.func):
            func = self.tr.resolver.value_of(value.func)
            return isinstance(func, np.ufunc) and func.signature is None or \
                func in (np.where, np.clip, abs, min, max) or \
                getattr(func, "__module__", None) == "math"
        return False

    def _may_broadcast(self, value):
        """Could an elementwise operation have broadcast one array operand against another?"""
        operands = []
        if isinstance(value, gast.BinOp) and not isinstance(value.op, gast.MatMult):
            operands = [value.left, value.right]
        elif isinstance(value, gast.Call) and self.tr.resolver.is_global_ref(value.func) and \
                isinstance(self.tr.resolver.value_of(value.func), np.ufunc) and \
                self.tr.resolver.value_of(value.func).signature is None:       # elementwise ufuncs
            operands = value.args
        elif isinstance(value, gast.Call) and self.tr.resolver.is_global_ref(value.func) and \
                self.tr.resolver.value_of(value.func) in (np.where, np.clip):
            operands = value.args
        arrays = [self.tr.types.get(a.id) for a in operands if isinstance(a, gast.Name)]
        # 1-D operands of one ndim are taken to have one shape (the wrapper checks the result's
        # shape); 2-D ones broadcast rows against columns often enough to always unbroadcast
        arrays = [a for a in arrays if isinstance(a, Array) and a.ndim >= 2]
        return len(arrays) > 1

    def _rule_terms(self, node, value, t, j, g):
        """[(input name, adjoint contribution)] of `t = value` from its derivative template."""
        tr = self.tr
        keywords = {}
        if isinstance(value, gast.BinOp):
            primal, args = rules.OPERATORS.get(type(value.op)), [value.left, value.right]
        elif isinstance(value, gast.UnaryOp) and isinstance(value.op, gast.USub):
            primal, args = rules.OPERATORS[gast.USub], [value.operand]
        elif isinstance(value, gast.Call) and tr.resolver.is_global_ref(value.func):
            primal, args = tr.resolver.value_of(value.func), list(value.args)
            keywords = {k.arg: k.value for k in value.keywords}
        elif isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and \
                value.func.attr in _METHODS:            # x.sum(axis=0), x.copy(), a.dot(b)
            primal, args = _METHODS[value.func.attr], [value.func.value] + list(value.args)
            keywords = {k.arg: k.value for k in value.keywords}
        else:
            raise tr.unsupported(tr.origin_node(node), type(value).__name__,
                                 f"cannot differentiate `{src(value)}` yet")
        active = [k for k, a in enumerate(args) if self._active_atom(a)]
        if rules.is_non_differentiable(primal):
            return []                 # np.zeros_like(x), np.floor(x): no derivative flows back
        keyword_error = rules.active_keyword_error(value, keywords, tr.active)
        if keyword_error:
            raise tr.unsupported(tr.origin_node(node), "keyword argument", keyword_error)
        if not active:
            return []
        rule = rules.lookup(primal)
        if rule is None and user_function(primal) is not None:
            if keywords:
                raise tr.unsupported(tr.origin_node(node), "call",
                                     f"keyword arguments to {src(value.func)} are not supported yet")
            return self._helper_call(node, user_function(primal), args, active, j, g)
        what = src(value.func) if isinstance(value, gast.Call) else type(getattr(value, "op", value)).__name__
        if rule is None:
            raise tr.unsupported(tr.origin_node(node), "call" if isinstance(value, gast.Call) else "operator",
                                 f"no derivative rule for {what}; register one with @s2sad.adjoint")
        if rule.arity() > len(args):
            raise tr.unsupported(tr.origin_node(node), "call",
                                 f"the derivative rule of {what} takes {rule.arity()} argument(s), "
                                 f"the call passes {len(args)}")
        try:
            options = rule.bind_options([self.atom_at(a, j) for a in args[rule.arity():]],
                                        {k: self.atom_at(v, j) for k, v in keywords.items()})
        except rules.RuleError as exc:
            raise tr.unsupported(tr.origin_node(node), "call", str(exc)) from None
        ans = name(t)
        ans.version = j
        inputs = [self.atom_at(a, j) for a in args[:rule.arity()]]
        active = [k for k in active if k < rule.arity()]
        for k in active:
            if not rule.differentiable(k):
                raise tr.unsupported(tr.origin_node(node), "call",
                                     f"argument {k + 1} of {what} is not differentiable; "
                                     "wrap it in s2sad.stop_gradient(...) if that is intended")
        if isinstance(tr.types.get(t), TupleType):
            return self._tuple_result_terms(rule, t, j, ans, inputs, options, active, args, node, what)
        terms = []
        for k in active:
            if rule.is_sequence(k):
                terms += self._sequence_terms(rule, k, g, ans, inputs, options, node, what)
            elif isinstance(args[k], gast.Name):
                terms.append((args[k].id, rule.partial(k, g, ans, inputs, options)))
            else:
                raise tr.unsupported(tr.origin_node(node), "call",
                                     f"argument {k + 1} of {what} is a tuple; s2sad differentiates "
                                     "tuples of arrays only where the rule takes one (np.concatenate, np.hstack...)")
        return terms

    def _active_atom(self, atom):
        """Does a derivative flow into this argument (a name, or a tuple display holding one)?"""
        if isinstance(atom, gast.Tuple):
            return any(self._active_atom(e) for e in atom.elts)
        return isinstance(atom, gast.Name) and atom.id in self.tr.active

    def _sequence_terms(self, rule, k, g, ans, inputs, options, node, what):
        """np.concatenate((a, b, c)): the contribution to each active element of the tuple."""
        display = inputs[k]
        if not isinstance(display, gast.Tuple):
            raise self.tr.unsupported(self.tr.origin_node(node), "call",
                                      f"write the arrays passed to {what} as a tuple in the call, "
                                      f"{what}((a, b, ...)): s2sad differentiates each element separately")
        return [(e.id, rule.partial(k, g, ans, inputs, options, element=m))
                for m, e in enumerate(display.elts) if isinstance(e, gast.Name) and e.id in self.tr.active]

    def _tuple_result_terms(self, rule, t, j, ans, inputs, options, active, args, node, what):
        """`s, l = np.linalg.slogdet(a)`: `g` is the tuple of the elements' adjoints. A contribution
        that reads only elements without an adjoint is zero and left out."""
        tr = self.tr
        parts, missing = [], {}
        for k, elt_type in enumerate(tr.types[t].elts):
            element = self._tuple_element(t, k)
            if element in self.received:
                parts.append(name(tr.adj(element)))
            else:
                marker = f"__s2sad_no_adjoint_{k}__"
                missing[marker] = k
                parts.append(name(marker))
        g = gast.Tuple(elts=parts, ctx=gast.Load())
        terms = []
        for k in active:
            if not isinstance(args[k], gast.Name):
                raise tr.unsupported(tr.origin_node(node), "call", f"argument {k + 1} of {what} is a tuple")
            expr = simplify(rule.partial(k, g, ans, inputs, options))
            names = {n.id for n in gast.walk(expr) if isinstance(n, gast.Name)}
            if names & set(missing) and not names & {p.id for p in parts if p.id not in missing}:
                continue
            terms.append((args[k].id, self._zero_markers(expr, missing, t, j)))
        return terms

    def _zero_markers(self, expr, missing, t, j):
        tr = self.tr

        class Zero(gast.NodeTransformer):
            def visit_Name(inner, n):
                if n.id not in missing:
                    return n
                k = missing[n.id]
                if isinstance(tr.types[t].elts[k], Array):
                    result = name(t)
                    result.version = j
                    item = gast.Subscript(value=result, slice=gast.Constant(value=k, kind=None), ctx=gast.Load())
                    return gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                                     args=[item], keywords=[])
                return gast.Constant(value=0.0, kind=None)
        return Zero().visit(expr)

    def _helper_call(self, node, helper, args, active, j, g):
        """Call the helper's own generated derivative; returns [("__call__", Op)] + contributions."""
        from .transform import derive
        tr = self.tr
        params = list(helper.__code__.co_varnames[:helper.__code__.co_argcount])
        if len(params) != len(args):
            raise tr.unsupported(tr.origin_node(node), "call",
                                 f"{helper.__name__} takes {len(params)} argument(s), the call passes {len(args)}")
        arg_types = {}
        for p, a in zip(params, args):
            if isinstance(a, gast.Name) and a.id in tr.locals:
                arg_types[p] = tr.types.get(a.id)
            else:
                from .types import TypeInference
                arg_types[p] = TypeInference(tr.resolver, tr.types).expr(a)
        derivative = derive(helper, [params[k] for k in active], arg_types, helper=True)
        if derivative.call_error is not None:
            raise derivative.call_error
        tr.dependencies[derivative.name] = derivative
        tr.tapes_used.update(derivative.tapes)
        parts = [tr.namer.fresh(f"{args[k].id}_adj_from_{helper.__name__}") for k in active]
        t = target_name(node)
        tuple_seed = self._tuple_seed(t, j) if isinstance(tr.types.get(t), TupleType) else None
        inputs = [src(self.atom_at(a, j)) for a in args] + ["SEED" if tuple_seed is not None else g.id]
        inputs += [f"np.zeros_like({args[k].id})" for k in active
                   if isinstance(arg_types[params[k]], Array)]
        inputs += [v for t in derivative.tapes for v in (tr.tape_var(t), tr.top_var(t))]
        outputs = parts + [tr.tape_var(t) for t in derivative.tapes]
        call = stmt(f"{', '.join(outputs)} = {derivative.name}({', '.join(inputs)})")
        for n in gast.walk(call.value):      # the arguments are primal values as of the call
            if isinstance(n, gast.Name) and n.id in tr.locals:
                n.version = self.version_at(n.id, j)
        if tuple_seed is not None:
            call.value.args[len(args)] = tuple_seed
        self.pending_call = call
        return [(args[k].id, name(part)) for k, part in zip(active, parts)]

    # -- what must be recomputed, saved or taped
    def _slice(self):
        tr, ctx = self.tr, self.ctx
        needed = set()
        for op in self.ops:
            for part in (op.expr, op.index):
                if part is not None:
                    needed |= {(n.id, n.version) for n in gast.walk(part) if hasattr(n, "version")}
        self.recompute, self.taped, self.entry = set(), [], set()
        work = list(needed)
        seen = set(work)
        self.snapshots = set()
        while work:
            n, v = work.pop()
            if isinstance(v, tuple):              # ("snapshot", j): saved when statement j ran
                self.snapshots.add((v[1], n))
                continue
            if v == ENTRY:
                self.entry.add(n)
                continue
            node = self.nodes[v]
            if self._intact(node):
                continue
            if self._is_taped_load(node):
                if v not in self.taped:
                    self.taped.append(v)
                continue
            self.recompute.add(v)
            for m in self.reaching[v]:
                w = self.version_at(m, v)
                if (m, w) not in seen:
                    seen.add((m, w))
                    work.append((m, w))
        self.taped.sort()
        self.saves, self.remat = [], []
        for n in sorted(self.entry):
            if n in self.hoisted_arrays:
                tr.hoist(n, self.nodes[0])
                continue
            if tr.available(n, ctx, self.start) or tr.hoist(n, self.nodes[0]):
                continue
            chain = tr.rematerialize(n, ctx, self.nodes[0])
            if chain is not None:
                self.remat += [s for s in chain if all(s is not r for r in self.remat)]
                continue
            if tr.tape_of(n) is None:
                raise tr.unsupported(tr.origin_node(self.nodes[0]), "array reassignment",
                                     f"the value of {n!r} must be saved for the reverse sweep, but it is "
                                     f"of type {tr.types.get(n)}, which cannot be saved yet")
            self.saves.append(n)
        self._name_versions(needed)

    def _intact(self, node):
        """Outside loops, a definition never overwritten later keeps its value for the reverse sweep
        (an array, or a view `v = x[1:]`, only if no store into its memory comes later)."""
        if self.ctx.in_loop or self.ctx.in_branch or self.nodes.index(node) not in self.materialized:
            return False
        t = target_name(node)
        pos = self.tr.position[id(node)]
        if isinstance(self.tr.types.get(t), Array) and \
                any(p > pos for m in self.tr.alias_group.get(t, {t}) for p in self.tr.store_positions.get(m, [])):
            return False          # its memory is stored into later (`y = np.tanh(x); y += e`)
        return not any(p > pos for p, _ in self.tr.defs.get(t, []))

    def _is_taped_load(self, node):
        value = node.value
        return (isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name)
                and value.value.id in self.tr.stored and self.tr.tape_of(target_name(node)) in ("float", "array")
                and self.tr.element_may_change(node) and not self._sweeps_invariant(node))

    def _sweeps_invariant(self, node):
        """`t = a[index]` where `a` does not change in a loop around the read whose iterations
        move `index` (a stencil reading the state of the previous step): saving `a` once per
        run of that loop stores fewer floats than saving every element read."""
        array = node.value.value.id
        loop = self.tr.invariant_loop(array, node)
        if loop is None:
            return False
        loops = self.tr.enclosing_loops[id(node)]
        sweeping = {l.target.id for l in loops[:loops.index(loop) + 1] if isinstance(l, gast.For)}
        return any(self._moves_with(m.id, sweeping, 3) for m in gast.walk(node.value.slice)
                   if isinstance(m, gast.Name))

    def _moves_with(self, n, loop_vars, depth):
        """Is `n` one of `loop_vars`, or computed from one (`i_minus_1 = i - 1`)?"""
        if n in loop_vars:
            return True
        definition = self.tr.definition.get(n)
        if depth == 0 or definition is None or not is_simple(definition):
            return False
        return any(self._moves_with(m, loop_vars, depth - 1) for m in read_names(definition, self.tr.locals))

    def _reads_final_element(self, node, n):
        """`t = n[index]` whose element stays as read until the reverse sweep (see
        `element_may_change`): the reverse sweep may read `n` as it is then."""
        value = getattr(node, "value", None)
        return (isinstance(node, gast.Assign) and isinstance(value, gast.Subscript)
                and isinstance(value.value, gast.Name) and value.value.id == n
                and not any(isinstance(m, gast.Name) and m.id == n for m in gast.walk(value.slice))
                and self.tr.tape_of(target_name(node)) == "float" and not self.tr.element_may_change(node))

    def _name_versions(self, needed):
        tr = self.tr
        versions = {}
        for n, v in needed:
            versions.setdefault(n, set()).add(v)
        for v in self.recompute | set(self.taped):
            versions.setdefault(target_name(self.nodes[v]), set()).add(v)
        for v in self.recompute:
            for n in self.reaching[v]:
                versions.setdefault(n, set()).add(self.version_at(n, v))
        self.version_name = {}
        for n, vs in sorted(versions.items()):
            plain_owner = None
            for v in vs:
                if isinstance(v, tuple):
                    continue
                if v == ENTRY and n not in self.saves:
                    plain_owner = v
                elif v != ENTRY and v not in self.recompute and v not in self.taped:
                    plain_owner = v          # intact definition: its value lives in `n`
            for v in sorted(vs, key=lambda v: (isinstance(v, tuple), v[1] if isinstance(v, tuple) else v)):
                if isinstance(v, tuple):
                    self.version_name[(n, v)] = tr.namer.fresh(f"{n}_as_read")
                elif v == ENTRY and n in self.saves and not (self.ctx.in_loop or self.ctx.in_branch):
                    line = self.nodes[0].lineno if hasattr(self.nodes[0], "lineno") else self.start
                    if tr.location.is_virtual(line):
                        line = tr.location.virtual[line][1]
                    self.version_name[(n, v)] = tr.namer.fresh(f"{n}_at_line{line}")
                elif plain_owner is None or plain_owner == v:
                    plain_owner = v
                    self.version_name[(n, v)] = n
                else:
                    self.version_name[(n, v)] = tr.namer.fresh(n)

    # -- emission
    def rename(self, node):
        class Rename(gast.NodeTransformer):
            def visit_Name(inner, n):
                if hasattr(n, "version"):
                    return name(self.version_name[(n.id, n.version)])
                return n
        return Rename().visit(copy.deepcopy(node))

    def emit(self):
        tr = self.tr
        counts = Counts()
        forward = []
        for n in self.saves:
            if self.ctx.in_loop or self.ctx.in_branch:
                forward += tr.save(n)
                if tr.tape_of(n) != "array":          # arrays reserve their own room
                    counts = counts.plus(Counts({tr.tape_of(n): 1}))
            else:
                copy_ = ".copy()" if n in tr.stored else ""
                forward += stmts(f"{self.version_name[(n, ENTRY)]} = {n}{copy_}")
        forward += self._forward_statements()
        scalar_loads = [v for v in self.taped if tr.tape_of(target_name(self.nodes[v])) != "array"]
        counts = counts.plus(Counts(float=len(scalar_loads))) if scalar_loads else counts
        if not self.ops:
            return forward, [], counts
        reverse = []
        for v, n, version in reversed(self._pushes()):
            reverse += tr.restore(n, self.version_name[(n, version)])
        if self.ctx.in_loop or self.ctx.in_branch:
            for n in reversed(self.saves):
                reverse += tr.restore(n, self.version_name[(n, ENTRY)])
        self.remat.sort(key=lambda node: tr.position[id(node)])
        for node in self.remat:
            reverse.append(stmt(f"{target_name(node)} = {src(node.value)}"))
        for v in sorted(self.recompute):
            node = self.nodes[v]
            t = target_name(node)
            value = copy.deepcopy(node.value)
            for n in gast.walk(value):
                if isinstance(n, gast.Name) and n.id in tr.locals and isinstance(n.ctx, gast.Load):
                    n.version = self.version_at(n.id, v)
            reverse.append(stmt(f"{self.version_name[(t, v)]} = {src(self.rename(value))}"))
        if reverse:
            reverse.insert(0, comment("values of this block needed by its adjoint"))
        last_origin = object()
        for op in self.ops:
            if op.origin != last_origin:
                last_origin = op.origin
                line = tr.origins[op.origin].lineno if op.origin is not None else None
                reverse.append(comment(f"{tr.location.cite(line)}: {tr.location.text_of_line(line)}"
                                       if line is not None else "line ?"))
            reverse.append(self._op_statement(op))
        return forward, reverse, counts

    def _op_statement(self, op):
        if op.kind == "call":
            call = self.rename(op.expr)
            call.value.args = [_without_copy(a) for a in call.value.args]   # the callee copies its seed
            return call
        adj = self.tr.adj(op.var)
        if op.kind == "zero":
            if isinstance(self.tr.types.get(op.var), Array):
                return stmt(f"{adj}[...] = 0.0")
            return stmt(f"{adj} = 0.0")
        if op.kind == "array_zero":
            return stmt(f"{adj}[{index_src(self.rename(op.index))}] = 0.0")
        if op.kind == "scatter_add":
            expr = simplify(self.rename(op.expr))
            index = src(index_value(self.rename(op.index)))
            return stmt(f"scatter_add({adj}, {index}, {src(expr)})")
        if op.kind == "array_add":
            expr = simplify(self.rename(op.expr))
            index = index_src(self.rename(op.index))
            if isinstance(expr, gast.UnaryOp) and isinstance(expr.op, gast.USub):
                return stmt(f"{adj}[{index}] -= {src(expr.operand)}")
            return stmt(f"{adj}[{index}] += {src(expr)}")
        operator = "=" if op.kind == "set" else "+="
        expr = simplify(self.rename(op.expr))
        if operator == "+=" and isinstance(expr, gast.UnaryOp) and isinstance(expr.op, gast.USub):
            return stmt(f"{adj} -= {src(expr.operand)}")
        return stmt(f"{adj} {operator} {src(expr)}")

    def _pushes(self):
        """(statement, name, version) of every value this block saves when it runs, in order."""
        out = []
        taped = set(self.taped)
        for v in range(len(self.nodes)):
            for j, n in sorted(self.snapshots):
                if j == v:
                    out.append((v, n, ("snapshot", v)))
            if v in taped:
                out.append((v, target_name(self.nodes[v]), v))
        return out

    def _push_statements(self, v, group, original):
        tr = self.tr
        out = []
        for w, n, version in self._pushes():
            if w != v:
                continue
            if isinstance(version, tuple):
                out += tr.save(n)
            else:
                value = self._inline(self.nodes[v].value, group, v) if original else self.nodes[v].value
                out += tr.save(n, src(value))
        return out

    def _forward_statements(self):
        """The user's statements as written, with the saves of array reads the reverse needs."""
        out = []
        for group, original in self.groups:
            origin = origin_of(self.nodes[group[0]])
            if original:
                for v in group:
                    out += self._push_statements(v, group, True)
                out += self._original(origin)
                out += self._deferred_inits(group)
            else:
                for v in group:
                    out += self._push_statements(v, group, False)
                    statement = self._as_forward(self.nodes[v])
                    if statement is not None:
                        out.append(statement)
                    out += self._deferred_inits([v])
        return out

    def _deferred_inits(self, group):
        """Adjoints of arrays assigned only in loops or branches start as zeros where the array
        is assigned: at the start of the reverse sweep the array may never have existed."""
        tr = self.tr
        out = []
        for v in group:
            t = target_name(self.nodes[v])
            if t in tr.deferred_adjoints and v in self.materialized:
                out += stmts(f"{tr.adj(t)} = np.zeros_like({t})")
        return out

    def _inline(self, expr, group, before):
        """`expr` with temporaries defined earlier in the same user statement replaced by their values."""
        definitions = {target_name(self.nodes[v]): self.nodes[v].value for v in group if v < before
                       if target_name(self.nodes[v])}

        class Inline(gast.NodeTransformer):
            def visit_Name(inner, n):
                if n.id in definitions and isinstance(n.ctx, gast.Load):
                    return inner.visit(copy.deepcopy(definitions[n.id]))
                return n
        return Inline().visit(copy.deepcopy(expr))

    def _original(self, origin):
        node = copy.deepcopy(self.tr.origins[origin])
        if isinstance(node, gast.Return) and self.tr.helper:
            return []          # a helper's derivative returns adjoints only
        if isinstance(node, gast.Return):
            return [gast.Assign(targets=[gast.Name(id=self.tr.value_name, ctx=gast.Store(), annotation=None,
                                                   type_comment=None)], value=node.value, type_comment=None)]
        return [node]

    def _as_forward(self, node):
        if isinstance(node, gast.Return) and self.tr.helper:
            return None
        if isinstance(node, gast.Return):
            return gast.Assign(targets=[gast.Name(id=self.tr.value_name, ctx=gast.Store(), annotation=None,
                                                  type_comment=None)], value=node.value, type_comment=None)
        return copy.deepcopy(node)


def _term_key(expr):
    """Identity of an adjoint term: its source and the versions of the names it reads."""
    return src(expr), tuple((n.id, getattr(n, "version", None)) for n in gast.walk(expr) if isinstance(n, gast.Name))
