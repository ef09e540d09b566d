"""Lowering: conditional expressions `a if c else b` to `if` statements.

Takes a body whose assignments have single targets; guarantees no `IfExp` remains in
assignment or return values: each becomes `if c: tmp = a / else: tmp = b` placed just
before the statement, which then reads `tmp`. Tests of `if`/`while` keep their IfExps:
they are never differentiated.
"""
import gast

from .walk import assign, load, rewrite_body, store


def lower_ifexp(body, namer):
    def lower(stmt):
        if not isinstance(stmt, (gast.Assign, gast.AugAssign, gast.Return)):
            return [stmt]
        hoisted = []

        class Hoist(gast.NodeTransformer):
            def visit_IfExp(self, node):
                stem = stmt.targets[0].id + "_choice" if isinstance(stmt, gast.Assign) and \
                    isinstance(stmt.targets[0], gast.Name) else "choice"
                name = namer.fresh(stem)
                branch = gast.If(test=node.test,
                                 body=lower(assign(store(name), node.body, like=stmt)),
                                 orelse=lower(assign(store(name), node.orelse, like=stmt)))
                gast.copy_location(branch, stmt)
                branch.s2sad_origin = getattr(stmt, "s2sad_origin", None)
                hoisted.append(branch)
                return load(name)

        stmt.value = Hoist().visit(stmt.value)
        return hoisted + [stmt]

    return rewrite_body(body, lower)
