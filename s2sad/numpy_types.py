"""Result types of NumPy ufuncs, `math` functions and the array functions s2sad differentiates.

Used by `types.TypeInference.call`: `numpy_call_type(func, node, args, resolver)` returns the
type of the call, or None when the function is not one of those (the general rules then
apply). The ndim of every result is exact or UNKNOWN, never guessed: a wrong ndim makes
wrong derivative code, an UNKNOWN one makes s2sad raise where the value must be differentiated.
"""
import math
import warnings

import gast
import numpy as np

from .types import BOOL, FLOAT, INT, UNKNOWN, Array, TupleType

_KIND_OF_DTYPE = {"f": "f", "i": "i", "u": "i", "b": "b"}
_SCALAR_OF_KIND = {"f": FLOAT, "i": INT, "b": BOOL}
_SAMPLE_DTYPE = {"f": np.float64, "i": np.int64, "b": np.bool_}

# `math` functions whose result is not a float (all others return floats)
_MATH_RESULTS = {
    math.floor: INT, math.ceil: INT, math.trunc: INT, math.factorial: INT, math.gcd: INT,
    math.isqrt: INT, math.comb: INT, math.perm: INT, math.isnan: BOOL, math.isinf: BOOL,
    math.isfinite: BOOL, math.isclose: BOOL, math.frexp: TupleType((FLOAT, INT)),
    math.modf: TupleType((FLOAT, FLOAT)),
}
if hasattr(math, "lcm"):
    _MATH_RESULTS[math.lcm] = INT


def dtype_kind(node, resolver):
    """The kind ("f", "i", "b") of a dtype written as `np.float64`, `float`, `"float64"`; None if unknown."""
    try:
        if isinstance(node, gast.Constant) and isinstance(node.value, str):
            dtype = np.dtype(node.value)
        elif resolver.is_global_ref(node):
            dtype = np.dtype(resolver.value_of(node))
        else:
            return None
    except Exception:
        return None
    return _KIND_OF_DTYPE.get(dtype.kind)


def _kind(t):
    if isinstance(t, Array):
        return t.kind
    return {FLOAT: "f", INT: "i", BOOL: "b"}.get(t)


def ufunc_type(func, args):
    """The type of `func(*args)` for a NumPy ufunc: the dtype NumPy picks for these input kinds,
    broadcast to the largest ndim of the array inputs (a tuple for ufuncs with several outputs)."""
    if len(args) != func.nin:
        return UNKNOWN
    kinds = [_kind(a) for a in args]
    if any(k not in _SAMPLE_DTYPE for k in kinds):
        return UNKNOWN
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = func(*[np.ones(1, dtype=_SAMPLE_DTYPE[k]) for k in kinds])
    except Exception:
        return UNKNOWN
    ndims = [a.ndim for a in args if isinstance(a, Array)]
    outs = out if isinstance(out, tuple) else (out,)
    types = []
    for o in outs:
        kind = _KIND_OF_DTYPE.get(o.dtype.kind)
        if kind is None:
            return UNKNOWN
        types.append(Array(max(ndims), kind) if ndims else _SCALAR_OF_KIND[kind])
    return TupleType(tuple(types)) if len(types) > 1 else types[0]


def _matmul(args):
    """np.matmul(a, b), as a @ b."""
    if len(args) == 2 and all(isinstance(a, Array) and a.ndim in (1, 2) for a in args):
        ndim = args[0].ndim + args[1].ndim - 2
        return Array(ndim, "f") if ndim > 0 else FLOAT
    return UNKNOWN


def _integer_result(func, node, args):
    """Positions: np.argsort, np.argmax, np.nonzero... (integer results, never differentiated)."""
    x = args[0] if args else None
    if func is np.searchsorted:
        v = args[1] if len(args) > 1 else None
        return Array(v.ndim, "i") if isinstance(v, Array) else (INT if v in (INT, FLOAT, BOOL) else UNKNOWN)
    if not isinstance(x, Array):
        return UNKNOWN
    if func is np.argsort:
        return Array(x.ndim, "i") if not _is_none_given(node, "axis", 1) else Array(1, "i")
    if func is np.flatnonzero:
        return Array(1, "i")
    if func is np.nonzero:
        return TupleType((Array(1, "i"),) * x.ndim)
    axis = _keyword(node, "axis", 1)             # np.argmax, np.argmin
    if _is_none(axis):
        return INT
    return Array(x.ndim - 1, "i") if x.ndim > 1 else INT


def _is_none_given(node, name, position):
    """Is the argument given, as None (np.argsort(x, axis=None) sorts the flattened array)?"""
    value = _keyword(node, name, position)
    return value is not None and _is_none(value)


def _keyword(node, name, position):
    """The argument `name` of a call, given by keyword or at `position`; None if absent."""
    for k in node.keywords:
        if k.arg == name:
            return k.value
    return node.args[position] if len(node.args) > position else None


def _is_none(node):
    return node is None or isinstance(node, gast.Constant) and node.value is None


def _sequence(args):
    """The array types of a tuple argument `(a, b, ...)`, or None."""
    if not args or not isinstance(args[0], TupleType) or not args[0].elts:
        return None
    elts = args[0].elts
    if not all(isinstance(e, Array) for e in elts):
        return None
    return elts


def _kind_of_all(elts):
    kinds = {e.kind for e in elts}
    if "?" in kinds:
        return "?"
    return "f" if "f" in kinds else ("i" if "i" in kinds else "b")


def _concatenated(func, node, args):
    elts = _sequence(args)
    if elts is None:
        return UNKNOWN
    ndims = {e.ndim for e in elts}
    kind = _kind_of_all(elts)
    if func is np.concatenate:
        return Array(elts[0].ndim, kind) if len(ndims) == 1 else UNKNOWN
    if func is np.hstack:
        return Array(elts[0].ndim, kind) if len(ndims) == 1 else UNKNOWN
    # np.vstack: 1-D arrays become rows
    if ndims <= {1, 2}:
        return Array(2, kind)
    return Array(elts[0].ndim, kind) if len(ndims) == 1 else UNKNOWN


def _linalg(func, node, args):
    matrix = args[0] if args else None
    if not (isinstance(matrix, Array) and matrix.ndim == 2):
        return UNKNOWN                     # stacks of matrices are not differentiated
    if func in (np.linalg.cholesky, np.linalg.inv):
        return Array(2, "f")
    if func is np.linalg.det:
        return FLOAT
    if func is np.linalg.slogdet:
        return TupleType((FLOAT, FLOAT))
    if func is np.linalg.solve and len(args) == 2 and isinstance(args[1], Array) and args[1].ndim in (1, 2):
        return Array(args[1].ndim, "f")
    return UNKNOWN


def numpy_call_type(func, node, args, resolver):
    """The type of a call of a NumPy or `math` function, or None if `func` is not handled here."""
    if func is np.matmul:
        return _matmul(args)
    if isinstance(func, np.ufunc):
        # generalized ufuncs (np.vecdot: a signature) are not elementwise; out=, where=, dtype=
        # change what the call does
        return ufunc_type(func, args) if func.signature is None and not node.keywords else UNKNOWN
    if getattr(func, "__module__", None) == "math" and callable(func):
        return _MATH_RESULTS.get(func, FLOAT)
    if func in (np.sort, np.diff):
        x = args[0] if len(args) == 1 and not node.keywords else None
        return x if isinstance(x, Array) and x.ndim == 1 else UNKNOWN     # 1-D only (no axis, n)
    if func is np.cumsum:
        x = args[0] if len(args) == 1 and not node.keywords else None
        return Array(1, x.kind) if isinstance(x, Array) else UNKNOWN      # flattens without axis
    if func is np.roll:
        return args[0] if isinstance(args[0], Array) else UNKNOWN
    if func in (np.concatenate, np.hstack, np.vstack):
        axis = _keyword(node, "axis", 1) if func is np.concatenate else None
        if axis is not None and not (isinstance(axis, gast.Constant) and isinstance(axis.value, int)):
            return UNKNOWN                 # axis=None flattens; a computed axis is not followed
        return _concatenated(func, node, args)
    if func in (np.triu, np.tril):
        x = args[0] if args else None
        return x if isinstance(x, Array) and x.ndim >= 2 else UNKNOWN
    if func is np.atleast_2d:
        x = args[0] if len(args) == 1 else None
        return Array(max(2, x.ndim), x.kind) if isinstance(x, Array) else UNKNOWN
    if func is np.meshgrid:
        if len(args) != 2 or not all(isinstance(a, Array) and a.ndim == 1 for a in args) or \
                any(k.arg != "indexing" for k in node.keywords):
            return UNKNOWN
        return TupleType((Array(2, args[0].kind), Array(2, args[1].kind)))
    if func is np.interp:
        if len(args) < 3 or not all(isinstance(a, Array) and a.ndim == 1 for a in args[1:3]):
            return UNKNOWN
        x = args[0]
        return Array(x.ndim, "f") if isinstance(x, Array) else (FLOAT if x in (FLOAT, INT) else UNKNOWN)
    if func is np.linalg.norm:
        x = args[0] if args else None
        if not (isinstance(x, Array) and x.ndim in (1, 2)) or not _is_none(_keyword(node, "axis", 2)) or \
                not _is_none(_keyword(node, "keepdims", 3)):
            return UNKNOWN
        return FLOAT
    if func in (np.linalg.cholesky, np.linalg.inv, np.linalg.det, np.linalg.slogdet, np.linalg.solve):
        return _linalg(func, node, args)
    if func in (np.argsort, np.argmax, np.argmin, np.nonzero, np.flatnonzero, np.searchsorted):
        return _integer_result(func, node, args)
    if func in (np.eye, np.identity):
        dtype = _keyword(node, "dtype", 3 if func is np.eye else 1)
        return Array(2, "f" if dtype is None else dtype_kind(dtype, resolver) or "?")
    if func is np.diag:
        x = args[0] if args else None
        if isinstance(x, Array) and x.ndim in (1, 2):
            return Array(3 - x.ndim, x.kind)       # a vector makes a matrix, a matrix gives its diagonal
        return UNKNOWN
    if func is np.trace:
        x = args[0] if args else None
        if isinstance(x, Array) and x.ndim == 2 and len(args) == 1 and not node.keywords:
            return _SCALAR_OF_KIND.get(x.kind, UNKNOWN)
        return UNKNOWN
    return None


ASTYPE = getattr(np, "astype", np.ndarray.astype)    # the primal of the method x.astype(dtype)


def array_index_kind(index, types):
    """"i" if the subscript index `index` holds an integer array, "b" if a boolean mask, else None."""
    parts = index.elts if isinstance(index, gast.Tuple) else [index]
    for part in parts:
        for n in gast.walk(part):
            t = types.get(n.id) if isinstance(n, gast.Name) else None
            if isinstance(t, Array):
                return "b" if t.kind == "b" else "i"
    return None


def index_value(index):
    """The index of a subscript as a value that can be passed to a function: slices become
    `slice(...)` calls, `i, :` the tuple `(i, slice(None, None, None))`."""
    def value(part):
        if isinstance(part, gast.Slice):
            bounds = [b if b is not None else gast.Constant(value=None, kind=None)
                      for b in (part.lower, part.upper, part.step)]
            return gast.Call(func=gast.Name(id="slice", ctx=gast.Load(), annotation=None, type_comment=None),
                             args=bounds, keywords=[])
        return part
    if isinstance(index, gast.Tuple):
        return gast.Tuple(elts=[value(p) for p in index.elts], ctx=gast.Load())
    return value(index)
