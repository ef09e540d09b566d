"""Forward mode and Hessian-vector products: s2sad.jvp / s2sad.hvp vs the Numba primal and peers.

Run:  python benchmarks/bench_products.py             (writes benchmarks/RESULTS_products.md)
      python benchmarks/bench_products.py --no-peers  (skip JAX)

Same rules as bench_foundation.py: everything compared is measured in one run, the Numba
methods of a benchmark interleaved round by round, medians quoted. The primals are those of
bench_foundation.py (Rosenbrock as a scalar loop, a Lorenz Euler integration, the
quickstart's loop-and-branch energy); the tangent direction is random.
"""
import argparse
import os
import sys
import time

import numba
import numpy as np

import s2sad

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_foundation import (BETA, LORENZ_X0, N_ARRAY, N_STEPS, RHO, SIGMA, check_close,  # noqa: E402
                              energy, energy_args_quickstart, fmt_ms, fmt_ratio, lorenz, machine_info,
                              make_rosenbrock_jax,
                              rosenbrock, timed_rounds)

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------- hand-written tangents
@numba.njit(cache=True)
def rosenbrock_tangent_hand(x, u):
    s = 0.0
    ds = 0.0
    for i in range(x.shape[0] - 1):
        a = x[i + 1] - x[i] * x[i]
        da = u[i + 1] - 2.0 * x[i] * u[i]
        b = 1.0 - x[i]
        s += 100.0 * a * a + b * b
        ds += 200.0 * a * da - 2.0 * b * u[i]
    return s, ds


@numba.njit(cache=True)
def lorenz_tangent_hand(sigma, rho, beta, x, y, z, n, dsigma, drho, dbeta, dx0, dy0, dz0):
    dt = 0.001
    tx, ty, tz = dx0, dy0, dz0
    for i in range(n):
        fx = sigma * (y - x)
        fy = x * (rho - z) - y
        fz = x * y - beta * z
        gx = dsigma * (y - x) + sigma * (ty - tx)
        gy = tx * (rho - z) + x * (drho - tz) - ty
        gz = tx * y + x * ty - dbeta * z - beta * tz
        x, y, z = x + dt * fx, y + dt * fy, z + dt * fz
        tx, ty, tz = tx + dt * gx, ty + dt * gy, tz + dt * gz
    return x + y + z, tx + ty + tz


def lorenz_primals(n):
    return (SIGMA, RHO, BETA) + LORENZ_X0 + (n,)


LORENZ_TANGENTS = (0.3, -0.2, 0.1, 0.5, -0.4, 0.2, None)


# --------------------------------------------------------------------------- s2sad vs hand vs primal
def numba_rows(reps):
    rng = np.random.default_rng(0)
    rows = {}
    x = rng.random(N_ARRAY) * 2.0
    u = rng.standard_normal(N_ARRAY)
    primal = numba.njit(rosenbrock)
    grad = s2sad.grad(rosenbrock)
    value, tangent = s2sad.jvp(rosenbrock, (x,), (u,))
    check_close("rosenbrock jvp vs hand", [value, tangent], list(rosenbrock_tangent_hand(x, u)), rtol=1e-9)
    check_close("rosenbrock jvp vs grad", tangent, float(np.dot(grad(x), u)), rtol=1e-9)
    rows["Rosenbrock, 10^6 elements"] = timed_rounds({
        "primal": lambda: primal(x),
        "jvp": lambda: s2sad.jvp(rosenbrock, (x,), (u,)),
        "hand jvp": lambda: rosenbrock_tangent_hand(x, u),
        "grad": lambda: grad(x),
        "hvp": lambda: s2sad.hvp(rosenbrock, (x,), (u,)),
    }, reps)

    args = lorenz_primals(N_STEPS)
    primal = numba.njit(lorenz)
    grad = s2sad.grad(lorenz, wrt=(0, 1, 2, 3, 4, 5))
    value, tangent = s2sad.jvp(lorenz, args, LORENZ_TANGENTS)
    check_close("lorenz jvp vs hand", [value, tangent],
                list(lorenz_tangent_hand(*args, *LORENZ_TANGENTS[:6])), rtol=1e-9)
    rows["Lorenz Euler, 10^5 steps, 6 tangents"] = timed_rounds({
        "primal": lambda: primal(*args),
        "jvp": lambda: s2sad.jvp(lorenz, args, LORENZ_TANGENTS),
        "hand jvp": lambda: lorenz_tangent_hand(*args, *LORENZ_TANGENTS[:6]),
        "grad": lambda: grad(*args),
        "hvp": lambda: s2sad.hvp(lorenz, args, LORENZ_TANGENTS),
    }, reps)

    x, k = energy_args_quickstart(N_ARRAY)
    primal = numba.njit(energy)
    grad = s2sad.grad(energy)
    rows["quickstart energy, 10^6 elements"] = timed_rounds({
        "primal": lambda: primal(x, k),
        "jvp": lambda: s2sad.jvp(energy, (x, k), (u, None)),
        "grad": lambda: grad(x, k),
        "hvp": lambda: s2sad.hvp(energy, (x, k), (u, None)),
    }, reps)
    return rows


# --------------------------------------------------------------------------- JAX
def jax_rows(reps):
    try:
        import jax
        import jax.numpy as jnp
        from jax import lax
    except Exception as exc:      # optional extra
        return None, f"JAX not importable ({type(exc).__name__}: {exc})"
    jax.config.update("jax_enable_x64", True)
    rosenbrock_jax = make_rosenbrock_jax(lax)

    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.random(N_ARRAY) * 2.0)
    u = jnp.asarray(rng.standard_normal(N_ARRAY))
    primal = jax.jit(rosenbrock_jax)
    jvp = jax.jit(lambda x, u: jax.jvp(rosenbrock_jax, (x,), (u,)))
    hvp = jax.jit(lambda x, u: jax.jvp(jax.grad(rosenbrock_jax), (x,), (u,))[1])
    ours = s2sad.hvp(rosenbrock, (np.asarray(x),), (np.asarray(u),))[0]
    check_close("rosenbrock hvp: JAX vs s2sad", np.asarray(hvp(x, u)), ours, rtol=1e-9, atol_rel=1e-12)
    timings = timed_rounds({
        "primal": lambda: jax.block_until_ready(primal(x)),
        "jvp": lambda: jax.block_until_ready(jvp(x, u)),
        "hvp": lambda: jax.block_until_ready(hvp(x, u)),
    }, reps)
    return {"version": jax.__version__, "Rosenbrock, 10^6 elements": timings}, None


# --------------------------------------------------------------------------- report
def render(info, rows, peers, peer_note, reps):
    lines = ["# Forward mode and Hessian-vector product benchmarks", "",
             f"Generated by `python benchmarks/bench_products.py` on {info['date']}, commit {info['commit']}; "
             f"{info['nproc']} cores ({info['cpu']}), Python {info['python']}, NumPy {info['numpy']}, "
             f"Numba {info['numba']}; load average at start {info['load_start'][0]:.2f}.", "",
             f"Medians of {reps} interleaved rounds (ms); ratios are to the njit primal of the same round set. "
             "`jvp` and `hvp` are timed through the public API (`s2sad.jvp(f, primals, tangents)`), "
             "so they include its per-call Python overhead.", ""]
    columns = ["primal", "jvp", "hand jvp", "grad", "hvp"]
    lines += ["| benchmark | njit primal | s2sad jvp | hand-written Numba jvp | s2sad grad | s2sad hvp |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, t in rows.items():
        base = t["primal"]["median_ms"]
        cells = [fmt_ms(base) + " ms"]
        for c in columns[1:]:
            cells.append(fmt_ratio(t[c]["median_ms"] / base) if c in t else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    if peers is None:
        lines.append(f"JAX: not measured ({peer_note}).")
    else:
        t = peers["Rosenbrock, 10^6 elements"]
        ours = rows["Rosenbrock, 10^6 elements"]
        lines += [f"JAX {peers['version']} (`jit`, `lax.fori_loop`, float64), Rosenbrock 10^6, medians of {reps}:", "",
                  "| | JAX primal | JAX `jit(jvp)` | JAX `jit(jvp(grad))` (hvp) | s2sad jvp | s2sad hvp |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |",
                  f"| ms | {fmt_ms(t['primal']['median_ms'])} | {fmt_ms(t['jvp']['median_ms'])} | "
                  f"{fmt_ms(t['hvp']['median_ms'])} | {fmt_ms(ours['jvp']['median_ms'])} | "
                  f"{fmt_ms(ours['hvp']['median_ms'])} |",
                  f"| × njit primal | {fmt_ratio(t['primal']['median_ms'] / ours['primal']['median_ms'])} | "
                  f"{fmt_ratio(t['jvp']['median_ms'] / ours['primal']['median_ms'])} | "
                  f"{fmt_ratio(t['hvp']['median_ms'] / ours['primal']['median_ms'])} | "
                  f"{fmt_ratio(ours['jvp']['median_ms'] / ours['primal']['median_ms'])} | "
                  f"{fmt_ratio(ours['hvp']['median_ms'] / ours['primal']['median_ms'])} |", ""]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=21)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--output", default=os.path.join(HERE, "RESULTS_products.md"))
    opts = ap.parse_args()
    info = machine_info()
    start = time.perf_counter()
    rows = numba_rows(opts.reps)
    peers, note = (None, "--no-peers") if opts.no_peers else jax_rows(opts.reps)
    text = render(info, rows, peers, note, opts.reps)
    text += f"\nTotal run time {time.perf_counter() - start:.0f} s.\n"
    print(text)
    with open(opts.output, "w") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
