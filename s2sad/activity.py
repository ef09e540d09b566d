"""Activity analysis: which names carry derivatives.

Takes the ANF body, inferred types and the differentiated parameters. A name is
*varied* if its value depends on a differentiated input through differentiable
operations, *useful* if the returned value depends on it; *active* is both, and only
real-valued names (floats, float arrays) can be active. Integers, booleans, loop
counters, constants and inactive arguments never get derivative code.

Array element stores are treated per element, never per array: `a[0] = 0.0` stores a
constant into one element and leaves the array active if any other store is active
(the trap that made Tangent return silent zeros for a heat stencil).
"""
import gast

from . import rules
from .anf_info import stored_array, target_name, walk_statements
from .types import BOOL, INT, Array, is_real


class Activity:
    def __init__(self, body, types, wrt, resolver, location):
        self.location = location
        self.body = body
        self.types = types
        self.resolver = resolver
        self.locals = set(types)
        simple = [s for s, _ in walk_statements(body) if isinstance(s, (gast.Assign, gast.AugAssign, gast.Return))]
        self.varied = {w for w in wrt if is_real(types.get(w))}
        self._fixpoint(simple, self._forward)
        self.useful = set()
        for stmt in simple:
            if isinstance(stmt, gast.Return):
                self.useful.update(self._differentiable_reads(stmt.value))
        self._fixpoint(simple, self._backward)
        self.active = {n for n in self.varied & self.useful if is_real(types.get(n))}

    @staticmethod
    def _fixpoint(stmts, step):
        changed = True
        while changed:
            changed = False
            for stmt in stmts:
                changed |= step(stmt)

    def _defined(self, stmt):
        return target_name(stmt) or stored_array(stmt)

    def _forward(self, stmt):
        defined = self._defined(stmt)
        if defined is None or defined in self.varied:
            return False
        if any(n in self.varied for n in self._differentiable_reads(stmt.value)):
            t = self.types.get(defined)
            if not is_real(t):
                if t in (INT, BOOL) or (isinstance(t, Array) and t.kind in "ib"):
                    return False          # integer or boolean results carry no derivative
                from .untyped import explain_untyped
                raise explain_untyped(stmt, self.body, self.types, self.resolver, self.location)
            self.varied.add(defined)
            return True
        return False

    def _backward(self, stmt):
        defined = self._defined(stmt)
        if defined is None or defined not in self.useful:
            return False
        new = set(self._differentiable_reads(stmt.value)) - self.useful
        self.useful |= new
        return bool(new)

    def _differentiable_reads(self, expr):
        """Local names whose derivatives flow into `expr` (not indices, not booleans)."""
        if isinstance(expr, gast.Name):
            return [expr.id] if expr.id in self.locals else []
        if isinstance(expr, (gast.Constant, gast.Compare, gast.BoolOp)):
            return []
        if isinstance(expr, gast.UnaryOp):
            return [] if isinstance(expr.op, gast.Not) else self._differentiable_reads(expr.operand)
        if isinstance(expr, gast.BinOp):
            if isinstance(expr.op, gast.FloorDiv):
                return []
            return self._differentiable_reads(expr.left) + self._differentiable_reads(expr.right)
        if isinstance(expr, gast.Subscript):
            return self._differentiable_reads(expr.value)
        if isinstance(expr, gast.Attribute):
            return self._differentiable_reads(expr.value) if expr.attr == "T" else []
        if isinstance(expr, gast.Tuple):
            return [n for e in expr.elts for n in self._differentiable_reads(e)]
        if isinstance(expr, gast.Call):
            if self.resolver.is_global_ref(expr.func):
                func = self.resolver.value_of(expr.func)
                if rules.is_non_differentiable(func):
                    return []
            reads = [n for a in expr.args for n in self._differentiable_reads(a)]
            # a keyword argument may carry a derivative too (np.sum(a=x)): the transforms
            # differentiate it or reject it, never drop it
            reads += [n for k in expr.keywords for n in self._differentiable_reads(k.value)]
            if isinstance(expr.func, gast.Attribute) and not self.resolver.is_global_ref(expr.func):
                reads += self._differentiable_reads(expr.func.value)
            return reads
        return []
