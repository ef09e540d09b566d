"""Lowering (after type inference): augmented assignment to an array updates it in place.

`a += e` on a NumPy array writes into the array (every other name for it sees the change);
on a float it rebinds the name. The `augassign` lowering runs before types are known and
writes both as `a = a + e`, marking the statement. Takes the three-address body and its
types; guarantees that a marked statement whose target is an array becomes a whole-array
store, `a[:] += t` / `a[:] -= t`, or `t2 = a * t` + `a[:] = t2` for the other operators, so
the transforms see what the program does: a store into `a`, not a new array.
"""
import gast

from ..types import Array
from .walk import assign, load, rewrite_body, store

INPLACE = "s2sad_inplace"


def _whole(name, ctx):
    return gast.Subscript(value=gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None),
                          slice=gast.Slice(lower=None, upper=None, step=None), ctx=ctx)


def lower_inplace_updates(body, types, namer):
    def rewrite(stmt):
        if not (getattr(stmt, INPLACE, False) and isinstance(stmt, gast.Assign)
                and isinstance(stmt.targets[0], gast.Name) and isinstance(types.get(stmt.targets[0].id), Array)):
            return [stmt]
        a = stmt.targets[0].id
        value = stmt.value
        if isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Add, gast.Sub)) and \
                isinstance(value.left, gast.Name) and value.left.id == a:
            update = gast.AugAssign(target=_whole(a, gast.Store()), op=value.op, value=value.right)
            gast.copy_location(update, stmt)
            update.s2sad_origin = getattr(stmt, "s2sad_origin", None)
            return [update]
        new = namer.fresh(f"{a}_updated")
        types[new] = types[a]
        return [assign(store(new), value, like=stmt), assign(_whole(a, gast.Store()), load(new), like=stmt)]
    return rewrite_body(body, rewrite)
