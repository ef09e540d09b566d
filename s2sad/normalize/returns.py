"""Lowering: early `return` to a result variable and a flag.

Takes a body whose every path ends in `return` (see `ends_with_return`: the last statement
returns, or is an `if` whose branches all do, a `while True:` left only by `return`, or a loop
whose `else:` returns; `statements` has dropped whatever follows). Guarantees a single `return result` as the last statement:
each `return e` becomes `result = e; returned = True`, inside loops followed by `break`
(lowered next by `loop_exits`), and the statements after anything that may have returned
run under `if not returned:`. A flag nothing reads (every return is in the last statement,
or in a `while True:` loop) is not set at all.
"""
import gast

from .walk import assign, load, store


def ends_with_return(body):
    """Does every path through `body` end in `return` (statements after one that does never run)?"""
    return any(always_returns(stmt) for stmt in body)


def always_returns(stmt):
    """Does every path through `stmt` end in `return`?

    `if`/`else` whose branches both return; `while True:` that never breaks (it can only be
    left by `return`); a loop with an `else:` that returns and no `break` of its own."""
    if isinstance(stmt, (gast.Return, gast.Raise)):
        return True                     # a raise ends the path too: nothing is returned from it
    if isinstance(stmt, gast.If):
        return ends_with_return(stmt.body) and ends_with_return(stmt.orelse)
    if isinstance(stmt, (gast.For, gast.While)) and not _breaks(stmt.body):
        if isinstance(stmt, gast.While) and isinstance(stmt.test, gast.Constant) and stmt.test.value is True:
            return True
        return ends_with_return(stmt.orelse)
    return False


def _breaks(stmts):
    """Does a loop body contain a `break` of its own (not of an inner loop)?"""
    for stmt in stmts:
        if isinstance(stmt, gast.Break):
            return True
        if isinstance(stmt, gast.If) and (_breaks(stmt.body) or _breaks(stmt.orelse)):
            return True
    return False


def fall_off(body, parent):
    """Where a path through `body` (the body of `parent`) reaches its end without `return`:
    (node to report, what happens), or None if every path returns."""
    if ends_with_return(body):
        return None
    if not body:
        return parent, "the function body is empty"
    last = body[-1]
    if isinstance(last, gast.If):
        inner = fall_off(last.body, last)
        if inner is not None:
            return inner
        if not last.orelse:
            return last, f"when `if {_source(last.test)}:` is false, the function ends without `return`"
        return fall_off(last.orelse, last)
    if isinstance(last, (gast.For, gast.While)):
        return last, "when this loop ends, the function ends without `return`"
    return last, "after this statement the function ends without `return`"


def _source(node):
    from ..codegen import src
    return src(node)


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
    if not any(isinstance(n, gast.Name) and n.id == flag and isinstance(n.ctx, gast.Load)
               for s in lowered for n in gast.walk(s)):
        lowered = _without_assignments(lowered, flag)   # nothing follows a return: no flag needed
    return lowered + [final]


def _without_assignments(stmts, target):
    out = []
    for stmt in stmts:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) and \
                stmt.targets[0].id == target:
            continue
        for field in ("body", "orelse"):
            block = getattr(stmt, field, None)
            if isinstance(block, list) and block:
                setattr(stmt, field, _without_assignments(block, target) or [gast.Pass()])
        out.append(stmt)
    return out
