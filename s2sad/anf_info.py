"""Read-only queries on three-address statements shared by the analyses and the transform."""
import gast


def target_name(stmt):
    """The name a simple statement assigns, or None (stores into arrays assign no name)."""
    if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
        return stmt.targets[0].id
    return None


def stored_array(stmt):
    """The array a statement stores into (`a[i] = v`, `a[i] += v`), or None."""
    target = stmt.targets[0] if isinstance(stmt, gast.Assign) else getattr(stmt, "target", None)
    if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
        return target.value.id
    return None


def is_simple(stmt):
    return isinstance(stmt, (gast.Assign, gast.AugAssign, gast.Return))


def names_in(node):
    return [n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)]


def index_names(subscript):
    return names_in(subscript.slice)


def value_of(stmt):
    return stmt.value


def read_names(stmt, locals_):
    """Local names a simple statement reads, in evaluation order (array bases included)."""
    names = []
    if isinstance(stmt, gast.Assign):
        target = stmt.targets[0]
        names.extend(names_in(stmt.value))
        if isinstance(target, gast.Subscript):
            names.extend(index_names(target))
            names.append(target.value.id)
    elif isinstance(stmt, gast.AugAssign):
        names.extend(names_in(stmt.value))
        names.extend(index_names(stmt.target))
        names.append(stmt.target.value.id)
    elif isinstance(stmt, gast.Return):
        names.extend(names_in(stmt.value))
    return [n for n in names if n in locals_]


def walk_statements(body, in_loop=False):
    """Yield (statement, in_loop) for every statement, pre-order."""
    for stmt in body:
        yield stmt, in_loop
        if isinstance(stmt, (gast.For, gast.While)):
            yield from walk_statements(stmt.body, True)
        elif isinstance(stmt, gast.If):
            yield from walk_statements(stmt.body, in_loop)
            yield from walk_statements(stmt.orelse, in_loop)
