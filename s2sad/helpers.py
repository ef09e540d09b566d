"""The user's own functions called from differentiated code.

A call `y = helper(a, b)` is differentiated by generating the helper's own derivative once
per (helper, differentiated parameters, argument types) and calling it from the caller's
reverse sweep. For the forward sweep under Numba, plain-Python helpers (and the helpers
they call) are compiled with `numba.njit`.
"""
import inspect
import types as pytypes

import numba

_FOREIGN = ("numpy", "math", "numba", "scipy", "s2sad", "builtins", "operator")
_JITTED = {}


def user_function(obj):
    """The Python function behind `obj` if it is one of the user's own functions, else None."""
    py = getattr(obj, "py_func", obj)
    if not inspect.isfunction(py):
        return None
    module = (getattr(py, "__module__", "") or "").split(".")[0]
    if module in _FOREIGN:
        return None
    return py


def jit_primal(obj):
    """A Numba-compiled version of helper `obj` whose own helper calls are compiled too."""
    if isinstance(obj, numba.core.dispatcher.Dispatcher):
        return obj
    func = user_function(obj)
    if func is None:
        return obj
    if func not in _JITTED:
        _JITTED[func] = None      # recursion guard
        # Numba compiles no import statements: a function importing inside its body is
        # compiled as a copy whose imports are resolved globals (and whose calls passing
        # functions, tuples or None to helpers call specialised copies, as the derivative does)
        from .normalize.specialize import numba_primal
        source = numba_primal(func)
        namespace = with_jitted_helpers(source.__globals__, source.__code__.co_names)
        clone = pytypes.FunctionType(source.__code__, namespace, func.__name__, func.__defaults__,
                                     source.__closure__)
        _JITTED[func] = numba.njit(clone)
    return _JITTED[func] or numba.njit(func)


def with_jitted_helpers(namespace, names, extra=None):
    """A copy of `namespace` in which the user functions among `names` are Numba-compiled;
    `extra` names (and values) are added, compiled likewise."""
    patched = dict(namespace)
    if extra:
        patched.update(extra)
        names = list(names) + list(extra)
    for name in names:
        value = patched.get(name)
        if value is not None and user_function(value) is not None and \
                not isinstance(value, numba.core.dispatcher.Dispatcher):
            patched[name] = jit_primal(value)
    return patched
