"""On-disk home for generated code, so that Numba can cache its compilations between runs.

Each generated function is written once to `<cache dir>/<name>_<hash>.py`, where the hash
covers the generated source and everything Numba would freeze into the machine code: the
values of the global constants it reads and the code of the functions it calls. A changed
constant or helper therefore gets a new file, never a stale compilation.

The directory is `$S2SAD_CACHE_DIR`, else `~/.cache/s2sad`; set S2SAD_CACHE_DIR to an empty
string to disable caching.
"""
import hashlib
import os
import types

import numpy as np



def cache_dir():
    configured = os.environ.get("S2SAD_CACHE_DIR")
    if configured == "":
        return None
    path = configured or os.path.join(os.path.expanduser("~"), ".cache", "s2sad")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _fingerprint(value, depth=0):
    """Bytes that change whenever `value` would compile differently."""
    if isinstance(value, (bool, int, float, complex, str, bytes, type(None))):
        return repr((type(value).__name__, value)).encode()
    if isinstance(value, np.ndarray):
        return value.dtype.str.encode() + repr(value.shape).encode() + value.tobytes()
    if isinstance(value, np.generic):
        return repr((type(value).__name__, value.item())).encode()
    if isinstance(value, types.ModuleType):
        return value.__name__.encode()
    if isinstance(value, (np.ufunc, types.BuiltinFunctionType)) or \
            (callable(value) and (getattr(value, "__module__", None) or "").split(".")[0] in ("numpy", "math")):
        # library functions: the same in every process (an id() would change the key each run)
        return f"{getattr(value, '__module__', None)}.{getattr(value, '__qualname__', getattr(value, '__name__', ''))}".encode()
    if isinstance(value, tuple):
        return b"(" + b",".join(_fingerprint(v, depth) for v in value) + b")"
    py = getattr(value, "py_func", value)
    if isinstance(py, types.FunctionType) and depth < 8:
        parts = [py.__code__.co_code, repr(py.__code__.co_consts).encode(), py.__qualname__.encode()]
        for name in py.__code__.co_names:
            if name in py.__globals__:
                parts.append(name.encode() + _fingerprint(py.__globals__[name], depth + 1))
        return b"|".join(parts)
    return repr(type(value)).encode() + str(id(value)).encode()


def numba_can_cache(namespace):
    """Can Numba reload a compilation of code running in `namespace` in another process?

    It re-imports the module the globals belong to, so not for code whose module is not
    importable by name (made by `exec`, `runpy`, a notebook's dynamic module)."""
    import importlib.util
    import sys
    module = namespace.get("__name__")
    if not isinstance(module, str) or module not in sys.modules:
        return False
    if module == "__main__":
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def source_file(derivative, namespace, directory=None):
    """Path of a file holding `derivative.source` (written if new), or None if caching is off."""
    directory = directory or cache_dir()
    if directory is None:
        return None
    digest = hashlib.sha256(derivative.source.encode())
    # Numba's cache refers to the module whose globals the code runs in: one source run in
    # two modules is two entries
    digest.update(repr((namespace.get("__name__"), namespace.get("__file__"))).encode())
    code = compile(derivative.source, "<fingerprint>", "exec")
    names = set()
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names.update(const.co_names)
    for name in sorted(names):
        if name in namespace:
            digest.update(name.encode() + _fingerprint(namespace[name]))
    path = os.path.join(directory, f"{derivative.name}_{digest.hexdigest()[:20]}.py")
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w") as handle:
            handle.write(derivative.source)
        os.replace(temporary, path)
    return path
