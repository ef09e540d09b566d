"""Lowering: tuple unpacking and chained assignment.

Takes any body; guarantees every `Assign` has exactly one target and that target is a
Name or a Subscript. `a, b = b, a + b` evaluates the whole right side first, as Python does.
"""
import gast

from .walk import assign, load, rewrite_body


def lower_unpacking(body, namer, location):
    def lower(stmt):
        if not isinstance(stmt, gast.Assign):
            return [stmt]
        out = []
        value = stmt.value
        if len(stmt.targets) > 1:             # a = b = e  ->  a = e; b = a  (left to right, as Python)
            first = stmt.targets[0]
            if not isinstance(first, gast.Name):
                name = namer.fresh("value")
                out.append(assign(gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None),
                                  value, like=stmt))
                value, first = load(name), None
            else:
                out.extend(lower(assign(first, value, like=stmt)))
                value = _as_load(first)
            for target in stmt.targets[1 if first is not None else 0:]:
                out.extend(lower(assign(target, value, like=stmt)))
            return out
        target = stmt.targets[0]
        if not isinstance(target, (gast.Tuple, gast.List)):
            return [stmt]
        if not isinstance(value, (gast.Tuple, gast.List)) or len(value.elts) != len(target.elts):
            raise location.unsupported(stmt, "tuple unpacking",
                                       "unpacking is supported only from a tuple display of the same length")
        temps = []
        for elt, val in zip(target.elts, value.elts):
            stem = f"{elt.id}_new" if isinstance(elt, gast.Name) else "value"
            name = namer.fresh(stem)
            temps.append(name)
            out.append(assign(gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None),
                              val, like=stmt))
        for elt, name in zip(target.elts, temps):
            out.extend(lower(assign(elt, load(name), like=stmt)))
        return out

    return rewrite_body(body, lower)


def _as_load(target):
    import copy
    node = copy.deepcopy(target)
    node.ctx = gast.Load()
    return node
