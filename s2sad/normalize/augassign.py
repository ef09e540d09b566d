"""Lowering: augmented assignment to plain assignment.

Takes any body; guarantees no `AugAssign` remains except `a[idx] += e` / `a[idx] -= e`,
which the reverse transform treats as an accumulation (its adjoint needs no stored value).
`x op= e` on a name is marked: once types are known, `inplace` makes it a whole-array store
if `x` is an array.
"""
import copy

import gast

from .walk import assign, rewrite_body


def _lower(stmt):
    if not isinstance(stmt, gast.AugAssign):
        return [stmt]
    target = stmt.target
    if isinstance(target, gast.Subscript) and isinstance(stmt.op, (gast.Add, gast.Sub)):
        return [stmt]
    read = copy.deepcopy(target)
    for node in gast.walk(read):
        if hasattr(node, "ctx") and node is read:
            node.ctx = gast.Load()
    value = gast.BinOp(left=read, op=stmt.op, right=stmt.value)
    gast.copy_location(value, stmt)
    lowered = assign(target, value, like=stmt)
    if isinstance(target, gast.Name):
        lowered.s2sad_inplace = True     # in place if the name turns out to be an array (see inplace)
    return [lowered]


def lower_augassign(body):
    return rewrite_body(body, _lower)
