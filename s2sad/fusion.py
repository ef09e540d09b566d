"""Analysis: top-level loops whose adjoint can run in the forward sweep (loop fusion).

Takes the three-address body, the statement positions of the reverse transform, the types
and the active names. For a top-level `for` loop L it answers with the *seeds* of L's
accumulators, or None when L must be reversed as usual.

A reverse sweep runs loops backwards because adjoints flow from one iteration into the
one before it through loop-carried values. A loop whose iterations carry nothing active
from one to the next, except sums `s = s + term` into scalars that nothing else in the
loop reads, has no such flow: the adjoint of every iteration needs only `s_adj`, which the
reverse sweep leaves unchanged across the whole loop. When the code after the loop uses
those sums linearly up to the returned value (`return s`, `return s / n * c`), `s_adj` is
known before the loop starts: `value_adj` times the coefficients of that linear map. Then
each iteration's adjoint can run right after the iteration itself, on data still in
cache, with no tape across iterations and no reversed loop (what a person writes by hand
for a Rosenbrock sum, a Huber loss or a pair energy).

Guarantees, when seeds are returned:
* every active name L assigns is an accumulator, or is assigned before it is read in every
  iteration (recursively through inner loops and branches) and is not read after L;
* L stores only into arrays it allocates itself (iteration-local), never into arrays that
  live across iterations;
* the active names L reads from outside are not assigned or stored into after L starts,
  so adjoint contributions made early are the ones the reverse sweep would make later;
* the arrays among them (other than the differentiated parameters, which get buffers)
  are assigned once, at the top level, before L: their adjoints can be allocated before L;
* `seeds[s]` is the source of an expression, over `value_adj` and names whose values do
  not change from L's start on, equal to the adjoint of accumulator `s` after the reverse
  sweep of the code after L.
"""
import gast

from .anf_info import is_simple, read_names, stored_array, target_name, walk_statements
from .codegen import src
from .helpers import user_function
from .types import FLOAT, Array

_LINEAR = (gast.Add, gast.Sub, gast.Mult, gast.Div)


class Fusion:
    def __init__(self, tr, value_adj):
        self.tr = tr
        self.value_adj = value_adj

    def seeds(self, loop, tail):
        """{accumulator: seed source} if `loop` (a top-level For) can be fused, else None."""
        accumulators = self.accumulators(loop)
        if not accumulators:
            return None
        start, _ = self._span(loop)
        return self._tail_seeds(accumulators, tail, start)

    def accumulators(self, loop, nested_in=None):
        """The accumulators of `loop` if its iterations are independent apart from them, else
        None. `nested_in`: the accumulators of the fused loop around it, whose seeds it shares
        (then it must add into those only, and its inputs may be that loop's locals)."""
        tr = self.tr
        body_statements = [s for s, _ in walk_statements(loop.body)]
        assigned = self._assigned(loop)
        accumulators = self._accumulators(body_statements, assigned)
        if not accumulators or (nested_in is not None and not accumulators <= nested_in):
            return None
        active_assigned = {n for n in assigned if n in tr.active} - accumulators
        if not self._iteration_local(loop, active_assigned):
            return None
        start, end = self._span(loop)
        if any(self._read_after(loop, n, end) for n in active_assigned | {loop.target.id}):
            return None                     # read after the loop: its last value matters
        buffers = self._work_buffers(loop, body_statements, start, end)
        if not self._stores_are_local(body_statements, assigned | buffers):
            return None
        if not self._inputs_fixed(loop, body_statements, assigned | buffers, start, nested_in is not None):
            return None
        return accumulators

    def _read_after(self, loop, n, end):
        """Is the value `n` has when `loop` ends read later? Reads after a statement of the
        same body that assigns `n` again (`for i in ...` once more) read that value instead."""
        tr = self.tr
        body, k = tr.statement_list[id(loop)]
        until, reads_first = None, False
        for statement in body[k + 1:]:
            if (is_simple(statement) and target_name(statement) == n) or \
                    (isinstance(statement, gast.For) and statement.target.id == n):
                until = tr.position[id(statement)]
                reads_first = is_simple(statement)      # `n = n + 1` reads before it assigns
                break
            if not is_simple(statement) and n in self._compound_reads(statement):
                return True                 # read by the test or range of what comes next
        return any(p > end and (until is None or p < until or (p == until and reads_first))
                   for p in tr.uses.get(n, []))

    # -- work buffers: arrays allocated before the loop that every iteration fills before reading
    def _work_buffers(self, loop, statements, start, end):
        """Float arrays allocated once before the loop (`xc = np.empty(d)`), used nowhere after
        it, that every iteration writes whole (`for j in range(d): xc[j] = ...`) before it
        reads them: they carry nothing from one iteration to the next."""
        tr = self.tr
        candidates = {}
        for s in statements:
            array = stored_array(s) if is_simple(s) else None
            size = self._allocation_size(array, start) if array else None
            if size is not None:
                candidates[array] = size
        buffers = set()
        for array, size in candidates.items():
            group = tr.alias_group.get(array, {array})
            if len(group) > 1 or any(p > end for p in tr.uses.get(array, []) + tr.store_positions.get(array, [])):
                continue
            if self._written_before_read(loop.body, array, size, False) is not None:
                buffers.add(array)
        return buffers

    def _allocation_size(self, array, start):
        """Source of `E` when `array = np.empty(E)` (or zeros, ones) is its only definition, at
        the top level before the loop."""
        tr = self.tr
        definition = tr.definition.get(array)
        t = tr.types.get(array)
        if definition is None or not (isinstance(t, Array) and t.ndim == 1 and t.kind == "f") or \
                array not in tr.unconditional or tr.position[id(definition)] >= start:
            return None
        value = definition.value
        if not (isinstance(value, gast.Call) and len(value.args) == 1 and not value.keywords
                and isinstance(value.func, gast.Attribute) and value.func.attr in ("empty", "zeros", "ones")
                and isinstance(value.args[0], (gast.Name, gast.Constant))):
            return None
        size = value.args[0]
        if isinstance(size, gast.Name) and any(p >= 0 for p, _ in tr.defs.get(size.id, [])[1:]):
            return None                     # the size name is rebound somewhere
        return src(size)

    def _written_before_read(self, body, array, size, written):
        """Walk `body` in order: False/True whether `array` is certainly written whole at the
        end, None if some statement may read it before that."""
        for s in body:
            if is_simple(s):
                if not written and array in self._reads_of(s):
                    return None
            elif isinstance(s, gast.If):
                if not written and array in self._compound_reads(s):
                    return None
                a = self._written_before_read(s.body, array, size, written)
                b = self._written_before_read(s.orelse, array, size, written)
                if a is None or b is None:
                    return None
                written = a and b
            elif isinstance(s, (gast.For, gast.While)):
                if self._fills(s, array, size):
                    written = True
                    continue
                if not written and array in self._compound_reads(s):
                    return None
                if self._written_before_read(s.body, array, size, written) is None:
                    return None
            elif not written and array in {n.id for n in gast.walk(s) if isinstance(n, gast.Name)}:
                return None
        return written

    def _fills(self, loop, array, size):
        """`for v in range(size): ... array[v] = e ...` with the store directly in the body
        and no read of `array` in the loop."""
        if not (isinstance(loop, gast.For) and isinstance(loop.iter, gast.Call) and len(loop.iter.args) == 1
                and src(loop.iter.args[0]) == size):
            return False
        v = loop.target.id
        stores = [s for s in loop.body if is_simple(s) and isinstance(s, gast.Assign) and stored_array(s) == array
                  and isinstance(s.targets[0].slice, gast.Name) and s.targets[0].slice.id == v]
        reads = any(array in self._reads_of(s) for s, _ in walk_statements(loop.body) if is_simple(s)) or \
            any(array in self._compound_reads(s) for s, _ in walk_statements(loop.body) if not is_simple(s))
        return bool(stores) and not reads

    def _reads_of(self, s):
        """Names a simple statement reads; the array a plain store writes into is not read."""
        names = read_names(s, self.tr.locals)
        if isinstance(s, gast.Assign) and stored_array(s):
            base = stored_array(s)
            inside = [n.id for n in gast.walk(s.value) if isinstance(n, gast.Name)] + \
                [n.id for n in gast.walk(s.targets[0].slice) if isinstance(n, gast.Name)]
            if base not in inside:
                names = [n for n in names if n != base]
        return set(names)

    # -- the loop
    def _span(self, loop):
        tr = self.tr
        start = tr.position[id(loop)]
        end = max([start] + [tr.position[id(s)] for s, _ in walk_statements(loop.body)])
        return start, end

    @staticmethod
    def _assigned(loop):
        names = set()
        for s, _ in walk_statements(loop.body):
            t = target_name(s) if is_simple(s) else None
            if t:
                names.add(t)
            if isinstance(s, gast.For):
                names.add(s.target.id)
        return names

    def _accumulators(self, statements, assigned):
        """Floats updated only by `s = s + t`, `s = t + s`, `s = s - t` and read nowhere else
        in the loop; None if some active name is read in its own update otherwise."""
        tr = self.tr
        updates = {}
        for s in statements:
            t = target_name(s) if is_simple(s) else None
            if t and t in tr.active and isinstance(s.value, gast.BinOp) and isinstance(s.value.op, (gast.Add, gast.Sub)):
                left, right = s.value.left, s.value.right
                own = [isinstance(x, gast.Name) and x.id == t for x in (left, right)]
                if own[0] and not own[1] or (own[1] and not own[0] and isinstance(s.value.op, gast.Add)):
                    updates.setdefault(t, []).append(s)
        result = set()
        for n, stmts_ in updates.items():
            if tr.types.get(n) != FLOAT:
                continue
            defs_in_loop = [s for s in statements if is_simple(s) and target_name(s) == n]
            if len(defs_in_loop) != len(stmts_):
                continue                    # also assigned some other way: not a plain sum
            other_reads = [s for s in statements if is_simple(s) and n in read_names(s, tr.locals)
                           and not any(s is u for u in stmts_)]
            compound_reads = [s for s in statements if not is_simple(s) and n in self._compound_reads(s)]
            if other_reads or compound_reads:
                continue
            result.add(n)
        return result

    def _compound_reads(self, node):
        part = getattr(node, "test", None) or getattr(node, "iter", None) or \
            (node.value if isinstance(node, gast.Expr) else None)
        return {n.id for n in gast.walk(part) if isinstance(n, gast.Name)} if part is not None else set()

    def _iteration_local(self, loop, names):
        """Is every name of `names` assigned before it is read, in every iteration?"""
        tr = self.tr

        def check(body, defined):
            for s in body:
                if is_simple(s):
                    reads = set(read_names(s, tr.locals))
                    if any(n in names and n not in defined for n in reads):
                        return None
                    t = target_name(s)
                    if t:
                        defined = defined | {t}
                elif isinstance(s, gast.If):
                    if self._compound_reads(s) & names - defined:
                        return None
                    a, b = check(s.body, defined), check(s.orelse, defined)
                    if a is None or b is None:
                        return None
                    defined = a & b
                elif isinstance(s, (gast.For, gast.While)):
                    if self._compound_reads(s) & names - defined:
                        return None
                    inner = defined | ({s.target.id} if isinstance(s, gast.For) else set())
                    if check(s.body, inner) is None:
                        return None
                elif isinstance(s, (gast.Expr, gast.Assert, gast.Raise)):
                    if {n.id for n in gast.walk(s) if isinstance(n, gast.Name)} & names - defined:
                        return None
                else:
                    return None
            return defined
        return check(loop.body, {loop.target.id}) is not None

    def _stores_are_local(self, statements, assigned):
        tr = self.tr
        for s in statements:
            array = stored_array(s) if is_simple(s) else None
            if array is None:
                continue
            group = tr.alias_group.get(array, {array})
            kind = getattr(tr.types.get(array), "kind", None)
            if any(m not in assigned for m in group) and kind == "f":
                return False            # a float array that lives across iterations
        return True

    def _inputs_fixed(self, loop, statements, assigned, start, nested):
        tr = self.tr
        inputs = set()
        for s in statements:
            names = read_names(s, tr.locals) if is_simple(s) else self._compound_reads(s)
            inputs |= {n for n in names if n not in assigned and n in tr.active}
        inputs |= {n for n in self._compound_reads(loop) if n in tr.active}
        for n in inputs:
            if any(p >= start for p, _ in tr.defs.get(n, []) if p >= 0):
                return False
            group = tr.alias_group.get(n, {n})
            if any(p >= start for m in group for p in tr.store_positions.get(m, [])):
                return False
            if isinstance(tr.types.get(n), Array) and n not in tr.wrt and not nested:
                if n not in tr.stable or n not in tr.unconditional:
                    return False        # its adjoint is allocated before the loop
        self.early_arrays = sorted(n for n in inputs if isinstance(tr.types.get(n), Array) and n not in tr.wrt)
        return True

    # -- the code after the loop
    def _tail_seeds(self, accumulators, tail, start):
        """Seeds of the accumulators if the tail maps them linearly to the returned value."""
        tr = self.tr
        linear = set(accumulators)
        steps = []
        for s, _ in walk_statements(tail):
            reads = set(read_names(s, tr.locals)) if is_simple(s) else self._compound_reads(s)
            if isinstance(s, (gast.Expr, gast.Assert, gast.Raise)):
                reads = {n.id for n in gast.walk(s) if isinstance(n, gast.Name)}
            if not reads & linear:
                continue
            if isinstance(s, gast.Return):
                if not (isinstance(s.value, gast.Name) and s.value.id in linear and any(s is x for x in tail)):
                    return None
                steps.append(("return", s.value.id))
                continue
            step = self._linear_step(s, linear, tail, start)
            if step is None:
                return None
            linear.add(step[0])
            steps.append(step)
        if not steps or steps[-1][0] != "return":
            return None
        seed = {steps[-1][1]: self.value_adj}
        for target, terms in (st for st in reversed(steps[:-1])):
            if target not in seed:
                continue
            for operand, scale in terms:
                expr = _scaled(seed[target], scale)
                seed[operand] = f"{seed[operand]} + {expr}" if operand in seed else expr
        if not all(a in seed for a in accumulators):
            return None
        return {a: seed[a] for a in accumulators}

    def _linear_step(self, s, linear, tail, start):
        """(target, [(operand, scale)]) for `t = a`, `t = a + b`, `t = a - b`, `t = -a`,
        `t = a * c`, `t = c * a`, `t = a / c` with c fixed from the loop's start on."""
        tr = self.tr
        t = target_name(s) if is_simple(s) else None
        if t is None or not any(s is x for x in tail) or len(tr.defs.get(t, [])) != 1:
            return None
        v = s.value

        def lin(x):
            return isinstance(x, gast.Name) and x.id in linear

        def fixed(x):
            return not lin(x) and self._before_loop(x, tail, start, 6) is not None
        if lin(v):
            return t, [(v.id, None)]
        if isinstance(v, gast.UnaryOp) and isinstance(v.op, gast.USub) and lin(v.operand):
            return t, [(v.operand.id, ("neg",))]
        if not (isinstance(v, gast.BinOp) and isinstance(v.op, _LINEAR)):
            return None
        a, b = v.left, v.right
        if isinstance(v.op, (gast.Add, gast.Sub)):
            terms = []
            if lin(a):
                terms.append((a.id, None))
            if lin(b):
                terms.append((b.id, ("neg",) if isinstance(v.op, gast.Sub) else None))
            others = [x for x in (a, b) if not lin(x)]
            if any(not isinstance(x, (gast.Name, gast.Constant)) for x in others):
                return None
            return t, terms
        if isinstance(v.op, gast.Mult):
            if lin(a) and fixed(b):
                return t, [(a.id, ("mul", self._before_loop(b, tail, start, 6)))]
            if lin(b) and fixed(a):
                return t, [(b.id, ("mul", self._before_loop(a, tail, start, 6)))]
            return None
        if lin(a) and fixed(b):
            return t, [(a.id, ("div", self._before_loop(b, tail, start, 6)))]
        return None

    def _before_loop(self, x, tail, start, depth):
        """Source computing the value `x` has in the tail, valid before the loop: constants,
        names nothing assigns from the loop on, and names the tail assigns once from such
        values by arithmetic, `.shape`, constant indexing or NumPy/math calls (`disc =
        math.exp(-r * T)`, `n = x.shape[0]`). None if there is no such source."""
        tr = self.tr
        if isinstance(x, gast.Constant):
            ok = isinstance(x.value, (int, float)) and not isinstance(x.value, bool)
            return repr(x.value) if ok else None
        if isinstance(x, gast.Name):
            later = [p for p, _ in tr.defs.get(x.id, []) if p >= start]
            if not later:
                return x.id if (x.id in tr.unconditional or x.id in tr.params) else None
            definition = next((s for s in tail if is_simple(s) and target_name(s) == x.id), None)
            if depth == 0 or len(later) != 1 or definition is None or len(tr.defs[x.id]) != 1:
                return None
            inner = self._before_loop(definition.value, tail, start, depth - 1)
            return f"({inner})" if inner is not None else None
        if isinstance(x, gast.BinOp):
            left = self._before_loop(x.left, tail, start, depth)
            right = self._before_loop(x.right, tail, start, depth)
            if left is None or right is None:
                return None
            return src(gast.BinOp(left=gast.Name(id=left, ctx=gast.Load(), annotation=None, type_comment=None),
                                  op=x.op, right=gast.Name(id=right, ctx=gast.Load(), annotation=None,
                                                           type_comment=None)))
        if isinstance(x, gast.UnaryOp) and isinstance(x.op, gast.USub):
            inner = self._before_loop(x.operand, tail, start, depth)
            return f"-({inner})" if inner is not None else None
        if isinstance(x, gast.Attribute) and x.attr == "shape":
            inner = self._before_loop(x.value, tail, start, depth)
            return f"{inner}.shape" if inner is not None else None
        if isinstance(x, gast.Subscript) and isinstance(x.slice, gast.Constant) and isinstance(x.slice.value, int):
            inner = self._before_loop(x.value, tail, start, depth)
            return f"{inner}[{x.slice.value}]" if inner is not None else None
        if isinstance(x, gast.Call) and not x.keywords and tr.resolver.is_global_ref(x.func) and \
                user_function(tr.resolver.value_of(x.func)) is None:
            args = [self._before_loop(a, tail, start, depth) for a in x.args]
            if any(a is None for a in args):
                return None
            return f"{src(x.func)}({', '.join(args)})"
        return None


def _scaled(expr, scale):
    if scale is None:
        return expr
    if scale[0] == "neg":
        return f"-({expr})"
    if scale[0] == "mul":
        return f"({expr}) * {scale[1]}"
    return f"({expr}) / {scale[1]}"
