"""Lowering (after type inference): one name, one type, as Numba sees it.

Numba types each *live range* of a variable on its own: `a = np.array([a, a])` rebinds the
float parameter `a` to an array, and that compiles, because no program point sees both.
s2sad's type inference is per name, so such a name would get no usable type (and once got
no derivative at all). This pass finds the names whose definitions have conflicting types
(`TypeInference.conflicts`), splits each into *webs* (the definitions that reach a common
use, closed under that relation: a live range) and gives every web but the first a fresh
name. Webs that still mix types where control flow merges are a real type error, as in
Numba: UnsupportedError naming the variable.

Takes the three-address body (structured `for`/`while`/`if`, no exits), the names to split
and the Origins table; guarantees that every use of a split name reads the web it belongs
to, and that the user's statements kept for emission (Origins) use the same names.
"""
import gast

from . import origin_of

PARAMETER = "parameter"


class _Webs:
    """Reaching definitions over a structured body, and the webs they form for `names`."""

    def __init__(self, names, params):
        self.names = set(names)
        self.parent = {}
        self.uses = {}          # id(Name node) -> (node, set of definition keys)
        self.defs = {}          # definition key -> Name node (None for a parameter)
        self.entry = {n: frozenset({(PARAMETER, n)}) for n in params if n in self.names}
        for key in self.entry.values():
            self.defs[next(iter(key))] = None

    def run(self, body):
        self.block(body, dict(self.entry))

    # -- dataflow
    def block(self, body, state):
        for node in body:
            state = self.statement(node, state)
        return state

    def statement(self, node, state):
        if isinstance(node, gast.If):
            self.read(node.test, state)
            return _merge(self.block(node.body, dict(state)), self.block(node.orelse, dict(state)))
        if isinstance(node, gast.For):
            self.read(node.iter, state)
            return self.loop(node, state, lambda s: self.define(node.target, s))
        if isinstance(node, gast.While):
            self.read(node.test, state)
            return self.loop(node, state, lambda s: (self.read(node.test, s), s)[1])
        if isinstance(node, gast.Assert):        # forward-only statements read names too
            self.read(node.test, state)
            self.read(node.msg, state)
            return state
        if isinstance(node, gast.Raise):
            self.read(node.exc, state)
            return state
        for target in _targets(node):
            if not isinstance(target, gast.Name):
                self.read(target, state)         # a[i] = v reads the binding of a
        self.read(getattr(node, "value", None), state)
        if isinstance(node, gast.AugAssign) and isinstance(node.target, gast.Name):
            self.read(gast.Name(id=node.target.id, ctx=gast.Load(), annotation=None, type_comment=None), state)
        for target in _targets(node):
            if isinstance(target, gast.Name):
                state = self.define(target, state)
        return state

    def loop(self, node, state, head):
        entry = dict(state)
        current = dict(state)
        for _ in range(len(self.names) * 4 + 4):   # monotone: converges in a few rounds
            after = self.block(node.body, head(dict(current)))
            merged = _merge(entry, after)
            if merged == current:
                break
            current = merged
        return current

    def define(self, target, state):
        if target.id in self.names:
            key = ("def", id(target))
            self.defs[key] = target
            state = dict(state)
            state[target.id] = frozenset({key})
        return state

    def read(self, expr, state):
        if expr is None:
            return
        for n in gast.walk(expr):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) and n.id in self.names:
                reaching = state.get(n.id, frozenset())
                _, before = self.uses.get(id(n), (n, frozenset()))
                self.uses[id(n)] = (n, before | reaching)

    # -- webs
    def find(self, key):
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def webs(self):
        for _, reaching in self.uses.values():
            keys = sorted(reaching, key=repr)
            for other in keys[1:]:
                self.parent[self.find(other)] = self.find(keys[0])
        return {key: self.find(key) for key in self.defs}


def _targets(node):
    if isinstance(node, gast.Assign):
        return node.targets
    if isinstance(node, gast.AugAssign):
        return [node.target]
    return []


def _merge(a, b):
    out = dict(a)
    for n, keys in b.items():
        out[n] = out.get(n, frozenset()) | keys
    return out


def split_names(fdef, names, namer, origins):
    """Give each web of every name in `names` but the first its own name; returns {new: old}."""
    params = [a.id for a in fdef.args.args]
    webs = _Webs(names, params)
    webs.run(fdef.body)
    root_of = webs.webs()
    # the web of the parameter (or the earliest definition) keeps the user's name
    order = {key: k for k, key in enumerate(webs.defs)}
    renamed = {}
    new_name = {}
    for name in sorted(names):
        roots = sorted({root_of[k] for k in webs.defs if _name_of(k, webs) == name},
                       key=lambda r: min(order[k] for k in webs.defs if root_of[k] == r))
        for root in roots[1:]:
            fresh = namer.fresh(name)
            new_name[root] = fresh
            renamed[fresh] = name
    if not new_name:
        return renamed
    for key, node in webs.defs.items():
        if node is not None and root_of[key] in new_name:
            node.id = new_name[root_of[key]]
    for node, reaching in webs.uses.values():
        roots = {root_of[k] for k in reaching}
        if len(roots) == 1 and next(iter(roots)) in new_name:
            node.id = new_name[next(iter(roots))]
    _rename_origins(fdef, origins, renamed)
    return renamed


def _name_of(key, webs):
    return key[1] if key[0] == PARAMETER else webs.defs[key].id


def _rename_origins(fdef, origins, renamed):
    """The user's statements kept for emission read and write the names their expansion does."""
    stores, loads = {}, {}
    for node in gast.walk(fdef):
        origin = origin_of(node)
        if origin is None or not isinstance(node, (gast.Assign, gast.AugAssign)):
            continue
        for n in gast.walk(node):
            if isinstance(n, gast.Name) and n.id in renamed or isinstance(n, gast.Name) and n.id in renamed.values():
                table = stores if isinstance(n.ctx, gast.Store) else loads
                table.setdefault((origin, renamed.get(n.id, n.id)), set()).add(n.id)
    for index, statement in enumerate(origins.statements):
        for n in gast.walk(statement):
            if isinstance(n, gast.Name):
                table = stores if isinstance(n.ctx, gast.Store) else loads
                seen = table.get((index, n.id))
                if seen and len(seen) == 1:
                    n.id = next(iter(seen))
