"""Monte Carlo price of a European call, pathwise: 1e5 paths x 52 steps of a geometric
Brownian motion with pre-drawn normals passed in, payoff max(S_T - K, 0) as a branch;
gradient with respect to S0, sigma and r (delta, vega, rho).
"""
import math

import numba
import numpy as np

from kernels import JaxCase, Kernel

SIZES = {"full": (100_000, 52), "quick": (10_000, 52), "small": (20, 4)}
S0, SIGMA, R, STRIKE, T = 100.0, 0.2, 0.03, 105.0, 1.0


def mc_call(S0, sigma, r, z, K, T):
    npaths = z.shape[0]
    nsteps = z.shape[1]
    dt = T / nsteps
    drift = (r - 0.5 * sigma * sigma) * dt
    vol = sigma * math.sqrt(dt)
    total = 0.0
    for p in range(npaths):
        s = S0
        for k in range(nsteps):
            s = s * math.exp(drift + vol * z[p, k])
        if s > K:
            total += s - K
    return math.exp(-r * T) * total / npaths


def args(size):
    npaths, nsteps = SIZES[size]
    z = np.random.default_rng(6).standard_normal((npaths, nsteps))
    return (S0, SIGMA, R, z, STRIKE, T)


def size_text(size):
    npaths, nsteps = SIZES[size]
    return f"{npaths:,} paths x {nsteps} steps, S0 = {S0}, K = {STRIKE}, sigma = {SIGMA}, r = {R}, T = {T}"


@numba.njit
def mc_hand(S0, sigma, r, z, K, T):
    """One forward pass, nothing stored: along a path dS_T/dS0 = S_T/S0,
    dS_T/dsigma = S_T (sqrt(dt) sum z - sigma T), dS_T/dr = S_T T."""
    npaths = z.shape[0]
    nsteps = z.shape[1]
    dt = T / nsteps
    drift = (r - 0.5 * sigma * sigma) * dt
    sdt = math.sqrt(dt)
    vol = sigma * sdt
    total = 0.0
    itm = 0.0          # sum of S_T over paths in the money
    itm_z = 0.0        # sum of S_T * sum(z) over those paths
    for p in range(npaths):
        s = S0
        zs = 0.0
        for k in range(nsteps):
            s = s * math.exp(drift + vol * z[p, k])
            zs += z[p, k]
        if s > K:
            total += s - K
            itm += s
            itm_z += s * zs
    disc = math.exp(-r * T) / npaths
    value = disc * total
    g_s0 = disc * itm / S0
    g_sigma = disc * (sdt * itm_z - sigma * T * itm)
    g_r = disc * T * itm - T * value
    return value, g_s0, g_sigma, g_r


def hand(args):
    def mc_hand_grad(S0, sigma, r, z, K, T):
        return mc_hand(S0, sigma, r, z, K, T)[1:]
    return mc_hand_grad


def jax(jax, jnp, lax):
    def mc_scan(S0, sigma, r, zt, K, T):
        nsteps, npaths = zt.shape
        dt = T / nsteps
        drift = (r - 0.5 * sigma * sigma) * dt
        vol = sigma * jnp.sqrt(dt)

        def step(s, zk):
            return s * jnp.exp(drift + vol * zk), None
        s, _ = lax.scan(step, jnp.full(npaths, S0), zt)
        return jnp.exp(-r * T) * jnp.sum(jnp.where(s > K, s - K, 0.0)) / npaths

    def transposed(args, jnp):
        S0, sigma, r, z, K, T = args
        return (S0, sigma, r, jnp.asarray(np.ascontiguousarray(z.T)), K, T)
    return {"lax.scan over steps, vectorised over paths": JaxCase(mc_scan, convert=transposed,
                                                                    note="z passed transposed (steps x paths)")}


KERNELS = [Kernel(
    name="mc_option", title="Monte Carlo European call, pathwise", primal=mc_call, wrt=(0, 1, 2),
    wrt_names=("S0", "sigma", "r"), args=args, size_text=size_text, hand=hand, jax=jax,
    tape_per=lambda a: (a[3].size, "path step"),
    hand_note="one forward pass with the closed-form pathwise derivatives of S_T (three running "
              "sums), nothing stored",
    jax_note="`lax.scan` over the time steps, each step vectorised over the paths "
             "(normals passed transposed)",
)]
