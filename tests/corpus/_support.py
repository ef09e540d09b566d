"""Wrapper support for the corpus (not from any source)."""
import sys
import types

import numba


def as_user_code(module, names, njit=()):
    """The functions `names` of `module`, re-created from their unchanged code objects in a module
    that is not named numba.* or scipy.*, so that s2sad reads them as user code instead of treating
    them as opaque library functions. Those in `njit` are compiled with numba.njit, as they were.

    The new module is registered in sys.modules (tests.corpus._user_<name>) so that Numba's caches
    can find it again, as they find any importable module."""
    name = "tests.corpus._user_" + module.__name__.replace(".", "_")
    user = sys.modules.get(name)
    if user is None:
        user = types.ModuleType(name)
        vars(user).update({k: v for k, v in vars(module).items() if not k.startswith("__")})
        sys.modules[name] = user
    namespace = vars(user)
    copies = {}
    for fname in names:
        original = getattr(module, fname)
        py = getattr(original, "py_func", original)
        copies[fname] = types.FunctionType(py.__code__, namespace, py.__name__, py.__defaults__)
    for fname, func in copies.items():
        func.__module__ = name
        namespace[fname] = numba.njit(func) if fname in njit else func
    return [namespace[fname] for fname in names]
