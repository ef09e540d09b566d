"""Specialised copies of the user's helpers: compile-time constant parameters substituted.

A helper called with a function (`rk4(rhs, t, x, p, dt)`), a tuple written out
(`h(x, (k, c))`) or `None` (`f(x, w=None)`) is differentiated as a copy of itself
specialised for that call:

* a parameter bound to a *function* is removed, and the body calls the function by a global
  name (`k1 = rhs(t, x, *p)`): Numba compiles calls of global functions, and s2sad
  differentiates them like any other helper call;
* a parameter bound to a *tuple of n values* becomes n parameters `p_0, ..., p_(n-1)`:
  `p[k]` reads `p_k`, `len(p)` is n, `*p` passes `p_0, ..., p_(n-1)`, and any other use of `p`
  is the tuple `(p_0, ..., p_(n-1))`; each element then carries its own derivative;
* a parameter bound to *None* is removed and reads as `None`; branches whose test is then
  decided (`if w is None:`) keep only the branch taken.

The copy's own calls are bound the same way (`calls`), so a function passed on to a further
helper specialises that one too. `specialize(helper, bindings)` returns a real Python
function (compiled from the specialised tree, with the helper's file and line numbers, and the
helper's globals plus the names the substitution needs), made once per (helper, bindings).
Its `__s2sad_fdef__` attribute holds the specialised tree, which `parsing.parse_function`
returns instead of reading source.

Function-local imports are resolved the same way in every copy; `numba_primal(f)` is the
copy Numba compiles for a user function that imports inside its body or passes functions or
tuples to helpers (Numba compiles no import statements).
"""
import ast
import builtins
import copy
import types

import gast

from ..errors import S2SADError
from ..naming import Namer, all_names
from ..parsing import SPECIALIZED_FDEF, parse_function, python_function
from ..resolve import Resolver, local_names
from .statements import imported_objects

FUNCTION, TUPLE, NONE = "function", "tuple", "none"
_MADE = {}          # (helper, bindings key) -> (specialised function, bindings)
_NAMES = set()      # names handed out to specialisations (they name generated derivatives)
_IN_PROGRESS = set()


def specialize(helper, bindings):
    """`helper` with `bindings` ({parameter: (FUNCTION, object), (TUPLE, length) or (NONE, None)})
    substituted."""
    helper = python_function(helper)
    key = (helper, tuple(sorted((p, kind, id(v) if kind == FUNCTION else v)
                                for p, (kind, v) in bindings.items())))
    if key not in _MADE:
        if key in _IN_PROGRESS:
            _, location = parse_function(helper)
            raise location.unsupported(None, "call", f"{helper.__name__} passes itself a function recursively")
        suffix = [_function_name(v) for p, (kind, v) in sorted(bindings.items()) if kind == FUNCTION]
        suffix += [f"no_{p}" for p, (kind, v) in sorted(bindings.items()) if kind == NONE]
        if any(kind == TUPLE for kind, _ in bindings.values()):
            suffix.append("flat")
        _IN_PROGRESS.add(key)
        try:
            made = _make(helper, bindings, _unique("_".join([helper.__name__] + suffix)))
        finally:
            _IN_PROGRESS.discard(key)
        _MADE[key] = (made, bindings)
    return _MADE[key][0]


def numba_primal(func):
    """What Numba should compile for the user function `func`: `func` itself, or a copy whose
    local imports are resolved globals and whose helper calls are bound (functions and tuples
    passed to helpers specialise them), when that changes anything."""
    func = python_function(func)
    key = (func, "numba")
    if key not in _MADE:
        made = func
        try:
            if getattr(func, SPECIALIZED_FDEF, None) is None:
                fdef, location = parse_function(func)
                if _has_imports(fdef) or _passes_constants(fdef, func, location):
                    made = _make(func, {}, func.__name__)
        except (S2SADError, SyntaxError, TypeError, ValueError):
            made = func                    # Numba compiles it as it is (or reports why not)
        _MADE[key] = (made, None)
    return _MADE[key][0]


def _has_imports(fdef):
    return any(isinstance(n, (gast.Import, gast.ImportFrom)) for n in gast.walk(fdef))


def _passes_constants(fdef, func, location):
    """Does `fdef` call a user function with a function, a tuple written out or None?"""
    from ..helpers import user_function
    resolver = Resolver(func, fdef, location)
    for node in gast.walk(fdef):
        if isinstance(node, gast.Call) and resolver.is_global_ref(node.func):
            try:
                callee = resolver.value_of(node.func)
            except S2SADError:
                continue
            if user_function(callee) is None:
                continue
            for a in list(node.args) + [k.value for k in node.keywords]:
                if isinstance(a, (gast.Tuple, gast.List)) or (isinstance(a, gast.Constant) and a.value is None):
                    return True
                if resolver.is_global_ref(a):
                    try:
                        value = resolver.value_of(a)
                    except S2SADError:
                        continue
                    if callable(value) and not isinstance(value, type):
                        return True
    return False


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
    from .calls import bind_calls
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
            what = {FUNCTION: "a function", TUPLE: "a tuple", NONE: "None"}[kind]
            raise location.unsupported(arg, "parameter",
                                       f"{helper.__name__} assigns its parameter {arg.id!r}, which is passed "
                                       f"{what}; use another name")
        if kind == FUNCTION:
            same = _function_name(value)
            if namespace.get(same) is value and same not in local_names(fdef):
                substitutions[arg.id] = (FUNCTION, same)        # call it by its own name
            else:
                namespace[arg.id] = value                       # the parameter's name, now a global
                substitutions[arg.id] = (FUNCTION, arg.id)
        elif kind == NONE:
            substitutions[arg.id] = (NONE, None)
        else:
            names = [namer.fresh(f"{arg.id}_{k}") for k in range(value)]
            params += [gast.Name(id=n, ctx=gast.Param(), annotation=None, type_comment=None) for n in names]
            substitutions[arg.id] = (TUPLE, names)
    fdef.args.args = params
    if bindings:
        fdef.args.defaults = []        # every call is bound to all parameters (see `calls`)
    fdef.name = name
    _Substitute(substitutions, namespace, location).visit(fdef)
    _FoldDecided().visit(fdef)
    fdef.body = _reachable(fdef.body)
    resolver = Resolver.for_namespace(namespace, fdef, location)
    bind_calls(fdef, location, namer, resolver, None, lenient=True)
    namespace.update(resolver.extra)
    module = gast.Module(body=[fdef], type_ignores=[])
    tree = ast.fix_missing_locations(gast.gast_to_ast(copy.deepcopy(module)))
    code = compile(tree, location.filename, "exec")
    fcode = next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == name)
    defaults = None if bindings else helper.__defaults__
    func = types.FunctionType(fcode, namespace, name, defaults)
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
        if kind == NONE:
            return gast.copy_location(gast.Constant(value=None, kind=None), node)
        display = gast.Tuple(elts=[_load(n) for n in value], ctx=gast.Load())
        return gast.copy_location(display, node)


class _FoldDecided(gast.NodeTransformer):
    """`if None is None:` (after substitution) keeps only the branch taken."""

    def visit_If(self, node):
        self.generic_visit(node)
        decided = _decided(node.test)
        if decided is None:
            return node
        return (node.body if decided else node.orelse) or [gast.copy_location(gast.Pass(), node)]

    def visit_IfExp(self, node):
        self.generic_visit(node)
        decided = _decided(node.test)
        if decided is None:
            return node
        return node.body if decided else node.orelse


_COMPARE = {gast.Is: lambda a, b: a is b, gast.IsNot: lambda a, b: a is not b,
            gast.Eq: lambda a, b: a == b, gast.NotEq: lambda a, b: a != b}


def _decided(test):
    """The truth of a test made of None literals only (`None is None`, `not None`), else None."""
    if isinstance(test, gast.Constant) and test.value is None:
        return False
    if isinstance(test, gast.UnaryOp) and isinstance(test.op, gast.Not):
        inner = _decided(test.operand)
        return None if inner is None else not inner
    if isinstance(test, gast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _COMPARE:
        left, right = test.left, test.comparators[0]
        if all(isinstance(x, gast.Constant) for x in (left, right)) and \
                None in (left.value, right.value):
            return _COMPARE[type(test.ops[0])](left.value, right.value)
        return None
    if isinstance(test, gast.BoolOp):
        values = [_decided(v) for v in test.values]
        if isinstance(test.op, gast.And):
            if any(v is False for v in values):
                return False
            return True if all(v is True for v in values) else None
        if any(v is True for v in values):
            return True
        return False if all(v is False for v in values) else None
    return None


def _reachable(stmts):
    """`stmts` without what follows a `return` (a decided branch may leave some)."""
    from .returns import always_returns
    out = []
    for stmt in stmts:
        for field in ("body", "orelse"):
            block = getattr(stmt, field, None)
            if isinstance(block, list) and block:
                setattr(stmt, field, _reachable(block))
        out.append(stmt)
        if isinstance(stmt, (gast.Return, gast.Break, gast.Continue)) or always_returns(stmt):
            break
    return out or [gast.Pass()]


def _load(name):
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _int_literal(node):
    if isinstance(node, gast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        inner = _int_literal(node.operand)
        return -inner if inner is not None else None
    return None
