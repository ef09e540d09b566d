"""Kernel benchmarks for s2sad: ten scientific kernels written the way one writes Numba code,
their s2sad gradient against the njit primal, a hand-written Numba adjoint and (optionally) JAX.

Run:  python benchmarks/bench_kernels.py              (full sizes, writes benchmarks/RESULTS_kernels.md)
      python benchmarks/bench_kernels.py --quick      (small sizes, few rounds: for development)
      python benchmarks/bench_kernels.py --only heat,gmm --no-jax

The kernels live in benchmarks/kernels/, one module each (see its __init__.py). Rules as in
bench_foundation.py (whose helpers this script imports): everything compared is measured in one
run, all methods of a kernel interleaved round by round, medians quoted; verification first.
See README.md.
"""
import os

# One thread everywhere, set before NumPy / SciPy (BLAS, used by Numba's np.dot) and JAX load:
# the machine is shared, and JAX is asked to run on one thread, so BLAS gets one too.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
if XLA_ONE_THREAD not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + XLA_ONE_THREAD).strip()

import argparse           # noqa: E402
import importlib          # noqa: E402
import json               # noqa: E402
import math               # noqa: E402
import subprocess         # noqa: E402
import sys                # noqa: E402
import tempfile           # noqa: E402
import time               # noqa: E402
import traceback          # noqa: E402

import numba              # noqa: E402
import numpy as np        # noqa: E402

import s2sad              # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_foundation import (TAPE_BYTES, fmt_ms, fmt_ratio, machine_info,  # noqa: E402
                              tape_pushes_in_forward_loop, timed_rounds)
from kernels import MODULES  # noqa: E402

S2SAD_REPO = os.path.dirname(os.path.dirname(os.path.abspath(s2sad.__file__)))


# --------------------------------------------------------------------------- small helpers

def load_kernels(only):
    out = []
    for m in MODULES:
        mod = importlib.import_module("kernels." + m)
        for k in mod.KERNELS:
            k.module = m
            out.append(k)
    if only:
        names = set(only)
        unknown = names - {k.name for k in out} - set(MODULES)
        if unknown:
            sys.exit(f"--only: unknown kernel(s) {sorted(unknown)}; known: {[k.name for k in out]}")
        out = [k for k in out if k.name in names or k.module in names]
    return out


def parts(grad, wrt):
    """A gradient (array, scalar, or tuple of them) as a list of float arrays, one per wrt."""
    many = isinstance(wrt, tuple)
    items = grad if many else (grad,)
    return [np.array(np.asarray(g, dtype=float), copy=True).reshape(-1) for g in items]


def rel_diff(got, ref):
    """Largest |got - ref| relative to the largest |ref| of the same argument, over arguments."""
    worst = 0.0
    for a, b in zip(got, ref):
        if a.shape != b.shape:
            return float("inf")
        scale = max(float(np.max(np.abs(b))), 1e-300)
        worst = max(worst, float(np.max(np.abs(a - b))) / scale)
    return worst


def copy_args(args):
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def short_error(exc):
    msg = f"{type(exc).__name__}: {exc}"
    lines = [ln for ln in msg.splitlines() if ln.strip()]
    return " ".join(lines[:6])[:900]


def fd_components(primal, args, wrt, rng, per_array=3, eps=1e-5):
    """Central differences of a few components: every scalar, `per_array` entries of each array.
    Returns [(argument position, flat index or None, value)]."""
    out = []
    positions = wrt if isinstance(wrt, tuple) else (wrt,)
    for p in positions:
        a = args[p]
        idxs = [None] if not isinstance(a, np.ndarray) else \
            sorted(rng.choice(a.size, size=min(per_array, a.size), replace=False).tolist())
        for ix in idxs:
            def at(delta):
                b = list(copy_args(args))
                if ix is None:
                    b[p] = a + delta
                else:
                    v = a.copy()
                    v.flat[ix] += delta
                    b[p] = v
                return primal(*b)
            x0 = a if ix is None else a.flat[ix]
            h = eps * max(1.0, abs(x0))
            out.append((p, ix, (at(h) - at(-h)) / (2 * h)))
    return out


def fd_error(grad_parts, fd, wrt):
    """Largest |g - fd| / max(|fd|, 1e-3 max|g of that argument|) over the sampled components
    (the floor keeps components near zero, where central differences only see roundoff, from
    dominating)."""
    positions = wrt if isinstance(wrt, tuple) else (wrt,)
    worst = 0.0
    for p, ix, val in fd:
        g = grad_parts[positions.index(p)]
        got = g[0] if ix is None else g[ix]
        scale = max(abs(val), 1e-3 * float(np.max(np.abs(g))), 1e-300)
        worst = max(worst, abs(got - val) / scale)
    return worst


def batched(f, n):
    if n == 1:
        return f

    def run():
        for _ in range(n):
            f()
    return run


def s2sad_internals(g):
    """The last specialization of an s2sad gradient function (internal API: may change)."""
    spec = getattr(g, "_last", None)
    if spec is None and getattr(g, "specializations", None):
        spec = next(iter(g.specializations.values()))
    return spec


def tape_capacities(spec):
    try:
        return {kind: int(a.shape[0]) for kind, a in zip(spec.derivative.tapes, spec.tapes)}
    except Exception:
        return None


INT_SENTINEL = -(2 ** 62) + 12345


def tape_used(spec, args):
    """Elements of each float / int tape that one call writes: the tapes are replaced by copies
    filled with a sentinel (NaN, or an unlikely integer), one call is made, and the written
    prefix is measured (tapes are stacks written from 0). None where this cannot tell (bool
    branch tapes, or a tape that grew during the call). Uses s2sad internals."""
    try:
        kinds = list(spec.derivative.tapes)
        probe = []
        for kind, t in zip(kinds, spec.tapes):
            if kind == "float":
                probe.append(np.full(t.shape[0], np.nan))
            elif kind == "int":
                probe.append(np.full(t.shape[0], INT_SENTINEL, dtype=np.int64))
            else:
                probe.append(t)
        caps = [p.shape[0] for p in probe]
        spec.tapes = probe
        spec(args)
        used = {}
        for kind, t, cap in zip(kinds, spec.tapes, caps):
            if kind not in ("float", "int") or t.shape[0] != cap:
                used[kind] = None
                continue
            written = ~np.isnan(t) if kind == "float" else (t != INT_SENTINEL)
            idx = np.flatnonzero(written)
            used[kind] = int(idx[-1]) + 1 if idx.size else 0
        return used
    except Exception:
        return None


def s2sad_commit():
    try:
        c = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                           cwd=S2SAD_REPO).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "s2sad", "templates"],
                               capture_output=True, text=True, cwd=S2SAD_REPO).stdout.strip()
        return c + (" (s2sad/ or templates/ modified)" if dirty else "")
    except OSError:
        return "?"


def source_notes(source):
    """Mechanical notes on a generated adjoint, read off its source with `ast` (not a judgement:
    what to look at). Returns a list of short strings."""
    import ast
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    notes = []

    def push_of(st):
        """(tape, pushed expression) for `x_tape[x_top] = e` or `tape, top = push_array(tape, top, e, ...)`."""
        if not isinstance(st, ast.Assign):
            return None
        t = st.targets[0]
        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id.endswith("_tape"):
            return t.value.id, st.value
        v = st.value
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "push_array" and len(v.args) >= 3:
            return ast.unparse(v.args[0]), v.args[2]
        return None

    def stored(tgt):
        while isinstance(tgt, ast.Subscript):
            tgt = tgt.value             # x[i] = ... stores into x, not into i
        return {n.id for n in ast.walk(tgt) if isinstance(n, ast.Name)}

    def names(e):
        return {n.id for n in ast.walk(e) if isinstance(n, ast.Name)}

    # 1. the same value pushed twice in one loop body (nothing stored into it in between)
    dups = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.While)):
            seen, count = {}, {}
            for st in node.body:
                pushed = push_of(st)
                if pushed:
                    key = (pushed[0], ast.unparse(pushed[1]))
                    if key in seen:
                        count[key] = count.get(key, 1) + 1
                    seen[key] = names(pushed[1])
                    continue
                written = {nm for t in ast.walk(st) if isinstance(t, (ast.Assign, ast.AugAssign))
                           for tgt in (t.targets if isinstance(t, ast.Assign) else [t.target])
                           for nm in stored(tgt)}
                seen = {k: v for k, v in seen.items() if not (v & written)}
            dups += [f"`{e}` x{c}" for (t, e), c in count.items()]
    if dups:
        notes.append("same value pushed more than once per iteration: " + ", ".join(dups))
    # 1b. loop-invariant pushes: a `for` loop pushes, every iteration, a value that depends
    # neither on its index nor on anything the loop assigns
    inv = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For):
            assigned = {nm for st in node.body for t in ast.walk(st) if isinstance(t, (ast.Assign, ast.AugAssign))
                        for tgt in (t.targets if isinstance(t, ast.Assign) else [t.target])
                        for nm in stored(tgt) if push_of(t) is None or not isinstance(t.value, ast.Call)}
            assigned |= names(node.target)
            for st in node.body:
                pushed = push_of(st)
                if pushed and not names(pushed[1]) & assigned:
                    inv.append(f"`{ast.unparse(pushed[1])}` in the loop over `{ast.unparse(node.target)}`")
    if inv:
        notes.append("loop-invariant value pushed every iteration: " + ", ".join(inv))
    # 2. integer-tape pushes of plain names (often loop counters or values derived from them)
    ints = sorted({ast.unparse(n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign)
                   and isinstance(n.targets[0], ast.Subscript) and isinstance(n.targets[0].value, ast.Name)
                   and n.targets[0].value.id == "int_tape"})
    if ints:
        notes.append("integers saved on the int tape: " + ", ".join(f"`{i}`" for i in ints))
    # 3. array allocations and helper derivatives called inside loops (per iteration)
    allocs, vjps = {}, {}

    def visit(node, depth):
        for child in ast.iter_child_nodes(node):
            d = depth + isinstance(child, (ast.For, ast.While))
            if isinstance(child, ast.Call) and depth > 0:
                name = ast.unparse(child.func)
                if name.startswith("np.") and name.split(".")[-1] in (
                        "zeros_like", "ones_like", "empty_like", "zeros", "ones", "empty") or name.endswith(".copy"):
                    allocs[name] = allocs.get(name, 0) + 1
                elif name.endswith("_vjp") or name.startswith("pop_array") or name == "push_array":
                    vjps[name] = vjps.get(name, 0) + 1
            visit(child, d)
    visit(tree, 0)
    if allocs:
        notes.append("array allocations inside loops: " + ", ".join(f"`{k}` x{v}" for k, v in allocs.items()))
    if vjps:
        notes.append("helper derivatives / array pushes called inside loops: " +
                     ", ".join(f"`{k}` x{v}" for k, v in vjps.items()))
    # 4. branches replayed from the tape in the reverse sweep
    replays = source.count("if branch_tape[branch_top]")
    if replays:
        notes.append(f"{replays} branch(es) replayed from the branch tape")
    return notes


# --------------------------------------------------------------------------- JAX

def import_jax():
    try:
        import jax
        import jax.numpy as jnp
        from jax import lax
    except Exception as exc:
        return None, f"JAX not importable ({type(exc).__name__}: {exc}); `pip install jax` to include it"
    jax.config.update("jax_enable_x64", True)
    return (jax, jnp, lax), None


def jax_cases(k, J):
    if k.jax is None or J is None:
        return {}
    jax, jnp, lax = J
    out = {}
    for label, case in k.jax(jax, jnp, lax).items():
        gj = jax.jit(jax.grad(case.fn, argnums=k.wrt), static_argnums=case.static)
        pj = jax.jit(case.fn, static_argnums=case.static)

        def convert(args, case=case):
            if case.convert is not None:
                return case.convert(args, jnp)
            return tuple(jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args)
        out[label] = (gj, pj, convert, case)
    return out


# --------------------------------------------------------------------------- first call (fresh process)

FIRST_CALL_SNIPPET = r"""
import json, os, sys, time
sys.path.insert(0, {here!r})
t0 = time.perf_counter()
import numpy as np
if {mode!r} == "s2sad":
    import s2sad
else:
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax import lax
t1 = time.perf_counter()
import importlib
mod = importlib.import_module("kernels." + {module!r})
k = next(k for k in mod.KERNELS if k.name == {name!r})
args = k.args({size!r})
if {mode!r} == "s2sad":
    f = k.variant if {use_variant!r} else k.primal
    g = s2sad.grad(f, wrt=k.wrt)
    t2 = time.perf_counter()
    g(*args)                                # transform + Numba compilation + one run
    t3 = time.perf_counter()
    g(*args)
    t4 = time.perf_counter()
else:
    case = next(iter(k.jax(jax, jnp, lax).values()))
    jargs = case.convert(args, jnp) if case.convert else tuple(jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args)
    gj = jax.jit(jax.grad(case.fn, argnums=k.wrt), static_argnums=case.static)
    t2 = time.perf_counter()
    jax.block_until_ready(gj(*jargs))       # trace + XLA compilation + one run
    t3 = time.perf_counter()
    jax.block_until_ready(gj(*jargs))
    t4 = time.perf_counter()
print(json.dumps(dict(import_s=t1 - t0, first_call_s=t3 - t2, second_call_s=t4 - t3)))
"""


def first_call(k, mode, size, use_variant):
    code = FIRST_CALL_SNIPPET.format(here=HERE, module=k.module, name=k.name, size=size, mode=mode,
                                     use_variant=use_variant)
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(cache, "numba"),
                   S2SAD_CACHE_DIR=os.path.join(cache, "s2sad"))
        try:
            r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                               cwd=HERE, timeout=600)
        except subprocess.TimeoutExpired:
            return {"error": "timed out after 600 s"}
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1][:300]}
    return json.loads(r.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- one kernel

def run_kernel(k, opts, J, log):
    size = "quick" if opts.quick else "full"
    res = {"name": k.name, "title": k.title, "size_text": k.size_text(size), "wrt_names": k.wrt_names,
           "hand_note": k.hand_note, "jax_note": k.jax_note, "per_call_us": k.per_call_us,
           "batch": k.batch[size], "checks": [], "problems": []}
    rng = np.random.default_rng(11)
    primal = numba.njit(k.primal)

    # ---- s2sad: the natural formulation first, the variant only if it is rejected
    small = k.args("small")
    g, used = None, None
    try:
        g = s2sad.grad(k.primal, wrt=k.wrt)
        g_small = g(*copy_args(small))
        used = "primal"
    except Exception as exc:
        res["s2sad_error"] = short_error(exc)
        log(f"  s2sad rejected {k.name}: {res['s2sad_error']}")
        g = None
        if k.variant is not None:
            try:
                g = s2sad.grad(k.variant, wrt=k.wrt)
                g_small = g(*copy_args(small))
                used = "variant"
            except Exception as exc2:
                res["variant_error"] = short_error(exc2)
                g = None
    res["s2sad_used"] = used
    res["variant_note"] = k.variant_note if used == "variant" else ""

    # ---- small size: central differences on a few components
    fd = fd_components(primal, small, k.wrt, rng)
    hand_small = k.hand(small)
    methods_small = {}
    if g is not None:
        methods_small["s2sad"] = parts(g_small, k.wrt)
    methods_small["hand"] = parts(hand_small(*copy_args(small)), k.wrt)
    jcases = jax_cases(k, J)
    for label, (gj, pj, convert, case) in jcases.items():
        try:
            methods_small["JAX " + label] = parts(gj(*convert(copy_args(small))), k.wrt)
        except Exception as exc:
            res["problems"].append(f"JAX ({label}) failed at the small size: {short_error(exc)}")
    fd_errs = {m: fd_error(p, fd, k.wrt) for m, p in methods_small.items()}
    res["fd"] = {"n_components": len(fd), "errors": fd_errs, "size_text": k.size_text("small")}
    for m, e in fd_errs.items():
        if e > 1e-5:
            res["problems"].append(f"{m} disagrees with central differences at the small size "
                                   f"(max rel err {e:.1e})")

    # ---- bench size: cross-check, then time
    args = k.args(size)
    prim_value = primal(*args)
    hand_fn = k.hand(args)
    grads = {"hand": parts(hand_fn(*args), k.wrt)}
    spec = None
    if g is not None:
        grads["s2sad"] = parts(g(*args), k.wrt)
        spec = s2sad_internals(g)
        try:
            value = float(spec(args)[0])
            res["value_rel_err"] = abs(value - prim_value) / max(abs(prim_value), 1e-300)
        except Exception:
            pass
    jax_live = {}
    for label, (gj, pj, convert, case) in jcases.items():
        try:
            jargs = convert(args)
            grads["JAX " + label] = parts(gj(*jargs), k.wrt)
            jax_live[label] = (gj, pj, jargs)
        except Exception as exc:
            res["problems"].append(f"JAX ({label}) failed at full size: {short_error(exc)}")
    ref_name = "s2sad" if "s2sad" in grads else "hand"
    diffs = {}
    for m, gp in grads.items():
        if m == ref_name:
            continue
        if k.chaotic and m.startswith("JAX"):
            if ref_name in methods_small and m in methods_small:
                diffs[m + " (small size)"] = rel_diff(methods_small[m], methods_small[ref_name])
            continue
        diffs[m] = rel_diff(gp, grads[ref_name])
    res["diffs"] = diffs
    res["diff_ref"] = ref_name
    res["max_rel_diff"] = max(diffs.values()) if diffs else float("nan")

    # ---- warm timings, interleaved
    n = k.batch[size]
    calls = {"primal": batched(lambda: primal(*args), n)}
    if g is not None:
        calls["s2sad"] = batched(lambda: g(*args), n)
        if k.per_call_us and spec is not None:
            # the compiled adjoint alone, without the Python wrapper (internal API)
            try:
                d = spec.derivative
                pos = {p: i for i, p in enumerate(d.params)}
                bufs = [np.zeros_like(args[pos[w]]) for w in d.wrt_arrays]
                call_args = (*args, 1.0, *bufs, *spec.tapes)
                spec.func(*call_args)
                calls["s2sad compiled only"] = batched(lambda: spec.func(*call_args), n)
            except Exception:
                pass
    calls["hand"] = batched(lambda: hand_fn(*args), n)
    for label, (gj, pj, jargs) in jax_live.items():
        calls["JAX " + label] = batched(lambda gj=gj, jargs=jargs: J[0].block_until_ready(gj(*jargs)), n)
        calls["JAX primal " + label] = batched(lambda pj=pj, jargs=jargs: J[0].block_until_ready(pj(*jargs)), n)
    t = timed_rounds(calls, opts.reps)
    for v in t.values():
        v["median_ms"] /= n
        v["min_ms"] /= n
    res["t"] = t

    # ---- tape
    if spec is not None:
        res["source"] = spec.source
        res["notes"] = source_notes(spec.source)
        caps = tape_capacities(spec)
        res["caps"] = caps
        try:
            pushes, written = tape_pushes_in_forward_loop(spec.source)
            res["pushes"], res["written"] = pushes, written
        except Exception:
            res["pushes"], res["written"] = None, None
        written = tape_used(spec, args) if caps else None
        res["used"] = written
        if caps is not None and k.tape_per is not None:
            count, unit = k.tape_per(args)
            total = sum(c * TAPE_BYTES.get(kind, 8) for kind, c in caps.items())
            res["tape_per"] = {"bytes": total, "per": total / count, "unit": unit}
            if written and all(v is not None for kk, v in written.items() if kk != "branch"):
                # written float/int elements; branch tapes (bool, 1 byte) counted at capacity
                ub = sum((written.get(kind) if kind != "branch" else c) * TAPE_BYTES.get(kind, 8)
                         for kind, c in caps.items())
                res["tape_per"].update(used_bytes=ub, used_per=ub / count)
    return res, g, used


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes and 5 rounds (development)")
    ap.add_argument("--only", default="", help="comma-separated kernel names (or module names)")
    ap.add_argument("--no-jax", action="store_true", help="leave JAX out")
    ap.add_argument("--reps", type=int, default=None, help="timed rounds (default 15; 5 with --quick)")
    ap.add_argument("--no-first-call", action="store_true", help="skip the fresh-process first-call timings")
    ap.add_argument("--dump-sources", default="", help="write each kernel's generated source into this folder")
    ap.add_argument("--output", default=None,
                    help="Markdown file to (re)write (default benchmarks/RESULTS_kernels.md; with --quick "
                         "or --only nothing is written unless --output is given)")
    opts = ap.parse_args()
    if opts.reps is None:
        opts.reps = 5 if opts.quick else 15
    partial = opts.quick or bool(opts.only)
    output = opts.output or (None if partial else os.path.join(HERE, "RESULTS_kernels.md"))
    t_start = time.perf_counter()
    info = machine_info()
    info["commit"] = s2sad_commit()
    info["nproc"] = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    print(f"# s2sad kernel benchmarks — {info['date']}  (load {info['load_start'][0]:.2f})", flush=True)

    kernels = load_kernels([s for s in opts.only.split(",") if s])
    J, jax_note = (None, "JAX left out (--no-jax).") if opts.no_jax else import_jax()
    if J is not None:
        info["jax"] = J[0].__version__
    results = []
    for k in kernels:
        print(f"{k.name}: {k.size_text('quick' if opts.quick else 'full')} ...", flush=True)
        t0 = time.perf_counter()
        try:
            res, g, used = run_kernel(k, opts, J, lambda s: print(s, flush=True))
        except Exception:
            traceback.print_exc()
            print(f"*** {k.name} failed; left out", flush=True)
            continue
        res["module"] = k.module
        results.append((k, res, used))
        t = res["t"]
        unit = "µs" if k.per_call_us else "ms"
        mul = 1e3 if k.per_call_us else 1.0
        line = ", ".join(f"{m} {v['median_ms'] * mul:.4g} {unit}" for m, v in t.items())
        print(f"  {line}\n  max rel diff {res['max_rel_diff']:.1e}; FD: " +
              ", ".join(f"{m} {e:.1e}" for m, e in res["fd"]["errors"].items()) +
              f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
        for p in res["problems"]:
            print("  PROBLEM:", p, flush=True)
        if opts.dump_sources and "source" in res:
            os.makedirs(opts.dump_sources, exist_ok=True)
            with open(os.path.join(opts.dump_sources, f"{k.name}_grad.py"), "w") as fh:
                fh.write(res["source"])

    if not opts.no_first_call:
        size = "quick" if opts.quick else "full"
        print("first calls (fresh processes, empty caches) ...", flush=True)
        for k, res, used in results:
            fc = {}
            if used is not None:
                fc["s2sad"] = first_call(k, "s2sad", size, used == "variant")
            if J is not None and k.jax is not None:
                fc["jax"] = first_call(k, "jax", size, False)
            res["first_call"] = fc
            print(f"  {k.name}: " + ", ".join(
                f"{m} {v['first_call_s']:.2f} s" if "first_call_s" in v else f"{m} ERROR {v['error']}"
                for m, v in fc.items()), flush=True)

    total = time.perf_counter() - t_start
    info["load_end"] = os.getloadavg()
    end_commit = s2sad_commit()
    if end_commit != info["commit"]:
        info["commit"] += f" at start, {end_commit} at end (s2sad changed during the run)"
    text = render(info, [r for _, r, _ in results], opts, total, jax_note)
    print()
    print(text)
    if output:
        with open(output, "w") as fh:
            fh.write(text)
        print(f"\nwritten to {os.path.relpath(output)} ({total:.0f} s)")
    else:
        print(f"\n(not written: --quick/--only without --output; {total:.0f} s)")


# --------------------------------------------------------------------------- report

def fmt_t(ms, per_call_us):
    if per_call_us:
        return f"{ms * 1e3:.2f} µs"
    return fmt_ms(ms)


def method_label(m):
    return {"primal": "numba.njit primal", "s2sad": "**s2sad.grad** (warm)",
            "s2sad compiled only": "(s2sad's compiled adjoint alone, no Python wrapper)",
            "hand": "hand-written Numba adjoint"}.get(m, m.replace("JAX primal ", "(JAX `jit` primal, ")
                                                       + ")" if m.startswith("JAX primal ") else
                                                       m.replace("JAX ", "JAX `jit(grad)`, "))


def summary_row(r):
    t = r["t"]
    pc = r["per_call_us"]
    p = t["primal"]["median_ms"]
    s = t.get("s2sad", {}).get("median_ms")
    h = t["hand"]["median_ms"]
    jk = next((m for m in t if m.startswith("JAX ") and not m.startswith("JAX primal")), None)
    j = t[jk]["median_ms"] if jk else None
    fc = r.get("first_call", {})

    def fcs(m):
        v = fc.get(m)
        if not v:
            return "—"
        return f"{v['first_call_s']:.2f}" if "first_call_s" in v else "error"
    name = r["name"] + (" (variant)" if r.get("s2sad_used") == "variant" else "") + \
        (" (rejected)" if r.get("s2sad_used") is None else "")
    return (f"| {name} | {fmt_t(p, pc)} | {fmt_t(s, pc) if s else '—'} | {fmt_t(h, pc)} | "
            f"{fmt_t(j, pc) if j else '—'} | {fmt_ratio(s / p) if s else '—'} | "
            f"{fmt_ratio(s / h) if s else '—'} | {fmt_ratio(j / p) if j else '—'} | "
            f"{fcs('s2sad')} | {fcs('jax')} | {r['max_rel_diff']:.1e} |")


def render(info, results, opts, total, jax_note):
    L = []
    w = L.append
    w("# s2sad kernel benchmarks\n")
    w(f"Produced by `python benchmarks/bench_kernels.py{' --quick' if opts.quick else ''}` on "
      f"{info['date']} in {total:.0f} s. All numbers come from this one run; each kernel's methods "
      f"are timed interleaved, round by round ({opts.reps} rounds after 2 warm-up calls, medians "
      "quoted); see `benchmarks/README.md`. The kernels and the hand-written adjoints are in "
      "`benchmarks/kernels/`.\n")
    w("## Machine\n")
    w("| | |\n|---|---|")
    for key, label in (("cpu", "CPU"), ("nproc", "nproc"), ("platform", "platform"), ("python", "Python"),
                       ("numpy", "NumPy"), ("numba", "Numba"), ("jax", "JAX"), ("commit", "s2sad commit")):
        if key in info:
            w(f"| {label} | {info[key]} |")
    w("| load average (1, 5, 15 min) at start / end | " +
      " / ".join(", ".join(f"{v:.2f}" for v in info[k]) for k in ("load_start", "load_end")) +
      " (with nproc = 2, a load above ~1 means the timings competed for a core) |")
    w("| threads | one: `OPENBLAS_NUM_THREADS=1` etc. (BLAS, used by Numba's `np.dot` in the MLP), "
      f"`XLA_FLAGS={XLA_ONE_THREAD}` |")
    w("")

    w("## Summary\n")
    w("Times are medians of the warm calls (ms, except `newton`: µs per call). `JAX ms` is the "
      "first JAX formulation of each kernel (the loop form, `lax.fori_loop`/`lax.scan`/"
      "`lax.while_loop`; vectorised forms are in the per-kernel tables). First calls: a fresh "
      "process with empty `S2SAD_CACHE_DIR` and `NUMBA_CACHE_DIR` (s2sad: transform + Numba "
      "compilation + one run; JAX: trace + XLA compilation + one run; imports excluded). "
      "`max rel diff`: the largest difference between s2sad's gradient and the hand adjoint's or "
      "JAX's, relative to the largest entry of the same argument, at the benchmark size.\n")
    w("| kernel | primal ms | s2sad ms | hand ms | JAX ms | s2sad/primal | s2sad/hand | JAX/primal "
      "| first call s2sad s | first call JAX s | max rel diff |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for r in results:
        w(summary_row(r))
        if "s2sad" in r["t"]:
            ratios.append(r["t"]["s2sad"]["median_ms"] / r["t"]["hand"]["median_ms"])
    w("")
    if ratios:
        gm = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        w(f"**Geometric mean of s2sad / hand over the {len(ratios)} kernels: {gm:.2f}x.**\n")
    heat = [r for r in results if r["name"].startswith("heat") and "tape_per" in r]
    for r in heat:
        tp = r["tape_per"]
        pushed = ""
        if r.get("pushes"):
            per_it = sum(TAPE_BYTES.get(kind.split()[0], 8) * v for kind, v in r["pushes"].items()
                         if kind.endswith("(inner loop)"))
            if per_it:
                pushed = f"; the inner loop's pushes in `g.source` come to {per_it} bytes per point per step"
        if "used_per" in tp:
            w(f"**{r['name']} tape: {tp['used_per']:.2f} bytes per point per step** written by one "
              f"call ({tp['used_bytes'] / 1e6:.1f} MB; {tp['per']:.1f} bytes per point per step "
              f"reserved, {tp['bytes'] / 1e6:.1f} MB capacity){pushed}; the hand adjoint stores 8.")
        else:
            w(f"**{r['name']} tape: {tp['per']:.1f} bytes per point per step** from the capacity s2sad "
              f"reserved ({tp['bytes'] / 1e6:.1f} MB after a call){pushed}; the hand adjoint stores 8.")
    if heat:
        w("")
    rejected = [r for r in results if r.get("s2sad_error")]
    if rejected:
        w("s2sad rejected: " + "; ".join(f"**{r['name']}**: `{r['s2sad_error']}`" for r in rejected) + "\n")
    else:
        w("s2sad accepted every kernel as written (no variant was needed).\n")
    vec = []
    for r in results:
        js = [m for m in r["t"] if m.startswith("JAX ") and not m.startswith("JAX primal")]
        for m in js[1:]:
            vec.append(f"{r['name']} {fmt_t(r['t'][m]['median_ms'], r['per_call_us'])} ms "
                       f"({m[4:]}; {fmt_ratio(r['t'][m]['median_ms'] / r['t']['primal']['median_ms'])} the primal)")
    if vec:
        w("JAX, vectorised forms: " + "; ".join(vec) + ".\n")
    if jax_note:
        w(f"Note: {jax_note}\n")

    w("## Kernels\n")
    for r in results:
        t = r["t"]
        pc = r["per_call_us"]
        w(f"### {r['name']}: {r['title']}\n")
        w(f"Size: {r['size_text']}. Gradient with respect to {', '.join(r['wrt_names'])}. "
          f"Primal: `benchmarks/kernels/{r['module']}.py`.\n")
        if r.get("s2sad_error"):
            w(f"- s2sad **rejected** the natural formulation: `{r['s2sad_error']}`")
            if r.get("s2sad_used") == "variant":
                w(f"- timed instead: the variant ({r['variant_note']})")
            elif r.get("variant_error"):
                w(f"- the variant failed too: `{r['variant_error']}`")
            w("")
        unit = "µs per call" if pc else "ms"
        base, base_min = t["primal"]["median_ms"], t["primal"]["min_ms"]
        w(f"| method | median ({unit}) | min | ratio to primal (medians) | ratio (mins) |")
        w("|---|---:|---:|---:|---:|")
        noisy = False
        for m, v in t.items():
            flag = " †" if v["median_ms"] > 1.5 * v["min_ms"] else ""
            noisy = noisy or bool(flag)
            w(f"| {method_label(m)} | {fmt_t(v['median_ms'], pc)}{flag} | {fmt_t(v['min_ms'], pc)} | "
              f"{fmt_ratio(v['median_ms'] / base)} | {fmt_ratio(v['min_ms'] / base_min)} |")
        w("")
        if noisy:
            w("† median above 1.5x the minimum: disturbed by other work on the machine.\n")
        if pc:
            w(f"Each timed sample is {r['batch']} calls; the table divides by that.\n")
        w(f"- Hand-written adjoint: {r['hand_note']}.")
        if r["jax_note"]:
            w(f"- JAX: {r['jax_note']}.")
        fd = r["fd"]
        w(f"- Verification, small size ({fd['size_text']}), {fd['n_components']} components against "
          "central differences (step 1e-5 max(1, |x|)) of the njit primal: max |g - fd| / "
          "max(|fd|, 1e-3 max|g|) " +
          ", ".join(f"{m} {e:.1e}" for m, e in fd["errors"].items()) + ".")
        w(f"- At the benchmark size, relative to {r['diff_ref']} (max |diff| / max |gradient| per "
          "argument): " + (", ".join(f"{m} {e:.1e}" for m, e in r["diffs"].items()) or "nothing to compare") +
          (f"; s2sad's value vs the njit primal: rel err {r['value_rel_err']:.1e}" if "value_rel_err" in r else "") +
          ".")
        for p in r["problems"]:
            w(f"- **Problem**: {p}")
        if r.get("caps") is not None:
            caps = ", ".join(f"{kind} {c:,} ({c * TAPE_BYTES.get(kind, 8) / 1e6:.1f} MB)"
                             for kind, c in r["caps"].items()) or "none"
            line = f"- s2sad tapes after a call (capacity, elements): {caps}"
            if r.get("used"):
                line += "; written by one call: " + ", ".join(
                    f"{kind} {v:,}" for kind, v in r["used"].items() if v is not None)
            if "tape_per" in r:
                tp = r["tape_per"]
                line += f"; {tp['per']:.3g} bytes per {tp['unit']} reserved"
                if "used_per" in tp:
                    line += f", {tp['used_per']:.3g} written"
            if r.get("pushes"):
                line += "; pushes in the forward sweep's first loop, per iteration: " + \
                    ", ".join(f"{v} {kk}" for kk, v in r["pushes"].items()).replace(
                        " (inner loop) (inner loop)", " (loop two deep)")
            w(line + ".")
        if r.get("notes"):
            w("- Generated source (`g.source`), mechanical notes: " + "; ".join(r["notes"]) + ".")
        fc = r.get("first_call")
        if fc:
            w("- First call, fresh process, empty caches: " + "; ".join(
                (f"{m} {v['first_call_s']:.2f} s (second call {fmt_t(1e3 * v['second_call_s'], v['second_call_s'] < 1e-4)}"
                 f"{'' if v['second_call_s'] < 1e-4 else ' ms'}; import "
                 f"{v['import_s']:.1f} s, not included)") if "first_call_s" in v else f"{m}: error {v['error']}"
                for m, v in fc.items()) + ".")
        w("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
