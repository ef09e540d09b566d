"""Reverse transform, part: the emission of fused loops (see `fusion` for which qualify).

A mixin of `ReverseTransform`. A fused loop's body is transformed like straight-line code
run once (`Ctx.fused`), and its reverse follows its forward inside each iteration, with the
accumulators' adjoints replaced by their seeds, computed before the loop.
"""
import copy

import gast

from .anf_info import is_simple, read_names, target_name, walk_statements
from .codegen import comment, is_comment, src, stmts
from .fusion import Fusion
from .if_conversion import convert
from .sweeps import Ctx
from .types import Array


class FusedLoops:
    def fused_for_unit(self, node, ctx, tail):
        """A loop whose adjoint runs inside it, iteration by iteration (see `fusion`): a
        top-level loop, or a loop directly in the body of one that adds into the same sums.
        None if the loop does not qualify."""
        if ctx.in_loop or ctx.in_branch or self.helper or not self.fuse_loops:
            return None
        fusion = Fusion(self, self.value_adj)
        nested = ctx.fused
        if nested:
            seeds = None
            if fusion.accumulators(node, nested_in=set(self.fused_accumulators)) is None:
                return None
        else:
            seeds = fusion.seeds(node, tail)
            if seeds is None:
                return None
            self.fused_accumulators = set(seeds)
            self.fused_seed_names = {self.adj(a): self.namer.fresh(f"{a}_seed") for a in seeds}
        i = node.target.id
        outer_definitions = self.fused_definitions
        self.fused_definitions = {**outer_definitions, **self._defined_once_at_top(node)}
        fused_before = self.fused_loops
        since = len(self.growth_points)
        # one iteration's adjoint runs before the next iteration starts: within it, the body is
        # straight-line code run once (values kept in locals and flags, not on tapes)
        fb, rb, cb = self.body(node.body, Ctx(False, ctx.loop_vars | {i}, False, True))
        self.fused_definitions = outer_definitions
        if not rb and self.fused_loops == fused_before:
            del self.growth_points[since:]
            return None             # no adjoint work at all
        self.fused_loops += 1
        self._add_headroom(since, cb)
        grows_inside = len(self.growth_points) > since
        line = node.lineno
        forward = [comment(f"{self.location.cite(line)}: {self.location.text_of_line(line)}")]
        if nested:
            forward.append(comment("adds into the same sums: each iteration's adjoint runs right after it"))
        else:
            forward.append(comment("its iterations are independent sums: each one's adjoint runs right after it"))
            forward += self._early_inits(node, set(seeds))
            for a, seed in sorted(seeds.items()):
                forward += stmts(f"{self.fused_seed_names[self.adj(a)]} = {seed}")
        rb = _renamed(rb, self.fused_seed_names)
        body = _merge_last_branch(fb, rb)
        restart, after = [], []
        if body is not None:
            body = self._branch_free(body, len(fb) - 2, node)
            body, skips_pops = self._sink_into_branch(body, len(fb) - 2)
            if skips_pops:
                # an iteration that skips its adjoint leaves its saves on the tapes: every
                # iteration starts again where the first one started
                for tape in sorted(t for t in self.tapes_used):
                    top = self.top_var(tape)
                    start = self.namer.fresh(f"{top}_at_line{line}")
                    forward += stmts(f"{start} = {top}")
                    restart += stmts(f"{top} = {start}")
                after = restart          # and the code after the loop too: its room was reserved from there
        else:
            body = fb + ([comment(f"adjoint of this iteration of {self.location.cite(line)}")] + rb if rb else [])
        if grows_inside:
            body[:0] = self._per_iteration_reserve(cb, fb)
        else:
            forward += self.reserve(cb)
        body[:0] = restart
        forward.append(gast.For(target=node.target, iter=node.iter, body=body, orelse=[], type_comment=None))
        forward += copy.deepcopy(after)
        # saves kept for loops before it (see `hoist`); its own iterations read their values live
        hoisted_forward, hoisted_reverse, hoisted_counts = self._hoisted_saves(node)
        return forward + hoisted_forward, hoisted_reverse, hoisted_counts

    def _branch_free(self, body, k, loop):
        """`body` with its `if` at index k (a branch and its adjoint, merged) computed without
        a branch when both arms are small scalar arithmetic (see `if_conversion`)."""
        start, end = self.loop_span(loop)
        outside = {n.id for j, s in enumerate(body) if j != k for n in gast.walk(s) if isinstance(n, gast.Name)}
        # adjoints of names the loop assigns live inside it (those outside the `if` are in
        # `outside`); the adjoints of everything else may be read after the loop
        inside = {n for n, ds in self.defs.items() if any(start <= p <= end for p, _ in ds)}
        used_elsewhere = outside | {a for n, a in self.adj_names.items() if n not in inside} | \
            set(self.fused_seed_names.values()) | self.fused_accumulators | \
            {n for n in self.locals if any(p > end for p in self.uses.get(n, []))}
        defined_before = {target_name(s) for s in body[:k] if isinstance(s, gast.Assign)} | \
            {self.adj(n) for n in self.early_adjoints} | set(self.fused_seed_names.values()) | \
            set(self.params) | {n for n in self.unconditional if self.defs.get(n) and
                                all(p < self.loop_span(loop)[0] for p, _ in self.defs[n])} | \
            self.fused_accumulators
        straight = convert(body[k], used_elsewhere, defined_before, self.namer.fresh)
        if straight is None:
            return body
        line = body[k].test
        return body[:k] + [comment(f"both arms computed, the one taken selected: if {src(line)}")] + \
            straight + body[k + 1:]

    def _sink_into_branch(self, body, k):
        """`body` with the adjoint code after its merged `if` (at index k) moved into the arm
        that gives it anything to do: when the other arm leaves every adjoint that code reads
        at zero, running it there would only add zeros (a pair beyond a cutoff radius costs
        no adjoint work). Unchanged unless all of the code after the `if` qualifies."""
        branch = body[k]
        if not isinstance(branch, gast.If):
            return body, False
        adjoints = set(self.adj_names.values()) | set(self.fused_seed_names.values())
        tops = {self.top_var(t) for t in self.tapes_used}
        trailing = [s for s in body[k + 1:] if not is_comment(s)]
        reset = {s.targets[0].id for s in trailing if isinstance(s, gast.Assign) and
                 isinstance(s.targets[0], gast.Name) and _is_zero(s.value)}
        for taken, other in ((branch.body, branch.orelse), (branch.orelse, branch.body)):
            zero = (_assigned_in(taken) & adjoints & reset) - _assigned_in(other)
            if zero and all(self._adds_only_zeros(s, zero, adjoints, tops) for s in trailing):
                moved = body[k + 1:]
                taken[:] = [s for s in taken if not isinstance(s, gast.Pass)] + moved
                pops = any(isinstance(n, gast.Name) and n.id in tops for s in moved for n in gast.walk(s))
                return body[:k + 1], pops
        return body, False

    @classmethod
    def _adds_only_zeros(cls, statement, zero, adjoints, tops):
        """Is `statement` a recomputation, a tape read, or adjoint code that only moves values
        of `zero` (adjoints that are 0 when the other arm ran), or a loop of those? Updates
        `zero` with what it makes zero."""
        if is_comment(statement):
            return True
        if isinstance(statement, gast.For) and not statement.orelse:
            return all(cls._adds_only_zeros(s, zero, adjoints, tops) for s in statement.body)
        if isinstance(statement, gast.AugAssign) and isinstance(statement.target, gast.Name) \
                and statement.target.id in tops:
            return True                            # `float_top -= 1`: the tape is read back
        if isinstance(statement, gast.Assign) and isinstance(statement.targets[0], gast.Name):
            target = statement.targets[0].id
            reads = {n.id for n in gast.walk(statement.value) if isinstance(n, gast.Name)} & adjoints
            if target in zero and _is_zero(statement.value):
                return True
            if not reads:
                return target not in adjoints      # a value recomputed for the adjoint code
            if reads <= zero and target in adjoints:
                zero.add(target)
                return True
            return False
        if isinstance(statement, gast.AugAssign) and isinstance(statement.op, (gast.Add, gast.Sub)):
            reads = {n.id for n in gast.walk(statement.value) if isinstance(n, gast.Name)} & adjoints
            return bool(reads) and reads <= zero and isinstance(_root_name(statement.target), str) and \
                _root_name(statement.target) in adjoints
        return False

    def _defined_once_at_top(self, loop):
        """{name: position} of names assigned once in `loop`, directly in its body."""
        start, end = self.loop_span(loop)
        top_level = {target_name(s) for s in loop.body if is_simple(s)}
        inside = ((n, [p for p, _ in ds if start <= p <= end]) for n, ds in self.defs.items() if n in top_level)
        return {n: ps[0] for n, ps in inside if len(ps) == 1}

    def _early_inits(self, loop, accumulators):
        """Zero the adjoints a fused loop adds into, unless an earlier one did."""
        names = set()
        for s, _ in walk_statements(loop.body):
            if is_simple(s):
                names |= set(read_names(s, self.locals))
                if target_name(s):
                    names.add(target_name(s))
            else:
                names |= set(self._names(getattr(s, "test", None) or getattr(s, "iter", None)))
        out = []
        for n in sorted(names):
            if n not in self.active or n in self.early_adjoints or n in self.block_local or n in self.wrt \
                    and isinstance(self.types.get(n), Array) or n in self.deferred_adjoints or n in accumulators:
                continue
            self.early_adjoints.add(n)
            zero = f"np.zeros_like({n})" if isinstance(self.types.get(n), Array) else "0.0"
            out += stmts(f"{self.adj(n)} = {zero}")
        return out


def _merge_last_branch(forward, reverse):
    """`forward + reverse` with the replay of a branch that ends `forward` merged into it:
    when nothing runs between a branch and its adjoint, one `if` does both and no flag
    records the decision. None when `forward` does not end with a recorded branch."""
    if len(forward) < 2 or not isinstance(forward[-1], gast.If):
        return None
    branch, reset = forward[-1], forward[-2]
    flag = target_name(reset) if isinstance(reset, gast.Assign) else None
    if flag is None or not branch.body or target_name(branch.body[0]) != flag:
        return None
    k = next((k for k, s in enumerate(reverse) if not is_comment(s)), None)
    replay = reverse[k] if k is not None else None
    if not isinstance(replay, gast.If):
        return None
    test = replay.test
    if isinstance(test, gast.Name) and test.id == flag:
        taken, not_taken = replay.body, replay.orelse
    elif isinstance(test, gast.UnaryOp) and isinstance(test.op, gast.Not) and \
            isinstance(test.operand, gast.Name) and test.operand.id == flag:
        taken, not_taken = replay.orelse, replay.body
    else:
        return None
    rest = reverse[k + 1:]
    if any(isinstance(n, gast.Name) and n.id == flag for s in rest for n in gast.walk(s)):
        return None
    merged = gast.If(test=branch.test, body=branch.body[1:] + taken or [gast.Pass()],
                     orelse=branch.orelse + not_taken)
    return forward[:-2] + [merged] + rest


def _renamed(statements, names):
    """`statements` with the names in `names` replaced."""
    class Rename(gast.NodeTransformer):
        def visit_Name(self, n):
            if n.id in names:
                return gast.Name(id=names[n.id], ctx=n.ctx, annotation=None, type_comment=None)
            return n
    return [Rename().visit(copy.deepcopy(s)) for s in statements]


def _is_zero(expr):
    return isinstance(expr, gast.Constant) and expr.value == 0.0 and not isinstance(expr.value, bool)


def _assigned_in(statements):
    names = set()
    for s in statements:
        for n in gast.walk(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                names.add(n.id)
            if isinstance(n, gast.AugAssign):
                root = _root_name(n.target)
                if root:
                    names.add(root)
    return names


def _root_name(target):
    while isinstance(target, gast.Subscript):
        target = target.value
    return target.id if isinstance(target, gast.Name) else None
