"""Lorenz, explicit Euler, 1e5 steps; gradient with respect to sigma, rho, beta and x0, y0, z0.

Primal and hand-written adjoint imported from `bench_foundation.py`; the JAX version is the
one in its `jax_peer` (copied: it is defined inside that function there).
"""
from bench_foundation import LORENZ_WRT, lorenz, lorenz_args, make_lorenz_hand_grad
from kernels import JaxCase, Kernel

SIZES = {"full": 100_000, "quick": 10_000, "small": 200}


def args(size):
    return lorenz_args(SIZES[size])


def size_text(size):
    return f"{SIZES[size]:,} Euler steps, dt = 0.001"


def hand(args):
    return make_lorenz_hand_grad(args[-1])   # 24-byte/step trajectory buffer, allocated once


def jax(jax, jnp, lax):
    def lorenz_jax(sigma, rho, beta, x, y, z, n):
        dt = 0.001

        def body(i, c):
            x, y, z = c
            dx = sigma * (y - x)
            dy = x * (rho - z) - y
            dz = x * y - beta * z
            return (x + dt * dx, y + dt * dy, z + dt * dz)
        x, y, z = lax.fori_loop(0, n, body, (x, y, z))
        return x + y + z
    return {"lax.fori_loop": JaxCase(lorenz_jax, static=(6,))}


KERNELS = [Kernel(
    name="lorenz", title="Lorenz, explicit Euler", primal=lorenz, wrt=LORENZ_WRT,
    wrt_names=("sigma", "rho", "beta", "x0", "y0", "z0"), args=args, size_text=size_text,
    hand=hand, jax=jax, chaotic=True,
    hand_note="stores x, y, z before each step (24 bytes/step) in a buffer allocated once, then "
              "one reverse loop",
    jax_note="`lax.fori_loop` carrying (x, y, z); compared with s2sad at the small size only "
             "(chaotic: the full-size gradient, ~1e36, depends on the rounding of each operation)",
)]
