"""A tiny helper shared by the lowerings: rewrite every statement list of a body."""
import gast


def rewrite_body(body, rewrite_statement):
    """Apply `rewrite_statement(stmt) -> list` to every statement, recursing into blocks."""
    out = []
    for stmt in body:
        for field in ("body", "orelse"):
            if isinstance(getattr(stmt, field, None), list):
                setattr(stmt, field, rewrite_body(getattr(stmt, field), rewrite_statement))
        out.extend(rewrite_statement(stmt))
    return out


def load(name):
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def store(name):
    return gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)


def assign(target, value, like=None):
    node = gast.Assign(targets=[target], value=value, type_comment=None)
    if like is not None:
        gast.copy_location(node, like)
        node.s2sad_origin = getattr(like, "s2sad_origin", None)
    return node
