"""Public API: Jacobian-vector, vector-Jacobian and Hessian-vector products.

* `jvp(f, primals, tangents)` runs the forward-mode derivative (`transform.derive_tangent`):
  one sweep, no tapes, any result (scalar, array, tuple).
* `vjp(f, *primals)` returns the value and a pullback that runs the reverse-mode derivative
  seeded with a cotangent shaped like the result (the derivative s2sad generates for helpers
  that return arrays and tuples).
* `hvp(f, primals, tangents)` is reverse over forward: the forward-mode derivative of `f`
  returning only the directional derivative <grad f, v> is itself a loop-and-branch function
  in s2sad's subset, so it is written to a file and differentiated in reverse mode.

`tangents` line up with `primals`; a `None` entry means "no tangent" (the argument is held
constant), as it must be for integer and boolean arguments.
"""
import math
import tempfile

import numba
import numpy as np

from . import cache, runtime
from .api import CompilationError, GradientFunction, build
from .errors import NonDifferentiableError, S2SADError, WrtError
from .helpers import jit_primal
from .numba_support import raised_while_compiling
from .parsing import python_function
from .transform import derive, derive_tangent
from .types import FLOAT, Array, type_of_value


def _parameters(func, primals):
    func = python_function(func)
    count = func.__code__.co_argcount
    if not isinstance(primals, (tuple, list)):
        raise S2SADError(f"primals must be a tuple of the arguments of {func.__name__}, got {type(primals).__name__}")
    if len(primals) != count:
        raise S2SADError(f"{func.__name__} takes {count} argument(s), primals has {len(primals)}")
    return list(func.__code__.co_varnames[:count])


def with_defaults(func, primals):
    """`primals` followed by the default values of the parameters they leave out."""
    func = python_function(func)
    if not isinstance(primals, (tuple, list)):
        return primals
    missing = func.__code__.co_argcount - len(primals)
    defaults = func.__defaults__ or ()
    if 0 < missing <= len(defaults):
        return tuple(primals) + tuple(defaults[len(defaults) - missing:])
    return primals


def _with_tangents(func, primals, tangents):
    """(parameter names, names with tangents, the tangents as float64 values)."""
    params = _parameters(func, primals)
    defaults = python_function(func).__defaults__ or ()
    if isinstance(tangents, (tuple, list)) and len(primals) - len(defaults) <= len(tangents) < len(primals):
        tangents = tuple(tangents) + (None,) * (len(primals) - len(tangents))   # defaults held constant
    if not isinstance(tangents, (tuple, list)) or len(tangents) != len(primals):
        raise WrtError(f"tangents must be a tuple with one entry per primal ({len(primals)}), "
                       "None for arguments held constant")
    wrt, values = [], []
    for p, x, v in zip(params, primals, tangents):
        if v is None:
            continue
        wrt.append(p)
        if isinstance(x, np.ndarray):
            v = np.asarray(v, dtype=np.float64)
            if v.shape != x.shape:
                raise S2SADError(f"the tangent of {p!r} has shape {v.shape}, the argument {x.shape}")
        else:
            if np.ndim(v) != 0:
                raise S2SADError(f"the tangent of the scalar {p!r} must be a scalar, got shape {np.shape(v)}")
            v = float(v)
        values.append(v)
    if not wrt:
        raise WrtError("every tangent is None: give a tangent for at least one argument")
    return params, wrt, values


def _call(built, name, args):
    try:
        return built(*args)
    except numba.core.errors.TypingError as exc:
        raise CompilationError(f"Numba could not compile the derivative of {name}:\n{exc}\n"
                               "Try jit=False to run the same code in Python.") from None
    except Exception as exc:
        if not hasattr(built, "signatures") or isinstance(exc, S2SADError) or not raised_while_compiling(exc):
            raise                       # raised by the code as it ran
        # Numba failed while compiling (some failures escape as a bare AssertionError)
        raise CompilationError(f"Numba could not compile the derivative of {name}: {type(exc).__name__}: {exc}\n"
                               "Try jit=False to run the same code in Python.") from exc


def _plain(value):
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, (np.floating, np.integer, float, int)):
        return float(value)
    return value


def jvp(f, primals, tangents, jit=True):
    """Value and Jacobian-vector product of `f` at `primals` along `tangents` (forward mode).

    Returns `(f(*primals), J @ tangents)`, the second shaped like the result. Parameters with
    defaults may be left out of `primals` (and `tangents`): they are held at their defaults."""
    primals = with_defaults(f, primals)
    params, wrt, values = _with_tangents(f, primals, tangents)
    types = {p: type_of_value(x) for p, x in zip(params, primals)}
    derivative = derive_tangent(f, wrt, types)
    # code that stores into an argument stores into its tangent too: give it a copy of the caller's
    values = [v.copy() if w in derivative.written_parameters else v for w, v in zip(wrt, values)]
    value, tangent = _call(build(derivative, jit), python_function(f).__name__, list(primals) + values)
    return _plain(value), _plain(tangent)


def vjp(f, *primals, jit=True):
    """`(f(*primals), pullback)`; `pullback(cotangent)` is the vector-Jacobian product.

    The cotangent is shaped like the result (a float, an array, or a tuple of them); the
    pullback returns one entry per primal: an array or float for float arguments, None for
    integer and boolean ones. Each pullback call runs the forward sweep again, then the
    reverse sweep."""
    func = python_function(f)
    given = len(primals)
    primals = with_defaults(func, primals)
    params = _parameters(func, primals)
    types = {p: type_of_value(x) for p, x in zip(params, primals)}
    wrt = [p for p in params if types[p] == FLOAT or (isinstance(types[p], Array) and types[p].kind == "f")]
    if not wrt:
        raise NonDifferentiableError(f"{func.__name__} has no float or float-array argument to differentiate")
    # f may store into its array arguments: work on private copies, so that the value and
    # every pullback see the primals as they were passed
    primals = tuple(_copy(x) for x in primals)
    derivative = derive(func, wrt, types, helper=True)
    built = build(derivative, jit)          # first: it names what Numba cannot compile
    value = _plain((jit_primal(func) if jit else func)(*[_copy(x) for x in primals]))
    tapes = [np.empty(1024, dtype={"float": np.float64, "int": np.int64, "branch": np.bool_}[t])
             for t in derivative.tapes]
    position = {p: i for i, p in enumerate(params)}

    def pullback(cotangent):
        seed = _cotangent_like(value, cotangent)
        buffers = [np.zeros_like(primals[position[w]]) for w in derivative.wrt_arrays]
        tape_args = [a for tape in tapes for a in (tape, 0)]
        out = _call(built, func.__name__, [_copy(x) for x in primals] + [seed] + buffers + tape_args)
        out = out if isinstance(out, tuple) else (out,)
        tapes[:] = out[len(wrt):]
        adjoints = dict(zip(wrt, out[:len(wrt)]))
        return tuple(_adjoint_result(adjoints[p], primals[position[p]]) if p in adjoints else None
                     for p in params[:given])

    return value, pullback


def _copy(x):
    return x.copy() if isinstance(x, np.ndarray) else x


def _cotangent_like(value, cotangent):
    if isinstance(value, tuple):
        if not isinstance(cotangent, tuple) or len(cotangent) != len(value):
            raise S2SADError(f"the result is a tuple of {len(value)}; the cotangent must be one too")
        return tuple(_cotangent_like(v, c) for v, c in zip(value, cotangent))
    if isinstance(value, np.ndarray):
        c = np.asarray(cotangent, dtype=np.float64)
        if c.shape != value.shape:
            raise S2SADError(f"the cotangent has shape {c.shape}, the result {value.shape}")
        return c
    if np.ndim(cotangent) != 0:
        raise S2SADError(f"the result is a scalar; the cotangent must be one too, got shape {np.shape(cotangent)}")
    return float(cotangent)


def _adjoint_result(adjoint, arg):
    if isinstance(arg, np.ndarray):
        return np.asarray(adjoint).reshape(arg.shape)
    return float(adjoint)


_HESSIAN_PRODUCTS = {}


def hvp(f, primals, tangents, jit=True):
    """Hessian-vector product of scalar `f` at `primals` along `tangents` (reverse over forward).

    Returns one entry per primal: for each argument with a tangent, the corresponding block
    row of H @ v (shaped like the argument); None for arguments held constant."""
    given = len(primals) if isinstance(primals, (tuple, list)) else None
    primals = with_defaults(f, primals)
    params, wrt, values = _with_tangents(f, primals, tangents)
    types = {p: type_of_value(x) for p, x in zip(params, primals)}
    derivative = derive_tangent(f, wrt, types, returns="tangent")
    key = (id(derivative), jit)
    if key not in _HESSIAN_PRODUCTS:
        directional = materialize(derivative)
        _HESSIAN_PRODUCTS[key] = (derivative, GradientFunction(directional, tuple(wrt), jit, False))
    gradient = _HESSIAN_PRODUCTS[key][1]
    values = [v.copy() if w in derivative.written_parameters else v for w, v in zip(wrt, values)]
    products = gradient(*primals, *values)
    result = dict(zip(wrt, products))
    return tuple(result.get(p) for p in params[:given])


_MATERIALIZED = {}
_DIRECTORY = None


def materialize(derivative):
    """A plain Python function, loaded from a file, running `derivative`'s generated source.

    s2sad reads the source of what it differentiates, so generated code that is to be
    differentiated again (the forward-mode derivative inside `hvp`) must live in a file.
    Its globals are the primal's, plus the materialised derivatives of the helpers it calls."""
    global _DIRECTORY
    if id(derivative) in _MATERIALIZED:
        return _MATERIALIZED[id(derivative)][1]
    func = python_function(derivative.func)
    namespace = dict(func.__globals__)
    namespace.update(derivative.namespace)     # local imports, specialised helpers
    namespace.setdefault("np", np)
    namespace.setdefault("math", math)
    namespace.update(runtime.PYTHON)          # helpers the templates use (prod_of_others)
    for name, dependency in derivative.dependencies.items():
        namespace[name] = materialize(dependency)
    directory = cache.cache_dir()
    if directory is None:
        if _DIRECTORY is None:
            _DIRECTORY = tempfile.TemporaryDirectory(prefix="s2sad_generated_")
        directory = _DIRECTORY.name
    path = cache.source_file(derivative, namespace, directory)
    exec(compile(derivative.source, path, "exec"), namespace)
    result = namespace[derivative.name]
    _MATERIALIZED[id(derivative)] = (derivative, result)
    return result

