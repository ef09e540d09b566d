"""Audit: every function of `math` and every NumPy ufunc that takes float64 either
differentiates (against central finite differences, in reverse and forward mode) or, used on
a differentiated value, raises an UnsupportedError naming it (issue 7).

The functions are enumerated from the modules themselves, so a new Python or NumPy adding
one makes this test look at it. Non-differentiable functions (floor, sign, isnan,
comparisons...) are registered as such and differentiate to zero, as finite differences do
away from their jumps. The compiled tests run every differentiable function Numba compiles
(on scalars for `math`, on arrays for ufuncs) in one function each, so that Numba compiles
twice, not a hundred times.
"""
import importlib.util
import math
import os
import tempfile
import warnings

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, check_jvp

# differentiating these raises UnsupportedError naming them (tuple results, gufuncs)
UNSUPPORTED = {"math.frexp", "math.modf", "np.frexp", "np.modf", "np.divmod",
               "np.vecdot", "np.matvec", "np.vecmat"}
# what Numba compiles on float64 (numba 0.6x, from compiling each one); the rest runs in Python only
NUMBA_MATH = {"acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "copysign", "cos", "cosh",
              "degrees", "erf", "erfc", "exp", "exp2", "expm1", "fabs", "floor", "gamma", "hypot", "isfinite",
              "isinf", "isnan", "ldexp", "lgamma", "log", "log10", "log1p", "log2", "nextafter", "pow",
              "radians", "sin", "sinh", "sqrt", "tan", "tanh", "trunc"}
NUMBA_UFUNCS = {"abs", "absolute", "acos", "acosh", "add", "arccos", "arccosh", "arcsin", "arcsinh", "arctan",
                "arctan2", "arctanh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "conj",
                "conjugate", "copysign", "cos", "cosh", "deg2rad", "degrees", "divide", "exp", "exp2", "expm1",
                "fabs", "float_power", "floor", "floor_divide", "fmax", "fmin", "fmod", "hypot", "log",
                "log10", "log1p", "log2", "logaddexp", "logaddexp2", "maximum", "minimum", "mod", "multiply",
                "negative", "nextafter", "positive", "pow", "power", "rad2deg", "radians", "reciprocal",
                "remainder", "rint", "sign", "sin", "sinh", "spacing", "sqrt", "square", "subtract", "tan",
                "tanh", "true_divide", "trunc"}
_ARITY = {"hypot": 2, "log": 1}          # variadic or optional arguments: the usual form


def _first_working(func, candidates):
    for args in candidates:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                out = func(*args)
        except (TypeError, ValueError, OverflowError):
            continue
        values = out if isinstance(out, tuple) else (out,)
        if all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in values):
            return args, isinstance(out, tuple)
    return None, False


def _math_cases():
    cases = []
    for name in sorted(dir(math)):
        func = getattr(math, name)
        if not callable(func):
            continue
        candidates = [(0.3,), (1.3,), (2.3,), (0.3, 0.7), (1.3, 0.7), (0.3, 2)]
        if name in _ARITY:
            candidates = [c for c in candidates if len(c) == _ARITY[name]]
        args, pair = _first_working(func, candidates)
        if args is not None:
            cases.append((f"math.{name}", name, args, pair))
    return cases


def _ufunc_cases():
    cases = []
    for name in sorted(dir(np)):
        func = getattr(np, name)
        if not isinstance(func, np.ufunc):
            continue
        floats = [np.array([0.3, 0.45, 0.7]), np.array([0.7, 0.9, 1.1])]
        shifted = [a + 1.0 for a in floats]
        candidates = [tuple(floats[:func.nin]), tuple(shifted[:func.nin])]
        if func.nin == 2:
            candidates.append((floats[0], np.array([2, 1, 3])))
        args, pair = _first_working(func, candidates)
        if args is not None:
            cases.append((f"np.{name}", name, args, pair))
    return cases


MATH, UFUNCS = _math_cases(), _ufunc_cases()


def _write_module():
    """One function per case, in a module file (s2sad reads their source)."""
    lines = ["import math", "import numpy as np", ""]
    for label, name, args, pair in MATH + UFUNCS:
        module = label.split(".")[0]
        params = ", ".join("xy"[:len(args)])
        call = f"{module}.{name}({params})"
        lines.append(f"def {module}_{name}({params}):")
        if pair:
            lines += [f"    a, b = {call}", "    return np.sum(0.5 * x + a * 1.0 + b * 1.0)", ""]
        else:
            lines += [f"    return np.sum(0.5 * x + {call} * 1.0)", ""]
    for module, cases, names in (("math", MATH, NUMBA_MATH), ("np", UFUNCS, NUMBA_UFUNCS)):
        compiled = [(name, args) for label, name, args, pair in cases
                    if name in names and label not in UNSUPPORTED and not pair]
        unary = [name for name, args in compiled if len(args) == 1]
        binary = [name for name, args in compiled if len(args) == 2 and args[1].dtype.kind == "f"
                  if not isinstance(args[1], float)] if module == "np" else \
            [name for name, args in compiled if len(args) == 2 and isinstance(args[1], float)]
        lines.append(f"def all_{module}(x, y):")
        lines.append("    s = 0.0 * x")
        for name in unary:
            shift = " + 1.0" if name in ("acosh", "arccosh") else ""
            lines.append(f"    s = s + {module}.{name}(x{shift})")
        for name in binary:
            lines.append(f"    s = s + {module}.{name}(x, y)")
        lines += ["    return np.sum(s)" if module == "np" else "    return s", ""]
    directory = tempfile.mkdtemp(prefix="s2sad_audit_")
    path = os.path.join(directory, "audit_functions.py")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    spec = importlib.util.spec_from_file_location("audit_functions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUNCTIONS = _write_module()
CASES = [pytest.param(label, name, args, id=label) for label, name, args, pair in MATH + UFUNCS]


def _function(label):
    module, name = label.split(".")
    return getattr(FUNCTIONS, f"{module}_{name}")


def _float_positions(args):
    return tuple(k for k, a in enumerate(args) if isinstance(a, float) or np.asarray(a).dtype.kind == "f")


def test_the_enumeration_finds_the_usual_functions():
    labels = {label for label, _, _, _ in MATH + UFUNCS}
    assert {"math.fabs", "math.gamma", "math.atan2", "np.fabs", "np.logaddexp", "np.cbrt", "np.isnan"} <= labels
    assert len(MATH) > 40 and len(UFUNCS) > 70


@pytest.mark.parametrize("label, name, args", CASES)
def test_differentiates_or_names_itself(label, name, args):
    f = _function(label)
    wrt = _float_positions(args)
    if label in UNSUPPORTED:
        with pytest.raises(s2sad.UnsupportedError, match=label.replace(".", r"\.")):
            s2sad.grad(f, wrt=wrt, jit=False)(*args)
        with pytest.raises(s2sad.UnsupportedError, match=label.replace(".", r"\.")):
            s2sad.jvp(f, args, tuple(np.ones_like(a) if k in wrt else None for k, a in enumerate(args)), jit=False)
        return
    check_grads(f, args, wrt, rtol=1e-5, atol=1e-7, jit=False)
    check_jvp(f, args, wrt, rtol=1e-5, atol=1e-7, jit=False)


@pytest.mark.parametrize("module", ["math", "np"])
def test_compiled_derivatives_of_everything_numba_compiles(module):
    f = getattr(FUNCTIONS, f"all_{module}")
    x, y = (0.3, 0.7) if module == "math" else (np.array([0.3, 0.45, 0.7]), np.array([0.7, 0.9, 1.1]))
    check_grads(f, (x, y), (0, 1), rtol=1e-5, atol=1e-7, jit=True)
    check_jvp(f, (x, y), (0, 1), rtol=1e-5, atol=1e-7, jit=True)
