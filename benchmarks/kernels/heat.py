"""1-D heat equation, explicit stencil, 2000 points x 5000 steps, state overwritten each step.

Objective sum(u**2) at the end; gradient with respect to the initial state u0 and the
diffusion number alpha. Two forms:

  heat     ends held at u0's values;
  heat_bc  the same, plus a constant store at the left boundary each step (`u[0] = 1.0`).

Both write the new interior into a second buffer and copy it back with a slice assignment
(`u[1:-1] = unew[1:-1]`), the usual way to write a Jacobi-style update for Numba.
"""
import numba
import numpy as np

from kernels import JaxCase, Kernel

SIZES = {"full": (2000, 5000), "quick": (400, 500), "small": (12, 15)}
ALPHA = 0.25


def heat(u0, alpha, nt):
    n = u0.shape[0]
    u = u0.copy()
    unew = u0.copy()
    for t in range(nt):
        for i in range(1, n - 1):
            unew[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u[1:-1] = unew[1:-1]
    return np.sum(u ** 2)


def heat_bc(u0, alpha, nt):
    n = u0.shape[0]
    u = u0.copy()
    unew = u0.copy()
    for t in range(nt):
        u[0] = 1.0                      # Dirichlet boundary, held at 1
        for i in range(1, n - 1):
            unew[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u[1:-1] = unew[1:-1]
    return np.sum(u ** 2)


def args(size):
    n, nt = SIZES[size]
    x = np.linspace(0.0, 1.0, n)
    u0 = np.sin(np.pi * x) + 0.1 * np.random.default_rng(2).standard_normal(n)
    return (u0, ALPHA, nt)


def size_text(size):
    n, nt = SIZES[size]
    return f"{n:,} points x {nt:,} steps, alpha = {ALPHA}"


# --------------------------------------------------------------------------- hand-written adjoint
# The scheme is linear in u, so the gradient with respect to u0 needs no stored state; only
# d/d alpha (= sum over steps of lambda_{t+1} . Laplacian(u_t)) does. The expert version keeps
# the whole trajectory (8 bytes per point per step, in a buffer allocated once that is also the
# state, so there are no copies), then runs one fused reverse loop per step that updates the
# adjoint and accumulates d/d alpha together.

@numba.njit
def heat_hand(u0, alpha, nt, bc, traj, lam, lamn):
    """traj[t] is the state before step t: the trajectory buffer is the state itself, so the
    forward sweep is one pass per step writing row t + 1 from row t (no copies)."""
    n = u0.shape[0]
    for i in range(n):
        traj[0, i] = u0[i]
    for t in range(nt):
        if bc:
            traj[t, 0] = 1.0
        traj[t + 1, 0] = traj[t, 0]
        traj[t + 1, n - 1] = traj[t, n - 1]
        for i in range(1, n - 1):
            traj[t + 1, i] = traj[t, i] + alpha * (traj[t, i - 1] - 2.0 * traj[t, i] + traj[t, i + 1])
    value = 0.0
    for i in range(n):
        value += traj[nt, i] ** 2
        lam[i] = 2.0 * traj[nt, i]
    alpha_adj = 0.0
    for t in range(nt - 1, -1, -1):
        # lam holds the adjoint of the state after step t; lamn becomes the adjoint before it
        lamn[0] = lam[0] + alpha * lam[1]
        lamn[n - 1] = lam[n - 1] + alpha * lam[n - 2]
        for i in range(1, n - 1):
            li = lam[i]
            alpha_adj += li * (traj[t, i - 1] - 2.0 * traj[t, i] + traj[t, i + 1])
            a = lam[i - 1] if i - 1 >= 1 else 0.0
            b = lam[i + 1] if i + 1 <= n - 2 else 0.0
            lamn[i] = li - 2.0 * alpha * li + alpha * (a + b)
        if bc:
            lamn[0] = 0.0               # u[0] = 1.0 overwrote it
        lam, lamn = lamn, lam
    return value, lam, alpha_adj


def make_hand(bc):
    def hand(args):
        u0, alpha, nt = args
        n = u0.shape[0]
        traj = np.empty((nt + 1, n))    # allocated once, reused by every call
        bufs = [np.empty(n) for _ in range(2)]

        def heat_hand_grad(u0, alpha, nt):
            value, lam, alpha_adj = heat_hand(u0, alpha, nt, bc, traj, *bufs)
            return lam, alpha_adj
        return heat_hand_grad
    return hand


def make_jax(bc):
    def jax(jax, jnp, lax):
        def heat_jax(u0, alpha, nt):
            def step(t, u):
                if bc:
                    u = u.at[0].set(1.0)
                return u.at[1:-1].set(u[1:-1] + alpha * (u[:-2] - 2.0 * u[1:-1] + u[2:]))
            u = lax.fori_loop(0, nt, step, u0)
            return jnp.sum(u ** 2)
        return {"lax.fori_loop over t, vectorised stencil": JaxCase(heat_jax, static=(2,))}
    return jax


def tape_per(args):
    return args[0].shape[0] * args[2], "point per step"


COMMON = dict(wrt=(0, 1), wrt_names=("u0", "alpha"), args=args, size_text=size_text,
              tape_per=tape_per,
              hand_note="the state lives in a trajectory buffer allocated once (8 bytes/point/step, "
                        "the minimum for d/d alpha; no copies); one fused reverse loop per step "
                        "updates the adjoint and accumulates d/d alpha",
              jax_note="`lax.fori_loop` over time, the stencil as one vectorised `.at[1:-1].set` "
                       "(a scalar inner `fori_loop` is not how anyone writes this in JAX)")

KERNELS = [
    Kernel(name="heat", title="1-D heat stencil", primal=heat, hand=make_hand(False),
           jax=make_jax(False), **COMMON),
    Kernel(name="heat_bc", title="1-D heat stencil, constant boundary store `u[0] = 1.0`",
           primal=heat_bc, hand=make_hand(True), jax=make_jax(True), **COMMON),
]
