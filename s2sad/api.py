"""Public API: grad, value_and_grad, show (jvp, vjp and hvp are in `products`).

`grad(f)` transforms once per (function, wrt, jit) and argument types, and compiles the
generated function with Numba; later calls with the same argument types only pay the call.
"""
import functools
import math
import sys

import numba
import numpy as np

from . import cache, rules, runtime
from .errors import NonDifferentiableError, S2SADError
from .helpers import with_jitted_helpers
from .numba_support import raised_while_compiling
from .parsing import python_function
from .transform import derive, normalise_wrt
from .types import FLOAT, INT, Array, type_of_value


class CompilationError(S2SADError):
    """Numba could not compile the generated code."""


_BUILT = {}


def build(derivative, jit):
    """The callable for generated code: exec'd in its function's globals, compiled if `jit`.

    Helpers it calls get their own derivatives built the same way; under Numba the user's
    plain-Python helpers are compiled too so that the forward sweep can call them."""
    key = (id(derivative), jit)
    if key in _BUILT:
        return _BUILT[key][1]
    if jit and derivative.numba_obstacles:
        raise derivative.numba_obstacles[0]      # what Numba cannot compile, named before it tries
    func = python_function(derivative.func)
    namespace = dict(func.__globals__)
    if jit:
        # the names the generated code reads (inlined helpers may call helpers the primal does not),
        # and the names the lowerings bound (local imports, specialised helpers)
        namespace = with_jitted_helpers(namespace, _names_read(derivative.source) | set(func.__code__.co_names),
                                        derivative.namespace)
    else:
        namespace.update(derivative.namespace)
    namespace.update(runtime.COMPILED if jit else runtime.PYTHON)
    namespace.setdefault("np", np)
    namespace.setdefault("math", math)
    for name, dependency in derivative.dependencies.items():
        namespace[name] = build(dependency, jit)
    path = cache.source_file(derivative, namespace) if jit else None
    code = compile(derivative.source, path or f"<s2sad: {derivative.name}>", "exec")
    exec(code, namespace)
    python = namespace[derivative.name]
    built = numba.njit(cache=path is not None and cache.numba_can_cache(namespace))(python) if jit else python
    _BUILT[key] = (derivative, built)          # keeps the derivative alive, so its id stays unique
    return built


def _names_read(source):
    import types
    names = set()
    for const in compile(source, "<names>", "exec").co_consts:
        if isinstance(const, types.CodeType):
            names.update(const.co_names)
    return names




class Specialization:
    """The generated derivative for one signature of argument types, ready to call.

    Everything that does not depend on the argument values is worked out here, once, so a
    warm call only allocates the gradient buffers and crosses into the compiled code."""

    def __init__(self, derivative, jit):
        self.derivative = derivative
        self.source = derivative.source
        self.func = build(derivative, jit)
        self.jit = jit
        self.tapes = [np.empty(1024, dtype=_TAPE_DTYPES[t]) for t in derivative.tapes]
        position = {p: i for i, p in enumerate(derivative.params)}
        self.buffer_positions = tuple(position[w] for w in derivative.wrt_arrays)
        self.n_wrt = len(derivative.wrt)
        self.last_buffers = []

    def __call__(self, args, seed=1.0):
        if self.buffer_positions:
            buffers = [self._buffer(k, args[i]) for k, i in enumerate(self.buffer_positions)]
            self.last_buffers = buffers
            args = (*args, seed, *buffers, *self.tapes)
        else:
            args = (*args, seed, *self.tapes)
        try:
            out = self.func(*args)
        except Exception as exc:
            raise self._compilation_error(exc) from None
        n = self.n_wrt
        if self.tapes:
            self.tapes = out[1 + n:]
        return out[0], out[1:1 + n]

    def _buffer(self, k, arg):
        """A zeroed gradient buffer shaped like `arg`: the previous call's, when the caller has
        let go of it (nothing else refers to it), else a new one. Fresh multi-MB arrays pay a
        page fault per 4 kB page on first touch, which costs more than zeroing warm memory."""
        previous = self.last_buffers[k] if k < len(self.last_buffers) else None
        if previous is not None and sys.getrefcount(previous) == 3 and previous.shape == arg.shape \
                and previous.dtype == arg.dtype and previous.size >= _RECYCLE_FROM:
            previous.fill(0)
            return previous
        return np.zeros_like(arg)

    def _compilation_error(self, exc):
        """`exc` itself when the compiled code raised it as it ran; a CompilationError when
        Numba failed to compile (some failures escape as a bare AssertionError)."""
        name = self.derivative.func.__name__
        if isinstance(exc, numba.core.errors.TypingError):
            return CompilationError(
                f"Numba could not compile the derivative of {name}:\n{exc}\n"
                "Try jit=False to run the same code in Python, and s2sad.show(...) to read it.")
        if not self.jit or isinstance(exc, S2SADError) or not raised_while_compiling(exc):
            return exc
        error = CompilationError(
            f"Numba could not compile the derivative of {name}: {type(exc).__name__}: {exc}\n"
            "Try jit=False to run the same code in Python, and s2sad.show(...) to read it.")
        error.__cause__ = exc
        return error


_TAPE_DTYPES = {"float": np.float64, "int": np.int64, "branch": np.bool_}
_RECYCLE_FROM = 4096          # elements: below a few pages a new buffer costs nothing


def signature_key(args):
    """A hashable key that tells apart every argument-type signature s2sad specialises on,
    cheap enough to compute on every call (`type_of_value` only for tuples)."""
    key = []
    for a in args:
        if isinstance(a, np.ndarray):
            key.append((a.ndim, a.dtype.kind))
        elif isinstance(a, tuple):
            key.append(type_of_value(a))
        else:
            key.append(type(a))
    return tuple(key)


class GradientFunction:
    """The callable returned by `grad` and `value_and_grad`."""

    def __init__(self, func, wrt, jit, with_value):
        self.func = func
        self.wrt, self.many = normalise_wrt(func, wrt)
        self.jit = jit
        self.with_value = with_value
        self.specializations = {}
        self._last = None
        self._last_key = None
        self._numba_entries = {}
        python = python_function(func)
        self._params = python.__code__.co_varnames[:python.__code__.co_argcount]
        self._wrt_positions = tuple(self._params.index(w) for w in self.wrt)
        functools.update_wrapper(self, python)
        self.__s2sad_primal__ = func

    def specialize(self, args):
        key = (signature_key(args), rules.generation())
        if key == self._last_key:
            return self._last                   # the common case: called again the same way
        spec = self.specializations.get(key)
        if spec is None:
            arg_types = {p: type_of_value(a) for p, a in zip(self._params, args)}
            spec = Specialization(derive(self.func, self.wrt, arg_types), self.jit)
            self.specializations[key] = spec
        self._last, self._last_key = spec, key
        return spec

    def __call__(self, *args, **kwargs):
        if kwargs or len(args) != len(self._params):
            args = _bind(self.func, args, kwargs)
        value, grads = self.specialize(args)(args)
        if value.__class__ is not float and \
                not isinstance(value, (float, int, np.floating, np.integer, np.bool_, bool)):
            raise NonDifferentiableError(f"grad needs a scalar result, but {self.__name__} returned "
                                         f"{type(value).__name__}")
        grads = tuple(g if g.__class__ is float else _as_result(g, args[i])
                      for g, i in zip(grads, self._wrt_positions))
        grad = grads if self.many else grads[0]
        return (float(value), grad) if self.with_value else grad

    def as_numba(self, *example_args):
        """A Numba dispatcher computing the same result, for the argument types of
        `example_args`, that the user's own `@numba.njit` code can call (an optimiser loop
        written in Numba) without returning to Python per step. Its tapes are allocated per
        call, small at first, growing as needed."""
        if not self.jit:
            raise S2SADError("as_numba needs a gradient built with jit=True")
        if len(example_args) != len(self._params):
            example_args = _bind(self.func, example_args, {})
        spec = self.specialize(example_args)
        if spec.source not in self._numba_entries:
            self._numba_entries[spec.source] = _numba_entry(spec, self._params, self.with_value, self.many)
        return self._numba_entries[spec.source]

    @property
    def source(self):
        """Source of the generated derivative (for the last argument types used, or guessed ones)."""
        if self._last is None:
            return derive(self.func, self.wrt, guess_types(self.func)).source
        return self._last.source


def _numba_entry(spec, params, with_value, many):
    """Compile `<name>_entry(*params)`: allocate tapes and gradient buffers, call the
    compiled derivative with seed 1.0, return what `grad`/`value_and_grad` would."""
    d = spec.derivative
    n = len(d.wrt)
    buffers = [f"np.zeros_like({w})" for w in d.wrt_arrays]
    tapes = [f"np.empty(1024, dtype=np.{np.dtype(_TAPE_DTYPES[t]).name})" for t in d.tapes]
    grads = [f"out[{1 + i}]" for i in range(n)]
    grad = f"({', '.join(grads)},)" if many else grads[0]
    result = f"out[0], {grad}" if with_value else grad
    name = f"{d.name}_entry"
    source = (f"def {name}({', '.join(params)}):\n"
              f"    out = {d.name}({', '.join([*params, '1.0', *buffers, *tapes])})\n"
              f"    return {result}\n")
    namespace = {"np": np, d.name: spec.func}
    exec(compile(source, f"<s2sad: {name}>", "exec"), namespace)
    return numba.njit(namespace[name])


def _bind(func, args, kwargs):
    """The positional arguments of a call of `func` (keywords placed, defaults filled in)."""
    import inspect
    try:
        bound = inspect.signature(python_function(func)).bind(*args, **kwargs)
    except TypeError as exc:
        count = python_function(func).__code__.co_argcount
        raise S2SADError(f"{python_function(func).__name__} takes {count} argument(s): {exc}") from None
    bound.apply_defaults()
    return bound.args


class SecondDerivative:
    """`grad(grad(f))`: the derivative of a scalar first derivative.

    `grad(f, wrt=i)` is scalar when argument i is a float; its gradient with respect to
    argument j is the j-th block of the Hessian-vector product H @ e_i, which `hvp`
    computes exactly (reverse over forward), so no third transform is needed."""

    def __init__(self, inner, wrt, jit, with_value):
        if inner.with_value or inner.many:
            raise NonDifferentiableError(
                f"grad needs a scalar result, but {inner.__name__} returns a tuple "
                f"({'value_and_grad' if inner.with_value else 'a tuple wrt'}); differentiate grad(f, wrt=<one float>)")
        self.inner = inner
        self.func = inner.func
        self.wrt, self.many = normalise_wrt(inner.func, wrt)
        self.jit = jit
        self.with_value = with_value
        functools.update_wrapper(self, python_function(inner.func))
        self.__s2sad_primal__ = inner.func      # a third derivative is refused, not mistaken

    def __call__(self, *args, **kwargs):
        from .products import hvp
        args = _bind(self.func, args, kwargs)
        params = list(python_function(self.func).__code__.co_varnames[:len(args)])
        (inner_wrt,) = self.inner.wrt
        if type_of_value(args[params.index(inner_wrt)]) != FLOAT:
            raise NonDifferentiableError(
                f"grad of grad needs a scalar first derivative, but grad({self.__name__}) with respect to "
                f"{inner_wrt!r} is not a float here; for arrays use s2sad.hvp(f, primals, tangents)")
        tangents = []
        for p, a in zip(params, args):
            if p == inner_wrt:
                tangents.append(1.0)
            elif p in self.wrt:
                tangents.append(np.zeros_like(a) if isinstance(a, np.ndarray) else 0.0)
            else:
                tangents.append(None)
        products = dict(zip(params, hvp(self.func, tuple(args), tuple(tangents), jit=self.jit)))
        grads = tuple(_as_result(products[w], args[params.index(w)]) for w in self.wrt)
        grad = grads if self.many else grads[0]
        return (self.inner(*args), grad) if self.with_value else grad


def _as_result(gradient, arg):
    if isinstance(arg, np.ndarray):
        if np.shape(gradient) != arg.shape:
            raise S2SADError(
                f"internal shape mismatch: gradient of shape {np.shape(gradient)} for an argument of shape "
                f"{arg.shape}; this happens when a 1-element array is broadcast against a longer one, "
                "which s2sad does not differentiate yet")
        return gradient
    return float(gradient)


def guess_types(func):
    """Plausible argument types read off the function's body, for `show` before any call."""
    import gast
    from .parsing import parse_function
    fdef, _ = parse_function(func)
    params = [a.id for a in fdef.args.args]
    guessed = {p: FLOAT for p in params}
    defaults = python_function(func).__defaults__ or ()
    for p, value in zip(params[len(params) - len(defaults):], defaults):
        if type_of_value(value) != "unknown":
            guessed[p] = type_of_value(value)          # f(x, n=10): n is an integer
    for node in gast.walk(fdef):
        if isinstance(node, gast.Subscript) and isinstance(node.value, gast.Name) and node.value.id in guessed:
            ndim = len(node.slice.elts) if isinstance(node.slice, gast.Tuple) else 1
            old = guessed[node.value.id]
            guessed[node.value.id] = Array(max(ndim, old.ndim if isinstance(old, Array) else 0), "f")
        if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) and \
                node.value.id in guessed and node.attr in ("shape", "size") and \
                not isinstance(guessed[node.value.id], Array):
            guessed[node.value.id] = Array(1, "f")
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.func.id in ("range", "len"):
            for a in gast.walk(gast.Tuple(elts=node.args, ctx=gast.Load())):
                if isinstance(a, gast.Name) and a.id in guessed and guessed[a.id] == FLOAT \
                        and node.func.id == "range":
                    guessed[a.id] = INT
    return guessed


def _decorator(with_value):
    def make(f=None, wrt=0, jit=True):
        if f is None:
            return lambda g: make(g, wrt, jit)
        if isinstance(f, GradientFunction):
            return SecondDerivative(f, wrt, jit, with_value)
        return GradientFunction(f, wrt, jit, with_value)
    return make


grad = _decorator(False)
grad.__doc__ = """Gradient of a scalar function: `grad(f, wrt=0, jit=True)` or `@grad`.

`wrt` is a parameter position or name, or a tuple of them (then a tuple of gradients is
returned). Array arguments get array gradients of the same shape, floats get floats."""
value_and_grad = _decorator(True)
value_and_grad.__doc__ = "Like `grad`, but returns `(value, gradient)`."


def show(f, wrt=None, *args, mode="grad"):
    """Print the generated derivative of `f` (for example arguments `args`, if given) and return it.

    `mode="grad"` shows the reverse-mode gradient, `mode="jvp"` the forward-mode derivative.
    Without example arguments, argument types are guessed from the body (subscripted
    parameters are float arrays, `range` bounds integers, the rest floats)."""
    if mode not in ("grad", "jvp"):
        raise S2SADError(f"mode must be 'grad' or 'jvp', got {mode!r}")
    if isinstance(f, GradientFunction) and wrt is None:
        g = f
    else:
        g = GradientFunction(f.func if isinstance(f, GradientFunction) else f,
                             0 if wrt is None else wrt, True, False)
    if args:
        from .products import with_defaults
        args = with_defaults(g.func, args)
        types = dict(zip(python_function(g.func).__code__.co_varnames, (type_of_value(a) for a in args)))
    elif mode == "jvp" or g._last is None:
        types = guess_types(g.func)
    if mode == "jvp":
        from .transform import derive_tangent
        text = derive_tangent(g.func, g.wrt, types).source
    elif args:
        text = derive(g.func, g.wrt, types).source
    else:
        text = g.source
    print(text)
    return text
