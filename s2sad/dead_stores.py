"""Optimisation: drop assignments to scalar adjoints that nothing reads afterwards.

Takes the assembled body of a generated function and the names of its adjoint variables;
guarantees the same results with every top-level `v_adj = e`, `v_adj += e` or
`v_adj -= e` removed whose value no later statement reads (the seed `s_adj = value_adj`
of an accumulator whose loop was fused, for one), together with a comment that only
introduced it. Only top-level statements are touched: inside a loop a later read may be
in the next iteration. Adjoint expressions are arithmetic without side effects, so
dropping one changes nothing else.
"""
import gast

from .codegen import is_comment


def drop_dead_adjoint_stores(body, adjoint_names, reverse_start=None):
    """`reverse_start`: index of the reverse sweep's first statement; from there on, any
    name assigned a side-effect-free value that nothing reads later is dropped too (values
    recomputed for an adjoint that a fused loop made unnecessary)."""
    body = list(body)
    reverse_start = len(body) if reverse_start is None else reverse_start
    changed = True
    while changed:
        changed = False
        for k in reversed(range(len(body))):
            target = _scalar_target(body[k], adjoint_names)
            if target is None and k >= reverse_start:
                target = _pure_target(body[k])
            if target is None or _read_later(body[k + 1:], target):
                continue
            del body[k]
            if k > 0 and is_comment(body[k - 1]) and (k == len(body) or is_comment(body[k])
                                                      or isinstance(body[k], gast.Return)):
                del body[k - 1]
            changed = True
    if len(body) > 1 and is_comment(body[-2]) and isinstance(body[-1], gast.Return):
        del body[-2]             # "reverse sweep" with nothing after it
    return body


def _scalar_target(statement, adjoint_names):
    if isinstance(statement, gast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, gast.AugAssign):
        target = statement.target
    else:
        return None
    if isinstance(target, gast.Name) and target.id in adjoint_names:
        return target.id
    return None


def _pure_target(statement):
    """The name `statement` assigns, if it is `name = e` with `e` free of calls."""
    if not (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], gast.Name)):
        return None
    if any(isinstance(n, (gast.Call, gast.Lambda, gast.ListComp, gast.GeneratorExp, gast.Yield))
           for n in gast.walk(statement.value)):
        return None
    return statement.targets[0].id


def _read_later(statements, identifier):
    """Does any of `statements` read `identifier` (an augmented assignment reads its target)?"""
    for s in statements:
        for n in gast.walk(s):
            if isinstance(n, gast.Name) and n.id == identifier and isinstance(n.ctx, gast.Load):
                return True
            if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name) and n.target.id == identifier:
                return True
    return False
