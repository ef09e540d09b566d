"""Name resolution: what every name in the function refers to.

A name is *local* if it is a parameter or assigned anywhere in the function; otherwise it
is a *global reference*, resolved in the function's globals, closure and builtins. Attribute
chains rooted at a global (`np.sin`, `math.pi`, `np.linalg.norm`) are global references too.
Unknown names raise UnsupportedError naming file and line.
"""
import builtins

import gast

_MISSING = object()


def local_names(fdef):
    names = {a.id for a in fdef.args.args}
    for node in gast.walk(fdef):
        if isinstance(node, gast.Name) and isinstance(node.ctx, (gast.Store, gast.Del)):
            names.add(node.id)
    return names


class Resolver:
    def __init__(self, func, fdef, location):
        self.location = location
        self.namespace = dict(vars(builtins))
        self.namespace.update(func.__globals__)
        if func.__closure__:
            for name, cell in zip(func.__code__.co_freevars, func.__closure__):
                try:
                    self.namespace[name] = cell.cell_contents
                except ValueError:
                    pass
        self.locals = local_names(fdef)
        self.extra = {}     # global names the lowerings introduced (local imports, specialised helpers)

    def bind(self, name, value):
        """Make `name` a global reference to `value`; the generated code's namespace gets it too."""
        self.namespace[name] = value
        self.extra[name] = value

    @classmethod
    def for_namespace(cls, namespace, fdef, location):
        """A resolver for a tree whose globals are `namespace` (a specialised copy being made)."""
        self = cls.__new__(cls)
        self.location = location
        self.namespace = dict(vars(builtins))
        self.namespace.update(namespace)
        self.locals = local_names(fdef)
        self.extra = {}
        return self

    def refresh_locals(self, fdef):
        """Take in the names that lowerings introduced."""
        self.locals |= local_names(fdef)

    def add_local(self, name):
        self.locals.add(name)

    def is_global_ref(self, expr):
        if isinstance(expr, gast.Name):
            return expr.id not in self.locals
        if isinstance(expr, gast.Attribute):
            return self.is_global_ref(expr.value)
        return False

    def value_of(self, expr):
        """The Python object a global reference denotes."""
        if isinstance(expr, gast.Name):
            value = self.namespace.get(expr.id, _MISSING)
            if value is _MISSING:
                raise self.location.unsupported(expr, "name", f"name {expr.id!r} is not defined")
            return value
        if isinstance(expr, gast.Attribute):
            base = self.value_of(expr.value)
            value = getattr(base, expr.attr, _MISSING)
            if value is _MISSING:
                raise self.location.unsupported(
                    expr, "attribute", f"{getattr(base, '__name__', base)!r} has no attribute {expr.attr!r}")
            return value
        raise self.location.unsupported(expr, type(expr).__name__, "not a global reference")
