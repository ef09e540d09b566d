"""Why a value has no type: the call, in the user's source, that s2sad cannot type.

A value whose type is UNKNOWN cannot be differentiated. The statement where that is noticed
is often far from the cause and written in three-address form (`r_1 = result[1]`, the
element of a tuple a helper returned); `explain_untyped` follows the value back, through
names, tuple elements and into helpers, to the first call whose arguments are typed but
whose result is not, and raises UnsupportedError at that call's line, naming the function.
"""
import gast

from .anf_info import target_name, walk_statements
from .codegen import src
from .types import UNKNOWN, TupleType, TypeInference


def _untyped(t):
    if t is None or t == UNKNOWN:
        return True
    return isinstance(t, TupleType) and any(_untyped(e) for e in t.elts)


class _Body:
    def __init__(self, body, types, resolver, location, helper=None):
        self.types, self.resolver, self.location, self.helper = types, resolver, location, helper
        self.definitions = {}
        for node, _ in walk_statements(body):
            t = target_name(node) if isinstance(node, gast.Assign) else None
            if t:
                self.definitions.setdefault(t, []).append(node)

    def type_of(self, expr):
        return TypeInference(self.resolver, self.types).expr(expr)


def explain_untyped(stmt, body, types, resolver, location):
    """The UnsupportedError to raise for `stmt`, whose result is varied but has no type."""
    where = _Body(body, types, resolver, location)
    seen = set()
    found = _cause(stmt, where, seen)
    if found is None and target_name(stmt):           # typed here, untyped where assigned elsewhere
        found = _follow([gast.Name(id=target_name(stmt), ctx=gast.Load(), annotation=None, type_comment=None)],
                        where, seen)
    if found is None:
        return location.unsupported(stmt, "type", f"cannot tell what `{src(stmt.value)}` computes "
                                                  "(a float, an array?), so its derivative cannot be generated")
    node, where, what = found
    line = where.location.line_of(node)
    text = where.location.text_of_line(line) if line is not None else ""
    inside = f" (in {where.helper}, called from differentiated code)" if where.helper else ""
    return where.location.unsupported(
        node, what, f"s2sad cannot tell what {what} returns here{inside}"
                    f"{f': `{text}`' if text else ''}, so it cannot differentiate through it. "
                    "It is not among the functions s2sad knows (or not with these argument types); "
                    "give it a rule with @s2sad.adjoint, or wrap it in s2sad.stop_gradient(...)")


def _cause(stmt, body, seen):
    """(node, body, description) of the first untyped call behind `stmt`'s value, or None."""
    if id(stmt) in seen:
        return None
    seen.add(id(stmt))
    value = stmt.value
    if isinstance(value, gast.Call):
        resolver = body.resolver
        if resolver.is_global_ref(value.func):
            func = resolver.value_of(value.func)
            from .helpers import user_function
            helper = user_function(func)
            if helper is not None:
                inner = _in_helper(helper, value, body, seen)
                if inner is not None:
                    return inner
            arguments = _follow(value.args + [k.value for k in value.keywords], body, seen)
            if arguments is not None:
                return arguments
            return stmt, body, f"`{src(value.func)}`"
        method = _follow([value.func.value] + value.args, body, seen)
        if method is not None:
            return method
        return stmt, body, f"the method `.{value.func.attr}(...)`"
    operands = [n for n in gast.walk(value) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)]
    return _follow(operands, body, seen)


def _follow(atoms, body, seen):
    """The cause behind the first untyped local among `atoms`."""
    for atom in atoms:
        names = [atom] if isinstance(atom, gast.Name) else \
            [n for n in gast.walk(atom) if isinstance(n, gast.Name)]
        for n in names:
            if n.id in body.definitions and _untyped(body.types.get(n.id)):
                for definition in body.definitions[n.id]:
                    if _untyped(body.type_of(definition.value)):
                        found = _cause(definition, body, seen)
                        if found is not None:
                            return found
    return None


def _in_helper(helper, call, body, seen):
    """Look inside a helper whose result has no type, at its own untyped statements."""
    from .transform import _front
    from .types import infer_types
    try:
        fdef, location, resolver, _, _ = _front(helper)
    except Exception:
        return None
    params = [a.id for a in fdef.args.args]
    arg_types = {p: body.type_of(a) for p, a in zip(params, call.args)}
    types = infer_types(fdef.body, resolver, arg_types)
    inner = _Body(fdef.body, types, resolver, location, helper=helper.__name__)
    result = fdef.body[-1]
    if isinstance(result, gast.Return) and isinstance(result.value, gast.Name):
        for definition in inner.definitions.get(result.value.id, []):
            found = _cause(definition, inner, seen)
            if found is not None:
                return found
    for node, _ in walk_statements(fdef.body):
        if isinstance(node, gast.Assign) and target_name(node) and _untyped(types.get(target_name(node))):
            found = _cause(node, inner, seen)
            if found is not None:
                return found
    return None
