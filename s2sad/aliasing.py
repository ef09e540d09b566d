"""Analysis: arrays that share memory under two names, and stores through either.

Takes the three-address body and its types. Derivative code gives every array name its
own adjoint (or tangent), so `b = a` followed by `b[0] = v` and a read of `a` would silently
lose the store's effect on `a`. This pass raises UnsupportedError for that shape and
guarantees the transforms only see arrays whose names never share memory while one of them
is stored into.

`b = a`, `b = a[1:]`, `b = a.T`, `b = a.reshape(...)` make `b` an alias of `a`, unless `a`
is rebound before it is used again (`u = new` at the end of a time step, with `new`
allocated afresh at the top of the next: a move, not an alias). An alias only matters if
one of the names is stored into; read-only views (`row = m[i]`) are fine.
"""
import gast

from .anf_info import read_names, stored_array, target_name
from .types import Array

_VIEW_METHODS = {"transpose", "reshape", "ravel"}


def view_base(value, types):
    """The array name whose memory `value` may share, or None."""
    if isinstance(value, gast.Name) and isinstance(types.get(value.id), Array):
        return value.id
    # from here on the caller has checked that the result is an array (not an element)
    if isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name) and \
            isinstance(types.get(value.value.id), Array) and _basic_index(value.slice, types):
        return value.value.id
    if isinstance(value, gast.Attribute) and value.attr == "T" and isinstance(value.value, gast.Name):
        return value.value.id
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and \
            value.func.attr in _VIEW_METHODS and isinstance(value.func.value, gast.Name) and \
            isinstance(types.get(value.func.value.id), Array):
        return value.func.value.id
    return None


def _basic_index(index, types):
    """Basic indexing (integers and slices) of an array gives a view, unless every axis is an
    integer (an element); an integer-array index gives a copy."""
    parts = index.elts if isinstance(index, gast.Tuple) else [index]
    if any(isinstance(types.get(n.id), Array) for p in parts for n in gast.walk(p) if isinstance(n, gast.Name)):
        return False
    return True


class _Flat:
    """Statements in execution order, with their enclosing block and loop."""

    def __init__(self, body):
        self.items = []          # (statement, block list, innermost loop or None)
        self._walk(body, None)

    def _walk(self, body, loop):
        for node in body:
            self.items.append((node, body, loop))
            if isinstance(node, (gast.For, gast.While)):
                self._walk(node.body, node)
            elif isinstance(node, gast.If):
                self._walk(node.body, loop)
                self._walk(node.orelse, loop)


def _reads_and_rebinds(node, locals_):
    """(names `node` reads, name it rebinds or None); a plain store `a[i] = v` does not read `a`."""
    if isinstance(node, (gast.Assign, gast.AugAssign, gast.Return)):
        reads = read_names(node, locals_)
        if isinstance(node, gast.Assign) and stored_array(node):
            reads = reads[:-1]                     # read_names lists the stored array last
        return set(reads), target_name(node)
    header = getattr(node, "test", None) or getattr(node, "iter", None)
    names = {n.id for n in gast.walk(header) if isinstance(n, gast.Name)} if header is not None else set()
    return names, None


def check_aliasing(body, types, location, origins=None):
    flat = _Flat(body)
    locals_ = set(types)
    stored = {stored_array(s) for s, _, _ in flat.items if stored_array(s)}
    for k, (node, block, loop) in enumerate(flat.items):
        if not isinstance(node, gast.Assign):
            continue
        alias = target_name(node)
        base = view_base(node.value, types) if isinstance(types.get(alias), Array) else None
        if base is None or base == alias or not ({alias, base} & stored):
            continue
        hazard = _hazard(_paths(flat, k, loop), alias, base, locals_)
        if hazard is not None:
            origin = getattr(node, "s2sad_origin", None)
            where = origins[origin] if origins is not None and origin is not None else node
            written, read = hazard
            raise location.unsupported(
                where, "aliasing",
                f"{alias!r} shares memory with {base!r}; {written!r} is stored into and {read!r} read "
                f"afterwards. Derivatives treat the two names as separate arrays, so the store would be "
                f"lost: store into one name only, or make a copy ({alias} = {base}.copy())")


def _paths(flat, k, loop):
    """The statements that may run after statement k, as straight lines: inside a loop, the next
    iteration (the rest of the body, then the body from its start) and leaving the loop."""
    later = flat.items[k + 1:]
    if loop is None:
        return [later]
    inside = {id(n) for n, _, _ in _Flat(loop.body).items}
    rest = [item for item in later if id(item[0]) in inside]
    body = [item for item in flat.items if id(item[0]) in inside]
    after = [item for item in later if id(item[0]) not in inside]
    return [rest + body, rest + after]


def _hazard(paths, alias, base, locals_):
    """(stored name, name read after it) if one name is stored into and the other read later."""
    for path in paths:
        live, written = {alias, base}, set()
        for node, _, _ in path:
            reads, rebinds = _reads_and_rebinds(node, locals_)
            for name in live & reads:
                others = (live - {name}) & written
                if others:
                    return others.pop(), name
            if stored_array(node) in live:
                written.add(stored_array(node))
            if rebinds in live:
                live.discard(rebinds)
                if len(live) < 2:
                    break
    return None


def parameters_written(fdef, types):
    """{array parameter: a statement that may store into its memory}, directly or through a
    name that views it (`b = x`, `row = x[0]`, `t = x.T`)."""
    from .anf_info import walk_statements
    origin = {p.id: p.id for p in fdef.args.args if isinstance(types.get(p.id), Array)}
    simple = [s for s, _ in walk_statements(fdef.body) if isinstance(s, (gast.Assign, gast.AugAssign))]
    changed = True
    while changed:
        changed = False
        for s in simple:
            t = target_name(s)
            if t is None or t in origin or not isinstance(types.get(t), Array):
                continue
            base = view_base(s.value, types)
            if base in origin:
                origin[t] = origin[base]
                changed = True
    written = {}
    for s in simple:
        array = stored_array(s)
        if array in origin and origin[array] not in written:
            written[origin[array]] = s
    return written
