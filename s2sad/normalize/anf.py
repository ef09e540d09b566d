"""Lowering: three-address (A-normal) form.

Takes a body after the augassign, unpack and ifexp lowerings. Guarantees that every
simple statement is one of

    name = <atom>                         name = <atom> <op> <atom>
    name = -<atom>                        name = f(<atom>, ...)      (f a global reference)
    name = <array>[<index atoms>]         name = <local>.<attribute>
    <array>[<index atoms>] = <atom>       <array>[<index atoms>] += <atom>   (or -=)
    name = <boolean expression>           (comparisons, and/or/not: never differentiated)

where an atom is a local name, a constant or a global reference. Temporaries get
readable names derived from what they hold (`k_times_d`, `x_i_plus_1`) and are assigned
exactly once. `if`/`while` tests and `range(...)` arguments are left as written: they
are evaluated by the forward sweep only (the reverse sweep replays recorded decisions);
so are `print(...)` and `assert` statements.
"""
import gast

from ..naming import temp_stem
from .walk import assign, load, store

_BOOLEAN = (gast.Compare, gast.BoolOp)


class _ANF:
    def __init__(self, namer, location, resolver):
        self.namer = namer
        self.location = location
        self.resolver = resolver
        self.lists = set()      # names assigned a list display: as indices they mean what tuples do not

    # --- statements -------------------------------------------------------
    def body(self, stmts):
        out = []
        for stmt in stmts:
            out.extend(self.statement(stmt))
        return out

    def statement(self, stmt):
        self.current = stmt
        self.computed = {}      # within one statement, equal subexpressions share a temporary
        if isinstance(stmt, gast.Pass):
            return []
        if isinstance(stmt, (gast.Expr, gast.Assert, gast.Raise)):
            return [stmt]      # print(...), assert: run by the forward sweep as written, never differentiated
        if isinstance(stmt, gast.If):
            stmt.body, stmt.orelse = self.body(stmt.body), self.body(stmt.orelse)
            return [stmt]
        if isinstance(stmt, (gast.For, gast.While)):
            stmt.body = self.body(stmt.body)
            return [stmt]
        if isinstance(stmt, gast.Return):
            out = []
            stmt.value = self.atom(stmt.value, out, "result")
            return out + [stmt]
        if isinstance(stmt, gast.Assign):
            return self.assignment(stmt)
        if isinstance(stmt, gast.AugAssign):  # only a[idx] += e / -= e remain
            out = []
            stmt.target = self.subscript(stmt.target, out, store_ctx=True)
            stmt.value = self.atom(stmt.value, out, "increment")
            return out + [stmt]
        raise self.location.unsupported(stmt, type(stmt).__name__, "statement not supported")

    def assignment(self, stmt):
        out = []
        target = stmt.targets[0]
        if isinstance(target, gast.Name):
            if isinstance(stmt.value, gast.List):
                self.lists.add(target.id)
            stmt.value = self.simple(stmt.value, out, target.id)
        elif isinstance(target, gast.Subscript):
            stmt.targets = [self.subscript(target, out, store_ctx=True)]
            stem = f"{target.value.id}_value" if isinstance(target.value, gast.Name) else "value"
            stmt.value = self.atom(stmt.value, out, stem)
        else:
            raise self.location.unsupported(stmt, "assignment target",
                                            f"cannot assign to {type(target).__name__}")
        return out + [stmt]

    # --- expressions ------------------------------------------------------
    def is_atom(self, expr):
        if isinstance(expr, gast.UnaryOp) and isinstance(expr.op, gast.USub) and \
                isinstance(expr.operand, gast.Constant):
            return True          # a negative literal; kept as -(c) so that (-1.0) ** i keeps its brackets
        return isinstance(expr, (gast.Name, gast.Constant)) or self.resolver.is_global_ref(expr)

    def atom(self, expr, out, stem):
        """Lower `expr` to an atom, emitting the statements that compute it into `out`."""
        if self.is_atom(expr):
            return expr
        value = self.simple(expr, out, stem)
        if self.is_atom(value):
            return value
        key = gast.dump(value)
        if key in self.computed:
            return load(self.computed[key])
        name = self.namer.fresh(temp_stem(value, f"{stem}_term"))
        self.computed[key] = name
        self.resolver.add_local(name)
        out.append(assign(store(name), value, like=self.current))
        return load(name)

    def simple(self, expr, out, stem):
        """Lower `expr` to one operation over atoms."""
        if self.is_atom(expr) or isinstance(expr, _BOOLEAN):
            return expr
        if isinstance(expr, gast.UnaryOp):
            if isinstance(expr.op, gast.Not):
                return expr
            operand = self.atom(expr.operand, out, stem)
            if isinstance(expr.op, gast.UAdd):
                return operand
            return gast.UnaryOp(op=expr.op, operand=operand)
        if isinstance(expr, gast.BinOp):
            return gast.BinOp(left=self.atom(expr.left, out, stem), op=expr.op,
                              right=self.atom(expr.right, out, stem))
        if isinstance(expr, gast.Call):
            return self.call(expr, out, stem)
        if isinstance(expr, gast.Subscript):
            return self.subscript(expr, out, store_ctx=False)
        if isinstance(expr, gast.Attribute):
            return gast.Attribute(value=self.atom(expr.value, out, stem), attr=expr.attr,
                                  ctx=gast.Load())
        if isinstance(expr, (gast.Tuple, gast.List)):
            return gast.Tuple(elts=[self.atom(e, out, stem) for e in expr.elts], ctx=gast.Load())
        raise self.location.unsupported(self.current, type(expr).__name__,
                                        "expression not supported")

    def call(self, expr, out, stem):
        func = expr.func
        if not self.resolver.is_global_ref(func):
            if isinstance(func, gast.Attribute):   # method call on a local: x.copy()
                func = gast.Attribute(value=self.atom(func.value, out, stem), attr=func.attr,
                                      ctx=gast.Load())
            else:
                raise self.location.unsupported(
                    self.current, "call",
                    f"only calls of module-level functions are supported; `{func.id}` is a local name. "
                    "A helper may call a function passed to it: differentiate a function that passes "
                    "a module-level function (`rk4(rhs, ...)`)" if isinstance(func, gast.Name) else
                    "only calls of module-level functions are supported")
        args = [self.argument(a, out, stem) for a in expr.args]
        keywords = [gast.keyword(arg=k.arg, value=self.argument(k.value, out, stem))
                    for k in expr.keywords]
        return gast.Call(func=func, args=args, keywords=keywords)

    def argument(self, expr, out, stem):
        if isinstance(expr, (gast.Tuple, gast.List)):
            return gast.Tuple(elts=[self.atom(e, out, stem) for e in expr.elts], ctx=gast.Load())
        return self.atom(expr, out, stem)

    def subscript(self, expr, out, store_ctx):
        base = expr.value if isinstance(expr.value, gast.Name) else \
            self.atom(expr.value, out, "array")
        index = expr.slice
        if isinstance(index, gast.Tuple):
            index = gast.Tuple(elts=[self.index_part(e, out) for e in index.elts], ctx=gast.Load())
        else:
            index = self.index_part(index, out)
        node = gast.Subscript(value=base, slice=index,
                              ctx=gast.Store() if store_ctx else gast.Load())
        return node

    def index_part(self, expr, out):
        if isinstance(expr, gast.List) or isinstance(expr, gast.Name) and expr.id in self.lists:
            # x[[0, 2]] picks rows 0 and 2, x[(0, 2)] one element: lists are lowered to tuples here
            raise self.location.unsupported(self.current, "list index",
                                            "indexing with a list is not supported; index with an integer "
                                            "array instead, x[np.array([0, 2])]")
        if isinstance(expr, gast.Slice):
            return gast.Slice(*(None if e is None else self.atom(e, out, "bound")
                                for e in (expr.lower, expr.upper, expr.step)))
        return self.atom(expr, out, "index")


def to_anf(body, namer, location, resolver):
    return _ANF(namer, location, resolver).body(body)
