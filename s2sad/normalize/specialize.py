"""Specialised copies of the user's helpers: compile-time constant parameters substituted.

A helper called with a function (`rk4(rhs, t, x, p, dt)`) or with a tuple written out
(`h(x, (k, c))`) is differentiated as a copy of itself specialised for that call:

* a parameter bound to a *function* is removed, and the body calls the function by a global
  name (`k1 = rhs(t, x, *p)`): Numba compiles calls of global functions, and s2sad
  differentiates them like any other helper call;
* a parameter bound to a *tuple of n values* becomes n parameters `p_0, ..., p_(n-1)`:
  `p[k]` reads `p_k`, `len(p)` is n, `*p` passes `p_0, ..., p_(n-1)`, and any other use of `p`
  is the tuple `(p_0, ..., p_(n-1))`; each element then carries its own derivative.

`specialize(helper, bindings)` returns a real Python function (compiled from the specialised
tree, with the helper's file and line numbers, and the helper's globals plus the names the
substitution needs), made once per (helper, bindings). Its `__s2sad_fdef__` attribute holds
the specialised tree, which `parsing.parse_function` returns instead of reading source.

Function-local imports are resolved the same way in every copy, so a copy is also what Numba
compiles for a helper that imports inside its body (`without_local_imports`).
"""
import ast
import builtins
import copy
import dis
import types

import gast

from ..naming import Namer, all_names
from ..parsing import SPECIALIZED_FDEF, parse_function, python_function
from ..resolve import local_names
from .statements import imported_objects

FUNCTION, TUPLE = "function", "tuple"
_MADE = {}          # (helper, bindings key) -> specialised function
_NAMES = set()      # names handed out to specialisations (they name generated derivatives)


def specialize(helper, bindings):
    """`helper` with `bindings` ({parameter: (FUNCTION, object) or (TUPLE, length)}) substituted."""
    helper = python_function(helper)
    key = (helper, tuple(sorted((p, kind, id(v) if kind == FUNCTION else v)
                                for p, (kind, v) in bindings.items())))
    if key not in _MADE:
        suffix = [_function_name(v) for p, (kind, v) in sorted(bindings.items()) if kind == FUNCTION]
        if any(kind == TUPLE for kind, _ in bindings.values()):
            suffix.append("flat")
        _MADE[key] = (_make(helper, bindings, _unique("_".join([helper.__name__] + suffix))), bindings)
    return _MADE[key][0]


def has_local_imports(func):
    return any(i.opname == "IMPORT_NAME" for i in dis.get_instructions(func.__code__))


def without_local_imports(func):
    """`func` itself, or, if it imports inside its body, a copy whose imports are resolved globals."""
    func = python_function(func)
    if not has_local_imports(func):
        return func
    key = (func, "without imports")
    if key not in _MADE:
        _MADE[key] = (_make(func, {}, func.__name__), None)
    return _MADE[key][0]


def _function_name(value):
    name = getattr(value, "__name__", None) or getattr(getattr(value, "py_func", None), "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() else "function"


def _unique(name):
    candidate, k = name, 2
    while candidate in _NAMES:
        candidate, k = f"{name}_{k}", k + 1
    _NAMES.add(candidate)
    return candidate


def _make(helper, bindings, name):
    fdef, location = parse_function(helper)
    namespace = dict(helper.__globals__)
    if helper.__closure__:
        for var, cell in zip(helper.__code__.co_freevars, helper.__closure__):
            try:
                namespace[var] = cell.cell_contents
            except ValueError:
                pass
    _strip_imports(fdef, namespace, location)
    stored = {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    namer = Namer(all_names(fdef) | set(namespace))
    substitutions, params = {}, []
    for arg in fdef.args.args:
        if arg.id not in bindings:
            params.append(arg)
            continue
        kind, value = bindings[arg.id]
        if arg.id in stored:
            raise location.unsupported(arg, "parameter",
                                       f"{helper.__name__} assigns its parameter {arg.id!r}, which is passed "
                                       f"{'a function' if kind == FUNCTION else 'a tuple'}; use another name")
        if kind == FUNCTION:
            same = _function_name(value)
            if namespace.get(same) is value and same not in local_names(fdef):
                substitutions[arg.id] = (FUNCTION, same)        # call it by its own name
            else:
                namespace[arg.id] = value                       # the parameter's name, now a global
                substitutions[arg.id] = (FUNCTION, arg.id)
        else:
            names = [namer.fresh(f"{arg.id}_{k}") for k in range(value)]
            params += [gast.Name(id=n, ctx=gast.Param(), annotation=None, type_comment=None) for n in names]
            substitutions[arg.id] = (TUPLE, names)
    fdef.args.args = params
    fdef.args.defaults = []            # every call is bound to all parameters (see `calls`)
    fdef.name = name
    _Substitute(substitutions, namespace, location).visit(fdef)
    module = gast.Module(body=[fdef], type_ignores=[])
    tree = ast.fix_missing_locations(gast.gast_to_ast(copy.deepcopy(module)))
    code = compile(tree, location.filename, "exec")
    fcode = next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == name)
    func = types.FunctionType(fcode, namespace, name)
    func.__qualname__ = name
    func.__doc__ = helper.__doc__
    setattr(func, SPECIALIZED_FDEF, (fdef, location))
    return func


def _strip_imports(fdef, namespace, location):
    package = namespace.get("__package__")

    def rewrite(stmts):
        out = []
        for stmt in stmts:
            if isinstance(stmt, (gast.Import, gast.ImportFrom)):
                namespace.update(imported_objects(stmt, package, location))
                continue
            for field in ("body", "orelse"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and block:
                    setattr(stmt, field, rewrite(block) or [gast.copy_location(gast.Pass(), block[0])])
            out.append(stmt)
        return out
    fdef.body = rewrite(fdef.body) or [gast.Pass()]


class _Substitute(gast.NodeTransformer):
    def __init__(self, substitutions, namespace, location):
        self.substitutions = substitutions
        self.location = location
        self.len_is_builtin = namespace.get("len", builtins.len) is builtins.len

    def _tuple(self, node):
        """The element names if `node` is a parameter bound to a tuple, else None."""
        if isinstance(node, gast.Name) and self.substitutions.get(node.id, (None,))[0] == TUPLE:
            return self.substitutions[node.id][1]
        return None

    def visit_Subscript(self, node):
        names = self._tuple(node.value)
        index = _int_literal(node.slice)
        if names is not None and index is not None:
            if not -len(names) <= index < len(names):
                raise self.location.unsupported(node, "tuple index",
                                                f"index {index} is out of range for a tuple of {len(names)}")
            return gast.copy_location(_load(names[index]), node)
        return self.generic_visit(node)

    def visit_Call(self, node):
        if isinstance(node.func, gast.Name) and node.func.id == "len" and self.len_is_builtin and \
                len(node.args) == 1 and not node.keywords and self._tuple(node.args[0]) is not None:
            return gast.copy_location(gast.Constant(value=len(self._tuple(node.args[0])), kind=None), node)
        return self.generic_visit(node)

    def visit_Name(self, node):
        kind, value = self.substitutions.get(node.id, (None, None))
        if kind is None or not isinstance(node.ctx, gast.Load):
            return node
        if kind == FUNCTION:
            return gast.copy_location(_load(value), node)
        display = gast.Tuple(elts=[_load(n) for n in value], ctx=gast.Load())
        return gast.copy_location(display, node)


def _load(name):
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _int_literal(node):
    if isinstance(node, gast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        inner = _int_literal(node.operand)
        return -inner if inner is not None else None
    return None

