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
        if not isinstance(value, (gast.Tuple, gast.List)):      # u, v = helper(x)
            whole = namer.fresh("_".join(e.id for e in target.elts if isinstance(e, gast.Name)) or "unpacked")
            out.append(assign(gast.Name(id=whole, ctx=gast.Store(), annotation=None, type_comment=None),
                              value, like=stmt))
            for k, elt in enumerate(target.elts):
                item = gast.Subscript(value=load(whole), slice=gast.Constant(value=k, kind=None), ctx=gast.Load())
                out.extend(lower(assign(elt, item, like=stmt)))
            return out
        if len(value.elts) != len(target.elts):
            raise location.unsupported(stmt, "tuple unpacking",
                                       f"cannot unpack {len(value.elts)} values into {len(target.elts)} names")
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
