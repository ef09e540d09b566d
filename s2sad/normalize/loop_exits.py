"""Lowering: `break` and `continue` to flags (structured control flow only).

Takes a body with no early `return` (see `returns`). Guarantees no `break` or `continue`:
a loop that breaks gets a flag `broke = False` before it; `break` sets it; a `while`
loop tests `not broke and <test>`, a `for` loop skips its remaining iterations under
`if not broke:`. `continue` sets a per-iteration flag, and the statements after anything
that may have broken or continued run under `if not (...)`. No `while True: ... break`
shape is ever emitted (Numba 0.68.1 miscompiles some of those).
"""
import gast

from .walk import assign, load, store

BREAK_FLAG = "s2sad_break_flag"


def _exits_here(stmts, kind):
    """Does this loop body (not its inner loops) contain a `kind` statement?"""
    for stmt in stmts:
        if isinstance(stmt, kind):
            return True
        if isinstance(stmt, gast.If) and (_exits_here(stmt.body, kind) or _exits_here(stmt.orelse, kind)):
            return True
    return False


def lower_loop_exits(body, namer, origins):
    def synthesized(node, like):
        gast.copy_location(node, like)
        origins.add(node)
        return node

    def flag_assign(flag, value, like):
        return synthesized(assign(store(flag), gast.Constant(value=value, kind=None)), like)

    def rewrite_loop(loop):
        loop.body = rewrite(loop.body)
        # `loop_else` may have named the flag already: its `else:` runs under `if not broke:`
        broke = (getattr(loop, BREAK_FLAG, None) or namer.fresh("broke")) \
            if _exits_here(loop.body, gast.Break) else None
        skipped = namer.fresh("skip_rest") if _exits_here(loop.body, gast.Continue) else None
        if not broke and not skipped:
            return [loop]
        flags = [f for f in (broke, skipped) if f]

        def replace(stmts):
            out = []
            for stmt in stmts:
                if isinstance(stmt, gast.Break):
                    out.append(flag_assign(broke, True, stmt))
                elif isinstance(stmt, gast.Continue):
                    out.append(flag_assign(skipped, True, stmt))
                else:
                    if isinstance(stmt, gast.If):
                        stmt.body, stmt.orelse = replace(stmt.body), replace(stmt.orelse)
                    out.append(stmt)
            return guard(out, flags, synthesized)

        body = replace(loop.body)
        if skipped:
            body = [flag_assign(skipped, False, loop)] + body
        before = []
        if broke:
            before.append(flag_assign(broke, False, loop))
            not_broke = gast.UnaryOp(op=gast.Not(), operand=load(broke))
            if isinstance(loop, gast.While):
                endless = isinstance(loop.test, gast.Constant) and loop.test.value is True
                loop.test = not_broke if endless else gast.BoolOp(op=gast.And(), values=[not_broke, loop.test])
            else:
                body = [synthesized(gast.If(test=not_broke, body=body, orelse=[]), loop)]
        loop.body = body
        return before + [loop]

    def rewrite(stmts):
        out = []
        for stmt in stmts:
            if isinstance(stmt, (gast.For, gast.While)):
                out.extend(rewrite_loop(stmt))
                continue
            if isinstance(stmt, gast.If):
                stmt.body, stmt.orelse = rewrite(stmt.body), rewrite(stmt.orelse)
            out.append(stmt)
        return out

    return rewrite(body)


def guard(stmts, flags, synthesized):
    """Wrap what follows a statement that may set one of `flags` in `if not (flags...)`."""
    for k, stmt in enumerate(stmts):
        sets = [f for f in flags if any(isinstance(n, gast.Name) and n.id == f and isinstance(n.ctx, gast.Store)
                                        for n in gast.walk(stmt))]
        rest = stmts[k + 1:]
        if sets and rest:
            tests = [gast.UnaryOp(op=gast.Not(), operand=load(f)) for f in flags]
            test = tests[0] if len(tests) == 1 else gast.BoolOp(op=gast.And(), values=tests)
            return stmts[:k + 1] + [synthesized(gast.If(test=test, body=guard(rest, flags, synthesized),
                                                        orelse=[]), stmt)]
    return stmts
