"""Lennard-Jones energy (epsilon = sigma = 1), all pairs with a cutoff branch, N = 1000
particles in 3-D; gradient with respect to the positions (minus the forces).

Positions: a 10 x 10 x 10 cubic lattice of spacing 1.12 with Gaussian jitter (0.05), no
periodic boundaries; cutoff 2.5, so about 3.4 % of the 499,500 pairs are inside.
"""
import numba
import numpy as np

from kernels import JaxCase, Kernel

SIZES = {"full": 10, "quick": 5, "small": 3}        # particles per side of the lattice
RC = 2.5


def lj_energy(pos, rc):
    n = pos.shape[0]
    rc2 = rc * rc
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r2 = dx * dx + dy * dy + dz * dz
            if r2 < rc2:
                inv2 = 1.0 / r2
                inv6 = inv2 * inv2 * inv2
                e += 4.0 * (inv6 * inv6 - inv6)
    return e


def args(size):
    m = SIZES[size]
    g = np.arange(m) * 1.12
    pos = np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1).reshape(-1, 3)
    pos = pos + 0.05 * np.random.default_rng(5).standard_normal(pos.shape)
    return (np.ascontiguousarray(pos), RC)


def size_text(size):
    m = SIZES[size]
    return f"N = {m ** 3:,} particles, {m ** 3 * (m ** 3 - 1) // 2:,} pairs, cutoff {RC}"


@numba.njit
def lj_hand(pos, rc, g):
    """One pass over the pairs: energy and gradient together, nothing stored."""
    n = pos.shape[0]
    rc2 = rc * rc
    g[:] = 0.0
    e = 0.0
    for i in range(n):
        gx = 0.0
        gy = 0.0
        gz = 0.0
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r2 = dx * dx + dy * dy + dz * dz
            if r2 < rc2:
                inv2 = 1.0 / r2
                inv6 = inv2 * inv2 * inv2
                e += 4.0 * (inv6 * inv6 - inv6)
                c = (12.0 * inv6 - 24.0 * inv6 * inv6) * inv2 * 2.0   # dE/dr2 * 2
                gx += c * dx
                gy += c * dy
                gz += c * dz
                g[j, 0] -= c * dx
                g[j, 1] -= c * dy
                g[j, 2] -= c * dz
        g[i, 0] += gx
        g[i, 1] += gy
        g[i, 2] += gz
    return e


def hand(args):
    g = np.empty_like(args[0])

    def lj_hand_grad(pos, rc):
        lj_hand(pos, rc, g)
        return g
    return lj_hand_grad


def jax(jax, jnp, lax):
    def pair_energy(d2, mask):
        r2 = jnp.where(mask, d2, 1.0)            # keep the masked-out arm finite for grad
        inv6 = 1.0 / (r2 * r2 * r2)
        return jnp.where(mask, 4.0 * (inv6 * inv6 - inv6), 0.0)

    def lj_loop(pos, rc):
        n = pos.shape[0]
        idx = jnp.arange(n)

        def body(i, e):
            d = pos[i][None, :] - pos
            r2 = jnp.sum(d * d, axis=1)
            return e + jnp.sum(pair_energy(r2, (idx > i) & (r2 < rc * rc)))
        return lax.fori_loop(0, n, body, 0.0)

    def lj_vec(pos, rc):
        n = pos.shape[0]
        d = pos[:, None, :] - pos[None, :, :]
        r2 = jnp.sum(d * d, axis=2)
        upper = jnp.arange(n)[:, None] < jnp.arange(n)[None, :]
        return jnp.sum(pair_energy(r2, upper & (r2 < rc * rc)))
    return {"lax.fori_loop over i, vectorised over j (masked)": JaxCase(lj_loop),
            "vectorised N x N (masked)": JaxCase(lj_vec)}


KERNELS = [Kernel(
    name="lj", title="Lennard-Jones energy, pair loop with cutoff", primal=lj_energy, wrt=0,
    wrt_names=("pos",), args=args, size_text=size_text, hand=hand, jax=jax,
    tape_per=lambda a: (a[0].shape[0] * (a[0].shape[0] - 1) // 2, "pair"),
    hand_note="one pass over the pairs computing energy and forces together; row i's force "
              "in registers, row j's scattered",
    jax_note="`lax.fori_loop` over i with the j loop as a masked vector op, and the masked "
             "N x N form; the cutoff branch is `jnp.where` with a safe r2 in the dead arm",
)]
