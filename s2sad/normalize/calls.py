"""Lowering: calls of the user's own functions bound to positional arguments.

Takes the parsed body (after `statements`) and the types of the function's arguments.
Guarantees, for every call of one of the user's functions (plain or `@numba.njit`, see
`helpers.user_function`) that has no registered derivative template:

* every parameter gets exactly one positional argument: keywords are put in their
  parameter's position, and missing arguments are filled in from the helper's defaults,
  which must be literals (numbers, booleans, None, strings, tuples of them) or functions;
* no argument is a function, a tuple written out or None: the call goes to a specialised
  copy of the helper (`normalize.specialize`) that calls the function by a global name,
  takes the tuple's elements one by one (`rk4(rhs, t, x, (k, c), dt)` becomes
  `rk4_rhs_flat(t, x, k, c, dt)`, so that each element carries its own derivative), or
  reads None as a constant (its `if w is None:` decided);

and, in every call, `*p` is expanded to `p[0], p[1], ...` where `p` is a tuple parameter (its
length is known from its type) and `*(a, b)` to `a, b`.

Too many arguments, unknown or repeated keywords, missing arguments without a default,
`**kwargs`, and `*args` of unknown length raise UnsupportedError naming file, line and the
helper. Calls of NumPy and `math` keep their keywords: their derivative templates take
options such as `axis=` (a keyword that carries a derivative is rejected by the transforms).
"""
import math
import types as pytypes

import gast
import numpy as np

from .. import rules
from ..codegen import src
from ..helpers import user_function
from ..types import TupleType
from .specialize import FUNCTION, NONE, TUPLE, specialize


def bind_calls(fdef, location, namer, resolver, arg_types=None, lenient=False):
    """Bind the calls in `fdef` (in place). `lenient`: leave `*p` of unknown length as it is
    (when a specialised copy is made for Python and Numba, which expand it themselves)."""
    _Binder(fdef, location, namer, resolver, arg_types or {}, lenient).visit(fdef)


class _Binder(gast.NodeTransformer):
    def __init__(self, fdef, location, namer, resolver, arg_types, lenient):
        self.lenient = lenient
        self.location = location
        self.namer = namer
        self.resolver = resolver
        self.arg_types = arg_types
        self.params = {a.id for a in fdef.args.args}
        self.assigned = {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        self.names = {}             # id(specialised helper) -> its global name in this function

    def visit_Call(self, node):
        self.generic_visit(node)
        node.args = self._expand_starred(node)
        if any(k.arg is None for k in node.keywords):
            raise self.location.unsupported(node, "call", f"`**` arguments are not supported in `{src(node)}`; "
                                                          "pass the arguments one by one")
        if not self.resolver.is_global_ref(node.func) or any(isinstance(a, gast.Starred) for a in node.args):
            return node                    # (a `*p` left by a lenient binding: Python expands it)
        value = self.resolver.value_of(node.func)
        helper = user_function(value)
        if helper is None or rules.lookup(value) is not None or rules.is_non_differentiable(value):
            return node
        for _ in range(100):               # a tuple of tuples is flattened one level per round
            args = self._bind(node, helper)
            node.args, node.keywords = args, []
            bindings, flat = {}, []
            params = _parameters(helper)
            for p, a in zip(params, args):
                function = self._function_value(a)
                if function is not None:
                    bindings[p] = (FUNCTION, function)
                elif isinstance(a, (gast.Tuple, gast.List)):
                    bindings[p] = (TUPLE, len(a.elts))
                    flat += a.elts
                elif isinstance(a, gast.Constant) and a.value is None:
                    bindings[p] = (NONE, None)          # `if w is None:` is decided in the copy
                else:
                    flat.append(a)
            if not bindings:
                return node
            helper = specialize(helper, bindings)
            if id(helper) not in self.names:
                self.names[id(helper)] = self.namer.fresh(helper.__name__)
                self.resolver.bind(self.names[id(helper)], helper)
            node.func = gast.Name(id=self.names[id(helper)], ctx=gast.Load(), annotation=None, type_comment=None)
            node.args = flat
        raise self.location.unsupported(node, "call", "tuples nested too deeply")

    # ------------------------------------------------------------------ *args
    def _expand_starred(self, node):
        out = []
        for a in node.args:
            if not isinstance(a, gast.Starred):
                out.append(a)
                continue
            value = a.value
            if isinstance(value, (gast.Tuple, gast.List)):
                out.extend(value.elts)
                continue
            length = None
            if isinstance(value, gast.Name) and value.id in self.params and value.id not in self.assigned:
                t = self.arg_types.get(value.id)
                length = len(t.elts) if isinstance(t, TupleType) else None
            elif self.resolver.is_global_ref(value):
                constant = self.resolver.value_of(value)
                length = len(constant) if isinstance(constant, tuple) else None
            if length is None and self.lenient:
                out.append(a)
                continue
            if length is None:
                raise self.location.unsupported(
                    node, "star-argument",
                    f"cannot expand `*{src(value)}`: s2sad expands `*p` only where p is a tuple parameter "
                    "(its length is known from its type) or a tuple written out; pass the values one by one")
            for k in range(length):
                item = gast.Subscript(value=_copy_load(value), slice=gast.Constant(value=k, kind=None),
                                      ctx=gast.Load())
                out.append(gast.copy_location(item, a))
        return out

    # ------------------------------------------------------------------ binding
    def _bind(self, node, helper):
        """The call's arguments in parameter order, defaults filled in."""
        what = f"{helper.__name__}"
        code = helper.__code__
        if code.co_flags & (0x04 | 0x08) or code.co_kwonlyargcount or code.co_posonlyargcount:
            raise self.location.unsupported(
                node, "call", f"{what} has *args, **kwargs, keyword-only or positional-only parameters; "
                              "s2sad differentiates helpers with plain positional parameters only")
        params = _parameters(helper)
        if len(node.args) > len(params):
            raise self.location.unsupported(node, "call", f"{what} takes {len(params)} argument(s), "
                                                          f"the call passes {len(node.args)}")
        bound = dict(zip(params, node.args))
        for k in node.keywords:
            if k.arg not in params:
                raise self.location.unsupported(node, "call", f"{what} has no parameter {k.arg!r} "
                                                              f"(its parameters are {', '.join(params)})")
            if k.arg in bound:
                raise self.location.unsupported(node, "call", f"{what} gets two values for its parameter {k.arg!r}")
            bound[k.arg] = k.value
        defaults = helper.__defaults__ or ()
        first_default = len(params) - len(defaults)
        args = []
        for k, p in enumerate(params):
            if p in bound:
                args.append(bound[p])
                continue
            if k < first_default:
                raise self.location.unsupported(node, "call", f"the call of {what} passes no value for its "
                                                              f"parameter {p!r}, which has no default")
            args.append(self._default(defaults[k - first_default], helper, p, node))
        return args

    def _default(self, value, helper, param, node):
        literal = _literal(value)
        if literal is not None:
            return gast.copy_location(literal, node)
        if _is_function(value):
            name = self.namer.fresh(f"{param}_default")
            self.resolver.bind(name, value)
            return gast.copy_location(gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None), node)
        raise self.location.unsupported(
            node, "default argument",
            f"the default value of parameter {param!r} of {helper.__name__} is {_describe(value)}; s2sad fills "
            f"in literal defaults only (numbers, booleans, None, strings, tuples of them) and functions: "
            f"pass {param}=... in this call")

    def _function_value(self, arg):
        """The function `arg` denotes if it is a global reference to one, else None."""
        if not (isinstance(arg, (gast.Name, gast.Attribute)) and self.resolver.is_global_ref(arg)):
            return None
        value = self.resolver.value_of(arg)
        return value if _is_function(value) else None


def _parameters(helper):
    return list(helper.__code__.co_varnames[:helper.__code__.co_argcount])


def _is_function(value):
    if isinstance(value, (type, pytypes.ModuleType)):
        return False
    return user_function(value) is not None or isinstance(value, (np.ufunc, pytypes.BuiltinFunctionType,
                                                                  pytypes.FunctionType)) or \
        hasattr(value, "py_func")


def _literal(value):
    """A gast literal for a default value, or None if it is not one."""
    if value is None or isinstance(value, (bool, int, str)):
        return gast.Constant(value=value, kind=None)
    if isinstance(value, float):
        return None if math.isnan(value) else gast.Constant(value=value, kind=None)
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return _literal(value.item())
    if isinstance(value, tuple):
        elts = [_literal(v) for v in value]
        return None if any(e is None for e in elts) else gast.Tuple(elts=elts, ctx=gast.Load())
    return None


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _copy_load(node):
    import copy
    node = copy.deepcopy(node)
    node.ctx = gast.Load()
    return node

