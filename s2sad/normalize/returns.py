"""Lowering: early `return` to a result variable and a flag.

Takes a body whose every path ends in `return` (the last statement, or an `if` whose
branches all end in `return`). Guarantees a single `return result` as the last statement:
each `return e` becomes `result = e; returned = True`, inside loops followed by `break`
(lowered next by `loop_exits`), and the statements after anything that may have returned
run under `if not returned:`.
"""
import gast

from .walk import assign, load, store


def ends_with_return(body):
    if not body:
        return False
    last = body[-1]
    if isinstance(last, gast.Return):
        return True
    if isinstance(last, gast.If):
        return ends_with_return(last.body) and ends_with_return(last.orelse)
    return False


def _returns(node):
    return any(isinstance(n, gast.Return) for n in gast.walk(node))


def lower_returns(body, namer, origins):
    if sum(isinstance(n, gast.Return) for s in body for n in gast.walk(s)) == 1 and \
            isinstance(body[-1], gast.Return):
        return body
    result, flag = namer.fresh("result"), namer.fresh("returned")

    def synthesized(node, like):
        gast.copy_location(node, like)
        origins.add(node)
        return node

    def flag_set(value, like):
        return synthesized(assign(store(flag), gast.Constant(value=value, kind=None)), like)

    def rewrite(stmts, in_loop):
        out = []
        for stmt in stmts:
            if isinstance(stmt, gast.Return):
                out.append(synthesized(assign(store(result), stmt.value), stmt))
                out.append(flag_set(True, stmt))
                if in_loop:
                    out.append(synthesized(gast.Break(), stmt))
                continue
            if isinstance(stmt, gast.If):
                stmt.body, stmt.orelse = rewrite(stmt.body, in_loop), rewrite(stmt.orelse, in_loop)
            elif isinstance(stmt, (gast.For, gast.While)):
                had_return = _returns(stmt)
                stmt.body = rewrite(stmt.body, True)
                out.append(stmt)
                if had_return and in_loop:      # leave the enclosing loop too
                    exit_check = synthesized(gast.If(test=load(flag), body=[synthesized(gast.Break(), stmt)],
                                                     orelse=[]), stmt)
                    exit_check.s2sad_exit_check = True
                    out.append(exit_check)
                continue
            out.append(stmt)
        return guard(out)

    def guard(stmts):
        """Run what follows a statement that may have returned only if it did not."""
        for k, stmt in enumerate(stmts):
            sets_flag = any(isinstance(n, gast.Name) and n.id == flag and isinstance(n.ctx, gast.Store)
                            for n in gast.walk(stmt))
            rest = stmts[k + 1:]
            if sets_flag and rest and not (isinstance(stmt, gast.Assign) and
                                           isinstance(rest[0], gast.Break)):
                head = stmts[:k + 1]
                if getattr(rest[0], "s2sad_exit_check", False):   # `if returned: break` runs unguarded
                    head, rest = head + rest[:1], rest[1:]
                    if not rest:
                        return head
                test = gast.UnaryOp(op=gast.Not(), operand=load(flag))
                return head + [synthesized(gast.If(test=test, body=guard(rest), orelse=[]), stmt)]
        return stmts

    first = body[0]
    lowered = [flag_set(False, first)] + rewrite(body, False)
    final = synthesized(gast.Return(value=load(result)), body[-1])
    return lowered + [final]
