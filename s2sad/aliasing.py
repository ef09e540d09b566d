"""Analysis: arrays that share memory under two names, and stores through either.

Takes the three-address body and its types. Derivative code gives every array name its
own adjoint (or tangent), so `b = a` followed by `b[0] = v` and a read of `a` would silently
lose the store's effect on `a`. `check_aliasing` raises UnsupportedError for that shape and
guarantees the transforms only see arrays whose names never share memory while one of them
is stored into and another read; `alias_groups` tells the reverse transform which names
share memory, so that a value read through one name is saved before a store through another.

`b = a`, `b = a[1:]`, `b = m[0]`, `b = a.T`, `b = a.reshape(...)`, `np.reshape(a, ...)`,
`np.expand_dims(a, 0)`, `np.transpose(a)`, `np.ravel(a)` make `b` an alias of `a` (and of
whatever `a` aliases), unless the other name is rebound, on every path, before it is used
again (`u = new` at the end of a time step, with `new` allocated afresh at the top of the
next: a move, not an alias). Read-only views (`row = m[i]`, only read) are fine.
"""
import gast

from .anf_info import read_names, stored_array, target_name, walk_statements
from .types import Array

_VIEW_METHODS = {"transpose", "reshape", "ravel"}
_VIEW_FUNCTIONS = {"transpose", "reshape", "ravel", "expand_dims"}


def view_base(value, types):
    """The local array whose memory `value` may share, or None (for array-valued `value`)."""
    def array(node):
        return isinstance(node, gast.Name) and isinstance(types.get(node.id), Array)
    if array(value):
        return value.id
    if isinstance(value, gast.Subscript) and array(value.value) and _basic_index(value.slice, types):
        return value.value.id
    if isinstance(value, gast.Attribute) and value.attr == "T" and array(value.value):
        return value.value.id
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute):
        if value.func.attr in _VIEW_METHODS and array(value.func.value):
            return value.func.value.id                           # a.reshape(...), a.ravel()
        if value.func.attr in _VIEW_FUNCTIONS and isinstance(value.func.value, gast.Name) and \
                value.func.value.id not in types and value.args and array(value.args[0]):
            return value.args[0].id                              # np.reshape(a, ...)
    return None


def _basic_index(index, types):
    """Basic indexing (integers and slices) gives a view; an integer-array index a copy."""
    parts = index.elts if isinstance(index, gast.Tuple) else [index]
    return not any(isinstance(types.get(n.id), Array) for p in parts for n in gast.walk(p)
                   if isinstance(n, gast.Name))


def _views(body, types):
    """[(statement, alias, base)] for every statement that makes an array name a view of another."""
    out = []
    for node, _ in walk_statements(body):
        t = target_name(node) if isinstance(node, gast.Assign) else None
        if t is not None and isinstance(types.get(t), Array):
            base = view_base(node.value, types)
            if base is not None and base != t:
                out.append((node, t, base))
    return out


def alias_groups(body, types):
    """{name: frozenset of the names that may share its memory} for names in some alias pair."""
    parent = {}

    def find(n):
        parent.setdefault(n, n)
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n
    for _, alias, base in _views(body, types):
        parent[find(alias)] = find(base)
    groups = {}
    for n in parent:
        groups.setdefault(find(n), set()).add(n)
    return {n: frozenset(groups[find(n)]) for n in parent}


class _Flat:
    """Statements in execution order, each with the chain of blocks that encloses it."""

    def __init__(self, body):
        self.items = []          # (statement, (ids of enclosing blocks, innermost first), innermost loop)
        self._walk(body, (), None)

    def _walk(self, body, chain, loop):
        chain = (id(body),) + chain
        for node in body:
            self.items.append((node, chain, loop))
            if isinstance(node, (gast.For, gast.While)):
                self._walk(node.body, chain, node)
            elif isinstance(node, gast.If):
                self._walk(node.body, chain, loop)
                self._walk(node.orelse, chain, loop)


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
    groups = alias_groups(body, types)
    stored = {stored_array(s) for s, _, _ in flat.items if stored_array(s)}
    position = {id(node): k for k, (node, _, _) in enumerate(flat.items)}
    views = {id(node): (alias, base) for node, alias, base in _views(body, types)}
    for node, alias, base in _views(body, types):
        if not groups[alias] & stored:
            continue
        k = position[id(node)]
        sharing = _sharing_at(flat, k, alias, base, views)
        hazard = _hazard(_paths(flat, k), sharing, flat.items[k][1], locals_)
        if hazard is not None:
            origin = getattr(node, "s2sad_origin", None)
            where = origins[origin] if origins is not None and origin is not None else node
            written, read = hazard
            raise location.unsupported(
                where, "aliasing",
                f"{alias!r} shares memory with {base!r}; {written!r} is stored into and {read!r} read "
                f"afterwards. Derivatives treat the two names as separate arrays, so the store would be "
                f"lost: store into one name only, or make a copy ({alias} = {base}.copy())")


def _sharing_at(flat, k, alias, base, views):
    """The names that share memory with `base` right after statement k makes `alias` a view of
    it: `base`, `alias`, and the names that earlier views tied to them, unless one of the two
    names of such a view was rebound since (then that view no longer holds)."""
    live, rebound = {base}, {alias}          # before k, `alias` named something else
    chain = flat.items[k][1]
    for node, node_chain, _ in reversed(flat.items[:k]):
        if id(node) in views:
            z, w = views[id(node)]
            if z not in rebound and w not in rebound and (z in live or w in live):
                live |= {z, w}
        t = target_name(node) if isinstance(node, gast.Assign) else None
        if t is not None and node_chain[0] in chain:      # ran on every path to k
            rebound.add(t)
    return live | {alias}


def _paths(flat, k):
    """The statements that may run after statement k, as straight lines: inside a loop, the next
    iteration (the rest of the body, then the body from its start) and leaving the loop."""
    later = flat.items[k + 1:]
    loop = flat.items[k][2]
    if loop is None:
        return [later]
    inside = {id(n) for n, _, _ in _Flat(loop.body).items}
    rest = [item for item in later if id(item[0]) in inside]
    body = [item for item in flat.items if id(item[0]) in inside]
    after = [item for item in later if id(item[0]) not in inside]
    return [rest + body, rest + after]


def _hazard(paths, sharing, chain, locals_):
    """(stored name, name read after it) if, after the view is made, one name of the group is
    stored into and another read. A rebinding ends a name's part in the group only where it
    runs on every path (in the view's block or an enclosing one)."""
    for path in paths:
        live, written = set(sharing), set()
        rebound_in = {}          # name -> blocks where it was rebound (within them it is another array)

        def current(name, node_chain):
            return name in live and not rebound_in.get(name, set()) & set(node_chain)
        for node, node_chain, _ in path:
            reads, rebinds = _reads_and_rebinds(node, locals_)
            for name in reads:
                if current(name, node_chain):
                    others = {w for w in written if w != name and w in live}
                    if others:
                        return sorted(others)[0], name
            if stored_array(node) is not None and current(stored_array(node), node_chain):
                written.add(stored_array(node))
            if rebinds in live:
                if node_chain[0] in chain:
                    live.discard(rebinds)            # rebound on every path on from the view
                    if len(live) < 2:
                        break
                else:
                    rebound_in.setdefault(rebinds, set()).add(node_chain[0])
    return None


def parameters_written(fdef, types):
    """{array parameter: a statement that may store into its memory}, directly or through a
    name that views it (`b = x`, `row = x[0]`, `t = x.T`)."""
    origin = {p.id: p.id for p in fdef.args.args if isinstance(types.get(p.id), Array)}
    views = _views(fdef.body, types)
    changed = True
    while changed:
        changed = False
        for _, alias, base in views:
            if base in origin and alias not in origin:
                origin[alias] = origin[base]
                changed = True
    written = {}
    for node, _ in walk_statements(fdef.body):
        array = stored_array(node)
        if array in origin and origin[array] not in written:
            written[origin[array]] = node
    return written
