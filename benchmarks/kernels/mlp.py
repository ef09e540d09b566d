"""Small MLP: one tanh hidden layer, softmax cross-entropy, batch 256, 784 -> 128 -> 10, written
with `@`; gradient with respect to W1, b1, W2, b2. The log-sum-exp is a loop over the batch
rows (Numba's np.max has no `axis`), each row with np.max / np.exp / np.sum.
"""
import math

import numba
import numpy as np

from kernels import JaxCase, Kernel

SIZES = {"full": (256, 784, 128, 10), "quick": (64, 784, 128, 10), "small": (5, 6, 4, 3)}


def mlp_loss(W1, b1, W2, b2, X, y):
    h = np.tanh(X @ W1 + b1)
    z = h @ W2 + b2
    loss = 0.0
    for i in range(z.shape[0]):
        zi = z[i]
        m = np.max(zi)
        loss += m + np.log(np.sum(np.exp(zi - m))) - zi[y[i]]
    return loss / z.shape[0]


def args(size):
    B, n_in, n_hid, n_out = SIZES[size]
    rng = np.random.default_rng(8)
    W1 = rng.standard_normal((n_in, n_hid)) / math.sqrt(n_in)
    b1 = 0.1 * rng.standard_normal(n_hid)
    W2 = rng.standard_normal((n_hid, n_out)) / math.sqrt(n_hid)
    b2 = 0.1 * rng.standard_normal(n_out)
    X = rng.uniform(0.0, 1.0, (B, n_in))
    y = rng.integers(0, n_out, B)
    return (W1, b1, W2, b2, X, y)


def size_text(size):
    B, n_in, n_hid, n_out = SIZES[size]
    return f"batch {B}, {n_in} -> {n_hid} (tanh) -> {n_out}, softmax cross-entropy"


@numba.njit
def mlp_hand(W1, b1, W2, b2, X, y, A, Z, G, DH, gW1, gb1, gW2, gb2):
    """Forward with two BLAS products into preallocated buffers (tanh and the bias fused in
    one loop); the softmax, its gradient and the loss in one loop over rows; backward with
    three BLAS products."""
    B = X.shape[0]
    n_hid = W1.shape[1]
    n_out = W2.shape[1]
    np.dot(X, W1, A)
    for i in range(B):
        for k in range(n_hid):
            A[i, k] = math.tanh(A[i, k] + b1[k])          # A now holds h
    np.dot(A, W2, Z)
    loss = 0.0
    inv_b = 1.0 / B
    for k in range(n_out):
        gb2[k] = 0.0
    for i in range(B):
        m = -np.inf
        for k in range(n_out):
            Z[i, k] += b2[k]
            if Z[i, k] > m:
                m = Z[i, k]
        se = 0.0
        for k in range(n_out):
            e = math.exp(Z[i, k] - m)
            G[i, k] = e
            se += e
        loss += m + math.log(se) - Z[i, y[i]]
        for k in range(n_out):
            G[i, k] = G[i, k] / se * inv_b
        G[i, y[i]] -= inv_b
        for k in range(n_out):
            gb2[k] += G[i, k]
    np.dot(A.T, G, gW2)
    np.dot(G, W2.T, DH)
    for k in range(n_hid):
        gb1[k] = 0.0
    for i in range(B):
        for k in range(n_hid):
            h = A[i, k]
            d = DH[i, k] * (1.0 - h * h)
            DH[i, k] = d
            gb1[k] += d
    np.dot(X.T, DH, gW1)
    return loss * inv_b


def hand(args):
    W1, b1, W2, b2, X, y = args
    B = X.shape[0]
    bufs = (np.empty((B, W1.shape[1])), np.empty((B, W2.shape[1])), np.empty((B, W2.shape[1])),
            np.empty((B, W1.shape[1])))
    grads = (np.empty_like(W1), np.empty_like(b1), np.empty_like(W2), np.empty_like(b2))

    def mlp_hand_grad(W1, b1, W2, b2, X, y):
        mlp_hand(W1, b1, W2, b2, X, y, *bufs, *grads)
        return grads
    return mlp_hand_grad


def jax(jax, jnp, lax):
    def mlp_jax(W1, b1, W2, b2, X, y):
        h = jnp.tanh(X @ W1 + b1)
        z = h @ W2 + b2
        m = jnp.max(z, axis=1, keepdims=True)
        lse = m[:, 0] + jnp.log(jnp.sum(jnp.exp(z - m), axis=1))
        return jnp.mean(lse - z[jnp.arange(z.shape[0]), y])
    return {"`@`, vectorised softmax cross-entropy": JaxCase(mlp_jax)}


KERNELS = [Kernel(
    name="mlp", title="Small MLP, softmax cross-entropy", primal=mlp_loss, wrt=(0, 1, 2, 3),
    wrt_names=("W1", "b1", "W2", "b2"), args=args, size_text=size_text, hand=hand, jax=jax,
    hand_note="two BLAS products forward and three backward into buffers allocated once; bias, "
              "tanh, softmax, loss and their derivatives fused into loops over the rows",
    jax_note="the same with `jnp` (no loop needed); `jax.nn`-free log-sum-exp over axis 1",
)]
