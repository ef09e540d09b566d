"""Lowering: statements that compute nothing to differentiate.

Takes the parsed body (before any other lowering). Guarantees:

* no `import` / `from ... import` remains: a function-local import is resolved when the
  function is transformed, like a module-level one, and its names become global references
  (`from math import exp` makes `exp` denote `math.exp`); the generated code gets the
  names in its namespace (Numba compiles no import statements);
* the only expression statements left are `print(...)` calls; `assert` statements stay.
  Both are evaluated by the forward sweep only, as written: they are never differentiated
  and never replayed by the reverse sweep. A string on its own (a comment-like literal)
  is dropped, so is any other constant expression statement;
* no statement follows a `return`, `break` or `continue` in the same block, nor a statement
  every path through which returns (what follows never runs).

Any other expression statement (a call made for its side effects) is rejected with an
UnsupportedError naming file and line.
"""
import builtins
import importlib

import gast

from .returns import always_returns

_TERMINATORS = (gast.Return, gast.Break, gast.Continue, gast.Raise)


def imported_objects(node, package, location):
    """{name: object} that the import statement `node` binds, imported now."""
    out = {}
    try:
        if isinstance(node, gast.Import):
            for alias in node.names:
                module = importlib.import_module(alias.name)
                if alias.asname:
                    out[alias.asname] = module                  # import a.b as c: c is a.b
                else:
                    top = alias.name.split(".")[0]
                    out[top] = importlib.import_module(top)     # import a.b binds a
            return out
        if any(alias.name == "*" for alias in node.names):
            raise location.unsupported(node, "import", "`from ... import *` is not supported; "
                                                       "import the names you use")
        module_name = "." * (node.level or 0) + (node.module or "")
        module = importlib.import_module(module_name, package or None)
        for alias in node.names:
            if hasattr(module, alias.name):
                value = getattr(module, alias.name)
            else:
                value = importlib.import_module(f"{module.__name__}.{alias.name}")
            out[alias.asname or alias.name] = value
        return out
    except ImportError as exc:
        raise location.unsupported(node, "import", f"cannot import: {exc}") from None


def resolve_imports(fdef, location, resolver):
    """Remove the function's import statements; bind what they import as global references."""
    package = resolver.namespace.get("__package__")
    bound = {}

    def rewrite(stmts):
        out = []
        for stmt in stmts:
            if isinstance(stmt, (gast.Import, gast.ImportFrom)):
                for name, value in imported_objects(stmt, package, location).items():
                    if name in resolver.locals:
                        raise location.unsupported(stmt, "import",
                                                   f"{name!r} is imported and also assigned in the function; "
                                                   "use another name for one of them")
                    if name in bound and bound[name] is not value:
                        raise location.unsupported(stmt, "import",
                                                   f"{name!r} is imported twice, as two different objects")
                    bound[name] = value
                continue
            for field in ("body", "orelse"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and block:
                    setattr(stmt, field, rewrite(block) or [gast.copy_location(gast.Pass(), block[0])])
            out.append(stmt)
        return out

    fdef.body = rewrite(fdef.body) or [gast.Pass()]
    for name, value in bound.items():
        resolver.bind(name, value)
    return bound


def is_print(stmt, resolver):
    """Is `stmt` a call of the built-in `print` made as a statement?"""
    if not (isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call)):
        return False
    func = stmt.value.func
    return isinstance(func, gast.Name) and resolver.is_global_ref(func) and \
        resolver.namespace.get(func.id) is builtins.print


def is_forward_only(stmt):
    """A statement the forward sweep runs as written and the derivative ignores (print, assert)."""
    return isinstance(stmt, (gast.Expr, gast.Assert, gast.Raise))


def lower_statements(body, location, resolver):
    def rewrite(stmts):
        out = []
        for stmt in stmts:
            if isinstance(stmt, gast.Expr):
                if isinstance(stmt.value, gast.Constant):
                    continue                                  # a string used as a comment
                if not is_print(stmt, resolver):
                    raise location.unsupported(stmt, "expression statement",
                                               "expression statements (calls for their side effects) are not "
                                               "supported, except print(...); assign the result to a name")
            for field in ("body", "orelse"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and block:
                    setattr(stmt, field, rewrite(block) or [gast.copy_location(gast.Pass(), block[0])])
            out.append(stmt)
            if isinstance(stmt, _TERMINATORS) or always_returns(stmt):
                break                                         # what follows never runs
        return out

    return rewrite(body) or [gast.Pass()]
