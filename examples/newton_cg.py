"""Minimise a loop-written objective with SciPy's Newton-CG, using s2sad's gradient and
Hessian-vector products (reverse over forward mode).

    python examples/newton_cg.py
"""
import time

import numpy as np
from scipy.optimize import minimize

import s2sad


def chain_energy(x, k):
    """A chain of particles: anharmonic springs between neighbours, each particle in a well."""
    s = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1] - x[i] - 1.05
        s += k * d * d + 0.25 * d * d * d * d
    for i in range(x.shape[0]):
        w = x[i] - i
        s += 0.01 * w * w + 0.1 * (1.0 - np.cos(w))
    return s


def main(n=2000, k=3.0):
    rng = np.random.default_rng(0)
    x0 = np.arange(n, dtype=float) + 0.3 * rng.standard_normal(n)
    gradient = s2sad.grad(chain_energy)
    hessian_times = lambda x, v: s2sad.hvp(chain_energy, (x, k), (v, None))[0]   # noqa: E731
    gradient(x0, k), hessian_times(x0, x0)           # compile once before timing
    start = time.perf_counter()
    result = minimize(chain_energy, x0, args=(k,), method="Newton-CG",
                      jac=lambda x, k: gradient(x, k), hessp=lambda x, v, k: hessian_times(x, v))
    elapsed = time.perf_counter() - start
    print(f"Newton-CG on {n} particles: {result.message}")
    print(f"  energy {result.fun:.10f}, |gradient| {np.linalg.norm(gradient(result.x, k)):.2e}")
    print(f"  {result.nit} iterations, {result.nfev} energy / {result.njev} gradient / "
          f"{result.nhev} Hessian-vector evaluations, {elapsed:.3f} s")
    return result


if __name__ == "__main__":
    main()
