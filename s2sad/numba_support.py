"""What s2sad differentiates but Numba cannot compile in nopython mode.

`numba_obstacles(body, types, resolver, location, origins)` takes the typed three-address
body and returns an UnsupportedError (file, line, construct) for each use of a NumPy feature
Numba rejects. These derivatives run with jit=False; with jit=True `api.build` raises the
first error before Numba is asked, instead of Numba's own message (for some of them a bare
AssertionError from its lowering).
"""
import gast
import numpy as np

from .anf_info import walk_statements
from .codegen import src
from .numpy_types import _keyword
from .types import Array

_HINT = "; run it with jit=False (the same derivative in plain Python)"


def numba_obstacles(body, types, resolver, location, origins):
    errors = []
    for node, _ in walk_statements(body):
        for construct, message in _node_obstacles(node, types, resolver):
            origin = getattr(node, "s2sad_origin", None)
            where = origins[origin] if origin is not None else node
            errors.append(location.unsupported(where, construct, message + _HINT))
    return errors


def _node_obstacles(node, types, resolver):
    for sub in gast.walk(node):
        if isinstance(sub, gast.Subscript) and isinstance(sub.value, gast.Name):
            parts = sub.slice.elts if isinstance(sub.slice, gast.Tuple) else [sub.slice]
            for part in parts:
                t = types.get(part.id) if isinstance(part, gast.Name) else None
                if isinstance(t, Array) and t.kind == "b" and t.ndim >= 2:
                    yield ("boolean mask", f"Numba cannot index with a {t.ndim}-D boolean mask "
                                           f"(`{src(sub)}`; it supports 1-D masks)")
        if isinstance(sub, gast.Call) and resolver.is_global_ref(sub.func):
            func = resolver.value_of(sub.func)
            what = src(sub.func)
            if func is np.roll and _keyword(sub, "axis", 2) is not None:
                yield (what, f"Numba cannot compile {what} with an axis (`{src(sub)}`)")
            elif func is np.meshgrid:
                yield (what, f"Numba cannot compile {what} (`{src(sub)}`)")
            elif func is np.linalg.norm:
                order = _keyword(sub, "ord", 1)
                if isinstance(order, gast.Constant) and isinstance(order.value, str):
                    yield (what, f"Numba cannot compile {what} with ord={order.value!r} (`{src(sub)}`; "
                                 "ord=None is the Frobenius norm of a matrix)")
            elif func in (np.concatenate, np.hstack, np.vstack) and sub.args and isinstance(sub.args[0], gast.Tuple):
                ndims = {types[e.id].ndim for e in sub.args[0].elts
                         if isinstance(e, gast.Name) and isinstance(types.get(e.id), Array)}
                if len(ndims) > 1:
                    yield (what, f"Numba cannot compile {what} of arrays with different ndims (`{src(sub)}`)")


def raised_while_compiling(exc):
    """Did Numba raise `exc` while compiling (some failures escape as a bare AssertionError),
    rather than the compiled code as it ran (an `assert` or `raise` of the user's)? An
    exception from compiled code carries no frames of Numba's own modules."""
    import os
    import traceback
    import numba
    package = os.path.dirname(numba.__file__)
    return any(frame.filename.startswith(package) for frame in traceback.extract_tb(exc.__traceback__))
