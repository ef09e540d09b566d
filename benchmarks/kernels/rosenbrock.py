"""Rosenbrock as a scalar loop, n = 5e6, gradient with respect to x.

The primal and the hand-written adjoint are those of `bench_foundation.py` (imported, not
copied); only the size differs.
"""
import numpy as np

from bench_foundation import make_rosenbrock_jax, rosenbrock, rosenbrock_hand
from kernels import JaxCase, Kernel

SIZES = {"full": 5_000_000, "quick": 200_000, "small": 40}


def args(size):
    return (np.random.default_rng(0).uniform(-2.0, 2.0, SIZES[size]),)


def size_text(size):
    return f"n = {SIZES[size]:,} float64"


def hand(args):
    g = np.empty_like(args[0])       # allocated once, reused by every call

    def rosenbrock_hand_grad(x):
        rosenbrock_hand(x, g)        # one fused pass, each g[i] stored once
        return g
    return rosenbrock_hand_grad


def jax(jax, jnp, lax):
    def rosenbrock_vec(x):
        return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)
    return {"lax.fori_loop": JaxCase(make_rosenbrock_jax(lax)),
            "vectorised jnp": JaxCase(rosenbrock_vec)}


KERNELS = [Kernel(
    name="rosenbrock", title="Rosenbrock, scalar loop", primal=rosenbrock, wrt=0, wrt_names=("x",),
    args=args, size_text=size_text, hand=hand, jax=jax,
    hand_note="one fused forward pass; each g[i] stored once (carry of term i-1 in a register); "
              "gradient buffer allocated once and reused",
    jax_note="`lax.fori_loop` over i with `x[i]` (the loop as written), and the one-line vectorised "
             "form a JAX user would write",
)]
