"""Huber loss of a straight-line fit, a branch per element, n = 1e6; gradient with respect to
the slope w and intercept b.

The data have 30 % gross outliers, so the branch (|r| <= delta or not) follows no pattern
the CPU can predict.
"""
import numba
import numpy as np

from kernels import JaxCase, Kernel

SIZES = {"full": 1_000_000, "quick": 100_000, "small": 50}
DELTA = 0.5


def huber(w, b, x, y, delta):
    s = 0.0
    for i in range(x.shape[0]):
        r = y[i] - (w * x[i] + b)
        if abs(r) <= delta:
            s += 0.5 * r * r
        else:
            s += delta * (abs(r) - 0.5 * delta)
    return s / x.shape[0]


def args(size):
    n = SIZES[size]
    rng = np.random.default_rng(4)
    x = rng.uniform(-1.0, 1.0, n)
    y = 2.0 * x + 0.5 + 0.3 * rng.standard_normal(n)
    outliers = rng.uniform(size=n) < 0.3
    y[outliers] += rng.uniform(-5.0, 5.0, int(outliers.sum()))
    return (1.8, 0.4, x, y, DELTA)


def size_text(size):
    return f"n = {SIZES[size]:,}, delta = {DELTA}, 30 % outliers (unpredictable branch)"


@numba.njit
def huber_hand(w, b, x, y, delta):
    """One fused pass: value and both derivatives, nothing stored, no branch: with
    c = min(|r|, delta) the loss is c (|r| - c/2) and its derivative in r is clip(r, -delta, delta)."""
    s = 0.0
    gw = 0.0
    gb = 0.0
    for i in range(x.shape[0]):
        r = y[i] - (w * x[i] + b)
        a = abs(r)
        c = min(a, delta)
        s += c * (a - 0.5 * c)
        gr = min(max(r, -delta), delta)
        gw -= gr * x[i]
        gb -= gr
    n = x.shape[0]
    return s / n, gw / n, gb / n


def hand(args):
    def huber_hand_grad(w, b, x, y, delta):
        _, gw, gb = huber_hand(w, b, x, y, delta)
        return gw, gb
    return huber_hand_grad


def jax(jax, jnp, lax):
    def huber_loop(w, b, x, y, delta):
        def body(i, s):
            r = y[i] - (w * x[i] + b)
            return s + jnp.where(jnp.abs(r) <= delta, 0.5 * r * r, delta * (jnp.abs(r) - 0.5 * delta))
        return lax.fori_loop(0, x.shape[0], body, 0.0) / x.shape[0]

    def huber_vec(w, b, x, y, delta):
        r = y - (w * x + b)
        return jnp.mean(jnp.where(jnp.abs(r) <= delta, 0.5 * r * r, delta * (jnp.abs(r) - 0.5 * delta)))
    return {"lax.fori_loop, branch as jnp.where": JaxCase(huber_loop),
            "vectorised jnp.where": JaxCase(huber_vec)}


KERNELS = [Kernel(
    name="huber", title="Huber loss, branch per element", primal=huber, wrt=(0, 1),
    wrt_names=("w", "b"), args=args, size_text=size_text, hand=hand, jax=jax,
    tape_per=lambda a: (a[2].shape[0], "element"),
    hand_note="one fused forward pass accumulating the value and both derivatives in registers, "
              "branch-free (the derivative in r is clip(r, -delta, delta))",
    jax_note="`lax.fori_loop` with the branch as `jnp.where` (both arms computed), and the "
             "vectorised form",
)]
