"""Lowering: `else:` clauses of `for` and `while` loops.

Takes a body after `iteration` (every loop a range loop or a `while`, possibly with an
`else:`). Guarantees no loop has an `else:`. The `else:` block runs when the loop ends
without `break`, so

    while c:                          while c:
        ...                               ...
        if d: break          ->           if d: break
    else:                             if not broke:
        e                                 e

where `broke` is the flag `loop_exits` sets when it lowers the `break` (the loop is marked
with the flag's name). A loop without a `break` of its own runs its `else:` always: the
block simply follows the loop. A `return` inside the loop leaves the function, and the
`returns` lowering guards what follows the loop, the `else:` block included.
"""
import gast

from .loop_exits import BREAK_FLAG
from .returns import _breaks
from .walk import load, rewrite_body


def lower_loop_else(body, namer, origins):
    def lower(stmt):
        if not isinstance(stmt, (gast.For, gast.While)) or not stmt.orelse:
            return [stmt]
        orelse, stmt.orelse = stmt.orelse, []
        if not _breaks(stmt.body):
            return [stmt] + orelse
        flag = namer.fresh("broke")
        setattr(stmt, BREAK_FLAG, flag)
        guard = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=load(flag)), body=orelse, orelse=[])
        gast.copy_location(guard, orelse[0])
        origins.add(guard)
        return [stmt, guard]

    return rewrite_body(body, lower)
