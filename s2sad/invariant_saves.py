"""Reverse transform, part: values unchanged in a loop are saved once around it.

A mixin of `ReverseTransform`. A value a block inside loops needs in the reverse sweep, and
that no statement of some enclosing loop changes, is saved once per run of that loop (after
it, or after the last loop after it that leaves the value alone) and restored once, before
the loop's reversal, instead of once per inner iteration: the heat stencil's state is saved
once per time step (8 bytes per point per step), not once per read (24).
"""
import gast

from .anf_info import is_simple, target_name, walk_statements
from .codegen import stmts
from .sweeps import Counts
from .types import Array


class InvariantSaves:
    def loop_span(self, loop):
        start = self.position[id(loop)]
        return start, max([start] + [self.position[id(s)] for s, _ in walk_statements(loop.body)])

    def invariant_loop(self, n, statement):
        """The outermost loop around `statement` in which `n` (and its memory) never changes,
        if that loop sits inside another loop and `n` is certainly defined where it starts;
        else None. A value the reverse sweep needs there is saved once per run of that loop
        (after it) and restored once (before its reversal), not once per inner iteration."""
        loops = self.enclosing_loops.get(id(statement), ())
        group = self.alias_group.get(n, {n})
        changes = [p for m in group for p, _ in self.defs.get(m, []) if p >= 0] + \
            [p for m in group for p in self.store_positions.get(m, [])]
        found = None
        for depth, loop in enumerate(loops):
            start, end = self.loop_span(loop)
            if any(start <= p <= end for p in changes):
                break
            if depth + 1 < len(loops):
                found = loop
        if found is None or self.tape_of(n) is None or not self._defined_before(n, found):
            return None
        return found

    def _defined_before(self, n, loop):
        """Is `n` assigned on every path to `loop` (a parameter, or assigned earlier in a
        statement list around it)?"""
        if n in self.params and not any(p >= 0 for p, _ in self.defs.get(n, [])):
            return True
        node = loop
        while node is not None:
            body, k = self.statement_list[id(node)]
            if any(is_simple(s) and target_name(s) == n for s in body[:k]):
                return True
            enclosing = self.enclosing_loops.get(id(node), ())
            node = enclosing[0] if enclosing else None
        return False

    def hoist(self, n, statement):
        """Save `n` around its invariant loop instead of where `statement`'s block needs it."""
        loop = self.invariant_loop(n, statement)
        if loop is None:
            return False
        loop = self._last_loop_keeping(n, loop)
        names = self.hoisted.setdefault(id(loop), [])
        if n not in names:
            names.append(n)
        return True

    def _last_loop_keeping(self, n, loop):
        """The last loop among `loop` and the statements after it in the same body before
        anything changes `n`: one save after it serves them all (the reverse sweep restores
        `n` before reversing it, and nothing reversed after that changes `n`)."""
        body, k = self.statement_list[id(loop)]
        group = self.alias_group.get(n, {n})
        changes = [p for m in group for p, _ in self.defs.get(m, []) if p >= 0] + \
            [p for m in group for p in self.store_positions.get(m, [])]
        last = loop
        for statement in body[k + 1:]:
            start = self.position[id(statement)]
            end = self.loop_span(statement)[1] if isinstance(statement, (gast.For, gast.While)) else \
                max([start] + [self.position[id(s)] for s, _ in walk_statements(getattr(statement, "body", []))]
                    + [self.position[id(s)] for s, _ in walk_statements(getattr(statement, "orelse", []))])
            if any(start <= p <= end for p in changes):
                break
            if isinstance(statement, (gast.For, gast.While)):
                last = statement
        return last

    def _hoisted_saves(self, loop):
        """(forward statements after `loop`, reverse statements before its reversal, counts)."""
        forward, reverse, counts = [], [], Counts()
        for n in self.hoisted.pop(id(loop), []):
            forward += self.save(n)
            reverse[:0] = self._restore_in_place(n) or self.restore(n, n)
            if self.tape_of(n) != "array":
                counts = counts.plus(Counts({self.tape_of(n): 1}))
        return forward, reverse, counts

    def _restore_in_place(self, n):
        """Statements copying a saved work array back into its own memory (no allocation),
        for a float array of 1 or 2 dimensions that the function allocated itself and that
        no other name refers to; None otherwise (a parameter must end as the primal leaves it)."""
        t = self.types.get(n)
        definition = self.definition.get(n)
        if not (isinstance(t, Array) and t.kind == "f" and t.ndim in (1, 2) and definition is not None
                and self.alias_group.get(n, {n}) == {n} and n not in self.params):
            return None
        value = definition.value
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
                and value.func.attr in ("empty", "zeros", "ones", "full", "empty_like", "zeros_like",
                                        "ones_like", "full_like", "copy")):
            return None
        self.tapes_used.add("float")
        tape, top = self.tape_var("float"), self.top_var("float")
        return stmts(f"{top} = restore_array{t.ndim}({tape}, {top}, {n})")
