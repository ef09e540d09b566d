"""Type inference over the three-address form.

Takes the ANF body and the types of the actual arguments; guarantees a map from every
local name to one of: INT, FLOAT, BOOL, Array(ndim, kind), Tuple(types) or UNKNOWN.
Flow-insensitive (a name assigned an int and a float is a float, as in Numba), which is
all the reverse transform needs: which names are real scalars, which are arrays, and
which are integers or booleans that never carry derivatives.
"""
import math
from collections import namedtuple

import gast
import numpy as np

INT, FLOAT, BOOL, UNKNOWN = "int", "float", "bool", "unknown"
Array = namedtuple("Array", "ndim kind")       # kind: "f" float, "i" integer, "b" boolean
TupleType = namedtuple("TupleType", "elts")


def type_of_value(value):
    if isinstance(value, (bool, np.bool_)):
        return BOOL
    if isinstance(value, (int, np.integer)):
        return INT
    if isinstance(value, (float, np.floating)):
        return FLOAT
    if isinstance(value, np.ndarray):
        kind = {"f": "f", "i": "i", "u": "i", "b": "b"}.get(value.dtype.kind, "?")
        return Array(value.ndim, kind)
    if isinstance(value, tuple):
        return TupleType(tuple(type_of_value(v) for v in value))
    return UNKNOWN


def is_real(t):
    """Can a value of type t carry a derivative? (tuples: if any element can)"""
    if isinstance(t, TupleType):
        return any(is_real(e) for e in t.elts)
    return t == FLOAT or (isinstance(t, Array) and t.kind == "f")


def join(a, b):
    if a is None:
        return b
    if b is None or a == b:
        return a
    if {a, b} <= {INT, FLOAT, BOOL}:
        return FLOAT if FLOAT in (a, b) else INT
    if isinstance(a, Array) and isinstance(b, Array):
        kind = "f" if "f" in (a.kind, b.kind) else a.kind
        return Array(max(a.ndim, b.ndim), kind)
    return UNKNOWN


def incompatible(a, b):
    """Can no single Numba type hold both? (a scalar and an array, arrays of two ndims, ...)"""
    known = (INT, FLOAT, BOOL)
    if a is None or b is None or a == UNKNOWN or b == UNKNOWN or a == b:
        return False
    if a in known and b in known:
        return False                                  # unified to float, as Numba does
    if isinstance(a, Array) and isinstance(b, Array):
        return a.ndim != b.ndim or "?" in (a.kind, b.kind)
    if isinstance(a, TupleType) and isinstance(b, TupleType) and len(a.elts) == len(b.elts):
        return any(incompatible(x, y) for x, y in zip(a.elts, b.elts))   # an UNKNOWN element is no conflict
    return True


_FLOAT_FUNCS = {"transpose", "outer", "sqrt", "exp", "log", "log1p", "expm1", "sin", "cos", "tan", "tanh", "sinh",
                "cosh", "arcsin", "arccos", "arctan", "arctan2", "hypot", "asin", "acos",
                "atan", "atan2", "log10", "log2", "power", "float64", "float", "sign", "abs",
                "absolute", "fabs", "maximum", "minimum", "square", "erf", "erfc", "pow"}
_INT_FUNCS = (len, int, round, math.floor, math.ceil, math.trunc)    # return Python ints
_ROUNDING = {"floor", "ceil", "round", "rint", "trunc", "around", "fix"}   # NumPy: floats, shaped like x
_ALLOCATORS = {"zeros", "ones", "empty", "full"}
_LIKE = {"zeros_like", "ones_like", "empty_like", "full_like", "copy", "array", "asarray", "prod_of_others"}
_REDUCTIONS = {"sum", "mean", "max", "min", "prod", "dot", "vdot", "std", "var", "amax", "amin"}


class TypeInference:
    def __init__(self, resolver, arg_types):
        self.resolver = resolver
        self.types = dict(arg_types)
        self.conflicts = set()      # names given values of incompatible types (see split_names)

    def run(self, body):
        for _ in range(20):
            before = dict(self.types)
            self.block(body)
            if before == self.types:
                return self.types
        return self.types

    def block(self, body):
        for stmt in body:
            if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
                name = stmt.targets[0].id
                old, new = self.types.get(name), self.expr(stmt.value)
                if incompatible(old, new):
                    self.conflicts.add(name)
                self.types[name] = join(old, new)
            elif isinstance(stmt, gast.For):
                self.types[stmt.target.id] = INT
                self.block(stmt.body)
            elif isinstance(stmt, (gast.If, gast.While)):
                self.block(stmt.body)
                self.block(getattr(stmt, "orelse", []))

    def expr(self, node):
        if isinstance(node, gast.Constant):
            return type_of_value(node.value)
        if isinstance(node, gast.Name) and node.id in self.types:
            return self.types[node.id]
        if self.resolver.is_global_ref(node):
            return type_of_value(self.resolver.value_of(node))
        if isinstance(node, gast.Name):
            return None                       # not inferred yet (fixpoint will revisit)
        if isinstance(node, gast.Compare):
            return self.compare(node)
        if isinstance(node, (gast.Compare, gast.BoolOp)) or (
                isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not)):
            return BOOL
        if isinstance(node, gast.UnaryOp):
            t = self.expr(node.operand)
            return INT if t == BOOL else t
        if isinstance(node, gast.BinOp):
            return self.binop(node)
        if isinstance(node, gast.Subscript):
            return self.subscript(node)
        if isinstance(node, gast.Attribute):
            base = self.expr(node.value)
            if isinstance(base, Array):
                if node.attr == "shape":
                    return TupleType((INT,) * base.ndim)
                if node.attr in ("size", "ndim"):
                    return INT
                if node.attr == "T":
                    return base
            return UNKNOWN
        if isinstance(node, gast.Tuple):
            return TupleType(tuple(self.expr(e) for e in node.elts))
        if isinstance(node, gast.Call):
            return self.call(node)
        return UNKNOWN

    def binop(self, node):
        left, right = self.expr(node.left), self.expr(node.right)
        if left is None or right is None:
            return None
        if isinstance(left, TupleType) or isinstance(right, TupleType):
            return self.tuple_binop(node, left, right)
        if isinstance(node.op, gast.MatMult):
            if isinstance(left, Array) and isinstance(right, Array):
                ndim = left.ndim + right.ndim - 2
                return Array(ndim, "f") if ndim > 0 else FLOAT
            return UNKNOWN
        if isinstance(left, Array) or isinstance(right, Array):
            ndim = max(t.ndim for t in (left, right) if isinstance(t, Array))
            kinds = {t.kind if isinstance(t, Array) else ("f" if t == FLOAT else "i") for t in (left, right)}
            kind = "f" if "f" in kinds or isinstance(node.op, gast.Div) else "i"
            if kinds == {"b"} and isinstance(node.op, (gast.BitAnd, gast.BitOr, gast.BitXor)):
                kind = "b"                       # masks combined: m1 & m2 is a mask
            return Array(ndim, kind)
        if left in (INT, BOOL) and right in (INT, BOOL) and not isinstance(node.op, gast.Div):
            return INT
        if {left, right} <= {INT, FLOAT, BOOL}:
            return FLOAT
        return UNKNOWN

    def tuple_binop(self, node, left, right):
        """`(2,) + x.shape`, `shape * 2`: tuples whose length is known, else UNKNOWN (shapes of
        unknown length must not be guessed: a wrong ndim is a silently wrong derivative)."""
        if isinstance(node.op, gast.Add) and isinstance(left, TupleType) and isinstance(right, TupleType):
            return TupleType(left.elts + right.elts)
        if isinstance(node.op, gast.Mult):
            tup, count = (left, node.right) if isinstance(left, TupleType) else (right, node.left)
            if isinstance(count, gast.Constant) and isinstance(count.value, int):
                return TupleType(tup.elts * count.value)
        return UNKNOWN

    def subscript(self, node):
        base = self.expr(node.value)
        if isinstance(base, TupleType):
            if isinstance(node.slice, gast.Slice):
                return self.tuple_slice(base, node.slice)
            if isinstance(node.slice, gast.Constant) and isinstance(node.slice.value, int):
                try:
                    return base.elts[node.slice.value]
                except IndexError:
                    return UNKNOWN
            elts = set(base.elts)
            return elts.pop() if len(elts) == 1 else UNKNOWN
        if not isinstance(base, Array):
            return UNKNOWN if base is not None else None
        parts = node.slice.elts if isinstance(node.slice, gast.Tuple) else [node.slice]
        dropped = 0
        for part in parts:
            if isinstance(part, gast.Slice):
                continue
            if isinstance(part, gast.Constant) and part.value is None:
                dropped -= 1                     # np.newaxis adds an axis
                continue
            if isinstance(part, gast.Constant) and part.value is Ellipsis:
                continue                         # `...` keeps the axes it stands for
            t = self.expr(part)
            if isinstance(t, Array):            # an integer array or a boolean mask
                return self.advanced_index(base, parts)
            if t is None:
                return None                      # not inferred yet
            if isinstance(t, TupleType) and len(parts) == 1 and all(e in (INT, BOOL) for e in t.elts):
                dropped += len(t.elts)           # x[t] with t = (i, j) is x[i, j]
                continue
            if t not in (INT, BOOL):
                return UNKNOWN                   # an index of unknown kind: never guess the ndim
            dropped += 1
        ndim = base.ndim - dropped
        if ndim > 0:
            return Array(ndim, base.kind)
        return {"f": FLOAT, "i": INT, "b": BOOL}.get(base.kind, UNKNOWN)

    def compare(self, node):
        """`x > 0.0` on an array is a boolean array (a mask), on scalars a bool."""
        operands = [self.expr(e) for e in [node.left] + list(node.comparators)]
        if any(o is None for o in operands):
            return None
        arrays = [o for o in operands if isinstance(o, Array)]
        if arrays:
            return Array(max(a.ndim for a in arrays), "b")
        return BOOL

    def advanced_index(self, base, parts):
        """`x[idx]`, `x[:, idx]`, `x[i, j]`, `x[mask]`: integer arrays (which broadcast together,
        each replacing one axis) or one boolean mask (replacing as many axes as it has by one),
        among integers and slices. Anything else is UNKNOWN."""
        kinds = [self.expr(p) if not isinstance(p, gast.Slice) else "slice" for p in parts]
        arrays = [k for k in kinds if isinstance(k, Array)]
        if any(k not in ("slice", INT, BOOL) and not isinstance(k, Array) for k in kinds) or \
                any(isinstance(p, gast.Constant) and p.value is None for p in parts):
            return UNKNOWN
        scalars = sum(1 for k in kinds if k in (INT, BOOL))
        if all(a.kind == "i" for a in arrays):
            ndim = base.ndim - scalars - len(arrays) + max(a.ndim for a in arrays)
            consumed = len(parts)
        elif len(arrays) == 1 and arrays[0].kind == "b":
            ndim = base.ndim - scalars - arrays[0].ndim + 1
            consumed = len(parts) - 1 + arrays[0].ndim
        else:
            return UNKNOWN
        if consumed > base.ndim:
            return UNKNOWN
        if ndim == 0:
            return {"f": FLOAT, "i": INT, "b": BOOL}.get(base.kind, UNKNOWN)
        return Array(ndim, base.kind)

    def tuple_slice(self, base, part):
        """`shape[1:]`: a tuple whose length is known when the bounds are literals."""
        bounds = []
        for bound in (part.lower, part.upper, part.step):
            if bound is None:
                bounds.append(None)
            elif isinstance(bound, gast.Constant) and isinstance(bound.value, int):
                bounds.append(bound.value)
            elif isinstance(bound, gast.UnaryOp) and isinstance(bound.op, gast.USub) and \
                    isinstance(bound.operand, gast.Constant) and isinstance(bound.operand.value, int):
                bounds.append(-bound.operand.value)
            else:
                return UNKNOWN
        return TupleType(base.elts[slice(*bounds)])

    def call(self, node):
        if isinstance(node.func, gast.Attribute) and not self.resolver.is_global_ref(node.func):
            base = self.expr(node.func.value)       # method call: x.copy(), x.sum()
            if node.func.attr == "copy":
                return base
            if node.func.attr == "astype":
                return _astype(base, node, self.resolver)
            if node.func.attr in _REDUCTIONS and isinstance(base, Array):
                if node.func.attr == "dot":
                    other = self.expr(node.args[0]) if node.args else None
                    ndim = base.ndim + (other.ndim if isinstance(other, Array) else 0) - 2
                    return Array(ndim, "f") if ndim > 0 else FLOAT
                if not node.keywords and not node.args:
                    return FLOAT if base.kind == "f" else INT
                return Array(base.ndim - 1, base.kind) if base.ndim > 1 else FLOAT
            if node.func.attr == "transpose":
                return base
            if node.func.attr in ("ravel", "flatten") and isinstance(base, Array):
                return Array(1, base.kind)
            if node.func.attr == "reshape" and isinstance(base, Array):
                return _reshaped(base, [self.expr(a) for a in node.args])
            return UNKNOWN
        func = self.resolver.value_of(node.func)
        name = getattr(func, "__name__", "")
        args = [self.expr(a) for a in node.args]
        if any(a is None for a in args):
            return None
        from .helpers import user_function
        from . import rules
        from .runtime_api import stop_gradient
        if func is stop_gradient and args:
            return args[0]
        helper = user_function(func)
        if helper is not None and rules.lookup(func) is None:
            from .transform import helper_result_type
            params = helper.__code__.co_varnames[:helper.__code__.co_argcount]
            return helper_result_type(helper, dict(zip(params, args))) or UNKNOWN
        from .numpy_types import numpy_call_type
        known = numpy_call_type(func, node, args, self.resolver)
        if known is not None:
            return known
        if name in _ALLOCATORS:
            shape = args[0] if args else INT
            if isinstance(shape, TupleType):
                ndim = len(shape.elts)
            elif shape in (INT, BOOL):
                ndim = 1
            else:
                return UNKNOWN              # a shape of unknown length: never guess the ndim
            kind = _dtype_kind(node, self.resolver)
            return Array(ndim, kind)
        if func is np.array and args and isinstance(args[0], TupleType):
            kinds = {e for e in args[0].elts}
            natural = "f" if FLOAT in kinds else "b" if kinds == {BOOL} else "i" if kinds <= {INT, BOOL} else "?"
            return Array(1, _dtype_kind(node, self.resolver, natural))     # np.array([0, 1]) holds ints
        if name in _LIKE:
            base = args[0] if args else UNKNOWN
            if isinstance(base, Array) and name.endswith("_like"):
                return Array(base.ndim, _dtype_kind(node, self.resolver, base.kind))
            return base
        if name == "outer":
            return Array(2, "f")
        if func is np.linspace and all(a in (INT, FLOAT, BOOL) for a in args):
            return Array(1, "f")
        if func is np.arange and all(a in (INT, FLOAT, BOOL) for a in args):
            return Array(1, _dtype_kind(node, self.resolver, "f" if FLOAT in args else "i"))
        if name == "expand_dims" and args and isinstance(args[0], Array):
            return Array(args[0].ndim + 1, args[0].kind)
        if name in ("ravel", "flatten") and args and isinstance(args[0], Array):
            return Array(1, args[0].kind)
        if name == "reshape" and len(args) > 1 and isinstance(args[0], Array):
            return _reshaped(args[0], args[1:])
        if any(func is f for f in _INT_FUNCS):
            if func is round and len(node.args) > 1:
                return FLOAT if args[0] != INT else INT
            return INT
        if name in _ROUNDING and isinstance(func, np.ufunc) or func in (np.round, np.around):
            arrays = [a for a in args[:1] if isinstance(a, Array)]
            return Array(arrays[0].ndim, "f") if arrays else FLOAT
        if name in ("min", "max") and func in (min, max):
            result = None
            for a in args:
                result = join(result, a)
            return result
        if name in _REDUCTIONS and args:
            if any(k.arg == "axis" for k in node.keywords) or len(args) > 1 and name not in ("dot", "vdot"):
                if isinstance(args[0], Array):
                    return Array(args[0].ndim - 1, "f") if args[0].ndim > 1 else FLOAT
                return UNKNOWN
            if name in ("dot",) and len(args) == 2 and all(isinstance(a, Array) for a in args):
                ndim = args[0].ndim + args[1].ndim - 2
                return Array(ndim, "f") if ndim > 0 else FLOAT
            return FLOAT
        if func is abs and len(args) == 1 and args[0] in (INT, BOOL):
            return INT                               # abs(i - c): an index stays an integer
        if name in _FLOAT_FUNCS or name == "where" or name == "clip":
            arrays = [a for a in args if isinstance(a, Array)]
            if arrays:
                return Array(max(a.ndim for a in arrays), "f")
            return FLOAT
        if getattr(func, "__module__", None) == "math" or func is math.pi:
            return FLOAT
        return UNKNOWN


def _astype(base, node, resolver):
    """`x.astype(dtype)`: an array shaped like `x` of the dtype's kind."""
    if not isinstance(base, Array) or len(node.args) != 1:
        return UNKNOWN
    from .numpy_types import dtype_kind
    kind = dtype_kind(node.args[0], resolver)
    return Array(base.ndim, kind) if kind is not None else UNKNOWN

def _reshaped(base, shape):
    """The type of `base.reshape(*shape)`: the ndim is the shape's length, when it is known."""
    if len(shape) == 1 and isinstance(shape[0], TupleType):
        return Array(len(shape[0].elts), base.kind)
    if all(s in (INT, BOOL) for s in shape):
        return Array(len(shape), base.kind)
    return UNKNOWN


def _dtype_kind(node, resolver, default="f"):
    for kw in node.keywords:
        if kw.arg == "dtype":
            try:
                dtype = np.dtype(resolver.value_of(kw.value)) if resolver.is_global_ref(kw.value) \
                    else np.dtype(kw.value.value)
                return {"f": "f", "i": "i", "u": "i", "b": "b"}.get(dtype.kind, "?")
            except Exception:
                return "?"
    return default


def infer_types(body, resolver, arg_types, conflicts=None):
    """Types of every local; names given incompatible types are added to `conflicts`."""
    inference = TypeInference(resolver, arg_types)
    types = inference.run(body)
    if conflicts is not None:
        conflicts |= inference.conflicts
    return types
