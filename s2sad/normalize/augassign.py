"""Lowering: augmented assignment to plain assignment.

Takes any body; guarantees no `AugAssign` remains except `a[idx] += e` / `a[idx] -= e`,
which the reverse transform treats as an accumulation (its adjoint needs no stored value).
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
    return [assign(target, value, like=stmt)]


def lower_augassign(body):
    return rewrite_body(body, _lower)
