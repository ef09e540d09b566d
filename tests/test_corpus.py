"""Issue 7: the "real code" corpus -- functions from public, permissively licensed packages.

Every module in tests/corpus/ imports one real function (and, through it, its helpers) from an
installed package, unmodified, and adds a small wrapper (below the marker line
"# ---- s2sad-corpus wrapper (not from the source) ----"):

    objective(*args) -> float     calls the real function, reduces its result to a scalar
    make_args(rng) -> tuple       arguments at a smooth point (no kink nearby)
    WRT                           positions to differentiate
    EXPECT                        "grad": s2sad differentiates it today, correctly
                                  "unsupported": s2sad refuses it with an S2SADError (REASON says why)
                                  "crash": s2sad fails with an exception that is not an S2SADError
                                           (a library bug: every error should be an S2SADError)
    REASON                        for "unsupported"/"crash": the missing capability, in a phrase
    KNOWN_WRONG                   optional: s2sad returns a gradient that disagrees with finite
                                  differences (a silent wrong answer); the test is a strict xfail
    JIT                           optional, default True; False: the gradient is checked with jit=False
                                  because the compiled derivative does not build (JIT_REASON says why;
                                  a test fails once it does, so the entry can go back to JIT = True)
    NJIT                          True when the original is compiled with Numba: the objective
                                  must then compile with numba.njit too

The tests keep the table honest: an "unsupported" entry that starts differentiating fails with
"now differentiates: set EXPECT = 'grad'", and so on.

    python -m tests.test_corpus            # prints the table (markdown) of every entry
    python -m tests.test_corpus NAME ...   # only these entries, with the full error messages
"""
import copy
import importlib
import os
import re
import sys
import time
import traceback
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

import s2sad
from s2sad.testing import numerical_grad

CORPUS_DIR = Path(__file__).parent / "corpus"
NAMES = sorted(p.stem for p in CORPUS_DIR.glob("*.py") if not p.name.startswith("_"))
RTOL = 1e-6          # gradient against central finite differences
JIT_RTOL = 1e-10     # jit=True against jit=False
EXPECTS = ("grad", "unsupported", "crash")


def load(name):
    """The corpus module `name`; a missing third-party package skips it locally and fails in CI."""
    try:
        return importlib.import_module(f"tests.corpus.{name}")
    except ImportError as e:           # the corpus packages come with pip install -e '.[test]'
        if os.environ.get("CI"):
            raise
        pytest.skip(f"corpus package not installed: {e}")


@dataclass
class Result:
    name: str
    expect: str
    outcome: str = "?"        # grad | wrong | jit-mismatch | mutates | unsupported | crash | primal-error
    #                           (wrong: jit=True disagrees with finite differences; jit-mismatch: jit=True
    #                           agrees, jit=False does not)
    detail: str = ""          # first line of the error, or the largest discrepancy
    error_class: str = ""
    seconds: float = 0.0
    info: dict = field(default_factory=dict)


def _copy(args):
    return tuple(copy.deepcopy(a) for a in args)


def _same(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)


def _first_line(e):
    text = str(e).strip()
    return text.splitlines()[0] if text else ""


def _gradient(mod, args, jit):
    g = s2sad.grad(mod.objective, wrt=tuple(mod.WRT), jit=jit)(*_copy(args))
    return g if isinstance(g, tuple) else (g,)


def _seed(name):
    return zlib.crc32(name.encode())


def run_case(name):
    """Run one corpus entry and classify what happens (never raises for s2sad's own failures)."""
    mod = load(name)
    res = Result(name, getattr(mod, "EXPECT", "?"))
    start = time.perf_counter()
    args = mod.make_args(np.random.default_rng(_seed(name)))
    pristine = _copy(args)
    try:
        value = float(mod.objective(*_copy(args)))
    except Exception as e:                            # the wrapper itself is broken
        res.outcome, res.error_class, res.detail = "primal-error", type(e).__name__, _first_line(e)
        return res
    res.info["value"] = value
    try:
        g = _gradient(mod, args, jit=getattr(mod, "JIT", True))
    except s2sad.S2SADError as e:
        res.outcome, res.error_class, res.detail = "unsupported", type(e).__name__, _first_line(e)
        res.info["message"] = str(e)
    except Exception as e:
        res.outcome, res.error_class, res.detail = "crash", type(e).__name__, _first_line(e)
        res.info["message"] = traceback.format_exc()
    else:
        res.outcome = _check_gradient(mod, args, value, g, res)
    if not _same(args, pristine):
        res.outcome, res.detail = "mutates", "an argument was modified"
    res.seconds = time.perf_counter() - start
    return res


def _check_gradient(mod, args, value, g, res):
    """'grad' when g matches central differences, jit=False agrees and the primal is unchanged."""
    if len(g) != len(mod.WRT):
        res.detail = f"{len(g)} gradients for {len(mod.WRT)} wrt positions"
        return "wrong"
    worst = ""
    for position, computed in zip(mod.WRT, g):
        expected = numerical_grad(mod.objective, _copy(args), position)
        atol = 1e-9 * max(1.0, abs(value), float(np.max(np.abs(expected))))
        computed = np.asarray(computed, dtype=float)
        if computed.shape != np.shape(expected) or not np.allclose(computed, expected, rtol=RTOL, atol=atol):
            err = np.max(np.abs(computed - expected)) if computed.shape == np.shape(expected) else np.nan
            worst = (f"wrt {position}: max |s2sad - finite differences| = {err:.3g}"
                     f" (s2sad {np.ravel(computed)[:4]}, fd {np.ravel(expected)[:4]})")
            break
    if worst:
        res.detail = worst
        return "wrong"
    if float(mod.objective(*_copy(args))) != value:
        res.detail = "objective changed its value after the gradient call"
        return "mutates"
    if not getattr(mod, "JIT", True):
        return "grad"
    try:
        g_py = _gradient(mod, args, jit=False)
    except Exception as e:
        res.error_class, res.detail = type(e).__name__, "jit=False: " + _first_line(e)
        return "jit-mismatch"
    for position, a, b in zip(mod.WRT, g, g_py):
        scale = max(1.0, float(np.max(np.abs(a))))
        if not np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=JIT_RTOL,
                           atol=JIT_RTOL * scale):
            err = float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))
            res.detail = (f"wrt {position}: jit=False differs from jit=True (and so from finite "
                          f"differences) by up to {err:.3g}")
            return "jit-mismatch"
    return "grad"


def _params():
    params = []
    for name in NAMES:
        marks = []
        try:
            mod = importlib.import_module(f"tests.corpus.{name}")
            if getattr(mod, "KNOWN_WRONG", ""):
                marks.append(pytest.mark.xfail(strict=True, reason="silent wrong gradient: " + mod.KNOWN_WRONG))
        except ImportError:
            pass                                       # load() skips or fails it in the test
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def test_corpus_is_big_enough():
    assert len(NAMES) >= 30


@pytest.mark.parametrize("name", NAMES)
def test_corpus_entry_is_well_formed(name):
    mod = load(name)
    assert mod.EXPECT in EXPECTS, f"EXPECT must be one of {EXPECTS}"
    assert isinstance(mod.WRT, tuple) and mod.WRT
    if mod.EXPECT != "grad":
        assert getattr(mod, "REASON", "").strip(), "unsupported/crash entries say why in REASON"
    if getattr(mod, "KNOWN_WRONG", ""):
        assert mod.EXPECT == "grad"
    args = mod.make_args(np.random.default_rng(_seed(name)))
    for position in mod.WRT:
        a = args[position]
        assert isinstance(a, float) or (isinstance(a, np.ndarray) and a.dtype == np.float64), \
            f"argument {position} is differentiated, so it must be a float or a float64 array"
    text = (CORPUS_DIR / f"{name}.py").read_text()
    assert "# ---- s2sad-corpus wrapper (not from the source) ----" in text
    assert "Licence:" in text and "Source:" in text


@pytest.mark.parametrize("name", NAMES)
def test_primal_runs_and_compiles_like_the_original(name):
    mod = load(name)
    args = mod.make_args(np.random.default_rng(_seed(name)))
    value = mod.objective(*_copy(args))
    assert np.isfinite(value) and np.ndim(value) == 0
    if getattr(mod, "NJIT", False):
        import numba
        compiled = numba.njit(mod.objective)(*_copy(args))
        assert compiled == pytest.approx(value, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_compiled_derivative_still_fails_where_jit_is_false(name):
    mod = load(name)
    if getattr(mod, "JIT", True):
        return
    assert getattr(mod, "JIT_REASON", "").strip(), "JIT = False entries say why in JIT_REASON"
    args = mod.make_args(np.random.default_rng(_seed(name)))
    try:
        _gradient(mod, args, jit=True)
    except s2sad.S2SADError:
        return
    pytest.fail("the compiled derivative builds now: remove JIT = False (and JIT_REASON)")


@pytest.mark.parametrize("name", _params())
def test_corpus_entry(name):
    res = run_case(name)
    if res.outcome == "primal-error":
        pytest.fail(f"the objective itself fails: {res.error_class}: {res.detail}")
    if res.expect == "grad":
        if res.outcome in ("unsupported", "crash"):
            pytest.fail(f"no longer differentiates ({res.error_class}: {res.detail}): "
                        f"set EXPECT = {res.outcome!r} and give REASON")
        assert res.outcome == "grad", f"{res.outcome}: {res.detail}"
    elif res.expect == "unsupported":
        if res.outcome in ("grad", "wrong", "jit-mismatch", "mutates"):
            pytest.fail(f"now differentiates: set EXPECT = 'grad' (check: {res.outcome} {res.detail})")
        assert res.outcome == "unsupported", \
            f"expected an S2SADError, got {res.error_class}: {res.detail}: set EXPECT = 'crash'"
        assert res.detail, "an S2SADError with an empty message"
    else:  # crash
        if res.outcome in ("grad", "wrong", "jit-mismatch", "mutates"):
            pytest.fail(f"now differentiates: set EXPECT = 'grad' (check: {res.outcome} {res.detail})")
        assert res.outcome == "crash", \
            f"now raises a proper {res.error_class}: set EXPECT = 'unsupported' ({res.detail})"


def table(results):
    """Markdown table of the outcomes (quoted in the README)."""
    lines = ["| function | expect | outcome | reason / error |", "| --- | --- | --- | --- |"]
    for r in results:
        mod = sys.modules.get(f"tests.corpus.{r.name}")
        reason = getattr(mod, "KNOWN_WRONG", "") or getattr(mod, "REASON", "")
        what = f"{reason}" + (f" — `{r.error_class}: {r.detail}`" if r.error_class else
                              (f" — {r.detail}" if r.detail else ""))
        if not getattr(mod, "JIT", True):
            what = f"(checked with jit=False; jit=True: {mod.JIT_REASON}) " + what
        what = what.replace(str(Path(__file__).parent.parent) + "/", "").replace("|", "/")
        what = re.sub(r"/\S*/site-packages/", "", what)
        lines.append(f"| {r.name} | {r.expect} | {r.outcome} | {what} |")
    counts = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    lines.append("")
    lines.append(f"{len(results)} functions: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return "\n".join(lines)


def main(argv):
    verbose = bool(argv)
    results = []
    for name in argv or NAMES:
        try:
            r = run_case(name)
        except BaseException as e:     # pytest.skip from load()
            r = Result(name, "?", "not-run", _first_line(e), type(e).__name__)
        results.append(r)
        if verbose:
            print(f"== {name}: expect {r.expect}, outcome {r.outcome} ({r.seconds:.1f} s)")
            print(r.info.get("message", r.detail))
    print(table(results))


if __name__ == "__main__":
    main(sys.argv[1:])
