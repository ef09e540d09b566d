"""ADBench's GMM objective (d = 10, K = 50, n = 10,000), with explicit loops as in ADBench's C++
(`src/cpp/shared/gmm.h`): `preprocess_qs`, `Qtimesx` with the strictly lower triangle stored
column by column, log-sum-exp with the max taken by a loop, and the Wishart prior.
Gradient with respect to alphas, means and icf.

`icf[k]` holds the log of the diagonal of the inverse covariance factor (d values) and then its
strictly lower triangle by columns (d (d - 1) / 2 values).
"""
import math

import numba
import numpy as np

from kernels import JaxCase, Kernel

SIZES = {"full": (10, 50, 10_000), "quick": (10, 50, 500), "small": (3, 4, 6)}
GAMMA, M = 1.0, 0                    # ADBench's Wishart parameters


@numba.njit
def logsumexp(v):
    mx = v[0]
    for i in range(1, v.shape[0]):
        if v[i] > mx:
            mx = v[i]
    s = 0.0
    for i in range(v.shape[0]):
        s += math.exp(v[i] - mx)
    return math.log(s) + mx


@numba.njit
def log_gamma_distrib(a, p):
    out = 0.25 * p * (p - 1) * math.log(math.pi)
    for j in range(1, p + 1):
        out += math.lgamma(a + 0.5 * (1 - j))
    return out


def gmm_objective(alphas, means, icf, x, wishart_gamma, wishart_m):
    n, d = x.shape
    K = alphas.shape[0]
    Qdiags = np.empty((K, d))
    sum_qs = np.empty(K)
    xcentered = np.empty(d)
    Qxcentered = np.empty(d)
    main_term = np.empty(K)
    # preprocess_qs
    for k in range(K):
        sum_qs[k] = 0.0
        for j in range(d):
            q = icf[k, j]
            sum_qs[k] = sum_qs[k] + q
            Qdiags[k, j] = math.exp(q)
    slse = 0.0
    for i in range(n):
        for k in range(K):
            for j in range(d):
                xcentered[j] = x[i, j] - means[k, j]
            # Qtimesx
            for j in range(d):
                Qxcentered[j] = Qdiags[k, j] * xcentered[j]
            idx = d
            for j in range(d):
                for l in range(j + 1, d):
                    Qxcentered[l] = Qxcentered[l] + icf[k, idx] * xcentered[j]
                    idx += 1
            sqnorm = 0.0
            for j in range(d):
                sqnorm += Qxcentered[j] * Qxcentered[j]
            main_term[k] = alphas[k] + sum_qs[k] - 0.5 * sqnorm
        slse += logsumexp(main_term)
    lse_alphas = logsumexp(alphas)
    constant = -n * d * 0.5 * math.log(2.0 * math.pi)
    err = constant + slse - n * lse_alphas
    # log_wishart_prior
    nw = d + wishart_m + 1
    c = nw * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - log_gamma_distrib(0.5 * nw, d)
    prior = 0.0
    for k in range(K):
        frobenius = 0.0
        for j in range(d):
            frobenius += Qdiags[k, j] * Qdiags[k, j]
        for j in range(d, icf.shape[1]):
            frobenius += icf[k, j] * icf[k, j]
        prior += 0.5 * wishart_gamma * wishart_gamma * frobenius - wishart_m * sum_qs[k]
    return err + prior - K * c


def args(size):
    d, K, n = SIZES[size]
    rng = np.random.default_rng(3)
    alphas = rng.standard_normal(K)
    means = rng.uniform(0.0, 1.0, (K, d))
    icf = np.concatenate([rng.uniform(-0.5, 0.5, (K, d)), 0.3 * rng.standard_normal((K, d * (d - 1) // 2))], axis=1)
    x = rng.uniform(0.0, 1.0, (n, d))
    return (alphas, means, icf, x, GAMMA, M)


def size_text(size):
    d, K, n = SIZES[size]
    return f"d = {d}, K = {K}, n = {n:,}"


# --------------------------------------------------------------------------- hand-written adjoint
# Per point: a forward pass over the K components keeps x - mean and Q (x - mean) in K x d
# scratch (4 KB, in cache), then the weights softmax(main_term) drive one reverse pass over
# the components. Nothing is stored across points. The Qdiag = exp(icf) chain, the alphas
# term and the Wishart prior are added at the end.

@numba.njit
def gmm_hand(alphas, means, icf, x, gamma, m, Qd, sum_qs, xc, Qxc, mt, gQd, gsq, ga, gm, gi):
    n, d = x.shape
    K = alphas.shape[0]
    for k in range(K):
        s = 0.0
        for j in range(d):
            s += icf[k, j]
            Qd[k, j] = math.exp(icf[k, j])
        sum_qs[k] = s
    ga[:] = 0.0
    gm[:] = 0.0
    gi[:] = 0.0
    gQd[:] = 0.0
    gsq[:] = 0.0
    slse = 0.0
    for i in range(n):
        mx = -np.inf
        for k in range(K):
            for j in range(d):
                xc[k, j] = x[i, j] - means[k, j]
                Qxc[k, j] = Qd[k, j] * xc[k, j]
            idx = d
            for j in range(d):
                xj = xc[k, j]
                for l in range(j + 1, d):
                    Qxc[k, l] += icf[k, idx] * xj
                    idx += 1
            sq = 0.0
            for j in range(d):
                sq += Qxc[k, j] * Qxc[k, j]
            v = alphas[k] + sum_qs[k] - 0.5 * sq
            mt[k] = v
            if v > mx:
                mx = v
        se = 0.0
        for k in range(K):
            se += math.exp(mt[k] - mx)
        lse = math.log(se) + mx
        slse += lse
        for k in range(K):
            w = math.exp(mt[k] - lse)          # d lse / d main_term[k]
            ga[k] += w
            gsq[k] += w
            # main_term = ... - 0.5 |Qxc|^2: adjoint of Qxc[l] is -w Qxc[l]
            for j in range(d):
                a = -w * Qxc[k, j]
                Qxc[k, j] = a                   # reuse the scratch row for the adjoint
                gQd[k, j] += a * xc[k, j]
                xc[k, j] = a * Qd[k, j]         # ... and this one for the adjoint of xc
            idx = d
            for j in range(d):
                xj = x[i, j] - means[k, j]
                acc = 0.0
                for l in range(j + 1, d):
                    a = Qxc[k, l]
                    gi[k, idx] += a * xj
                    acc += a * icf[k, idx]
                    idx += 1
                gm[k, j] -= xc[k, j] + acc
    lse_alphas = -np.inf
    for k in range(K):
        if alphas[k] > lse_alphas:
            lse_alphas = alphas[k]
    se = 0.0
    for k in range(K):
        se += math.exp(alphas[k] - lse_alphas)
    lse_alphas = math.log(se) + lse_alphas
    g2 = gamma * gamma
    prior = 0.0
    for k in range(K):
        ga[k] -= n * math.exp(alphas[k] - lse_alphas)
        frob = 0.0
        for j in range(d):
            frob += Qd[k, j] * Qd[k, j]
            gi[k, j] += (gQd[k, j] + g2 * Qd[k, j]) * Qd[k, j] + gsq[k] - m
        for j in range(d, icf.shape[1]):
            frob += icf[k, j] * icf[k, j]
            gi[k, j] += g2 * icf[k, j]
        prior += 0.5 * g2 * frob - m * sum_qs[k]
    nw = d + m + 1
    c = nw * d * (math.log(gamma) - 0.5 * math.log(2.0))
    lg = 0.25 * d * (d - 1) * math.log(math.pi)
    for j in range(1, d + 1):
        lg += math.lgamma(0.5 * nw + 0.5 * (1 - j))
    c -= lg
    return -n * d * 0.5 * math.log(2.0 * math.pi) + slse - n * lse_alphas + prior - K * c


def hand(args):
    alphas, means, icf, x, gamma, m = args
    K, d = means.shape
    scratch = (np.empty((K, d)), np.empty(K), np.empty((K, d)), np.empty((K, d)), np.empty(K),
               np.empty((K, d)), np.empty(K))
    grads = (np.empty_like(alphas), np.empty_like(means), np.empty_like(icf))

    def gmm_hand_grad(alphas, means, icf, x, gamma, m):
        gmm_hand(alphas, means, icf, x, gamma, m, *scratch, *grads)
        return grads
    return gmm_hand_grad


# --------------------------------------------------------------------------- JAX

def jax(jax, jnp, lax):
    from jax.scipy.special import gammaln, logsumexp as jlse

    def parts(icf, d):
        rows, cols = np.tril_indices(d, -1)
        order = np.lexsort((rows, cols))        # column by column, as ADBench stores it
        rows, cols = rows[order], cols[order]
        K = icf.shape[0]
        Ls = jnp.zeros((K, d, d)).at[:, rows, cols].set(icf[:, d:])
        return jnp.exp(icf[:, :d]), jnp.sum(icf[:, :d], axis=1), Ls

    def rest(alphas, icf, Qdiags, sum_qs, n, d, gamma, m):
        K = alphas.shape[0]
        nw = d + m + 1
        c = nw * d * (jnp.log(gamma) - 0.5 * jnp.log(2.0)) - (
            0.25 * d * (d - 1) * jnp.log(jnp.pi) + jnp.sum(gammaln(0.5 * nw + 0.5 * (1 - jnp.arange(1, d + 1)))))
        frob = jnp.sum(Qdiags ** 2, axis=1) + jnp.sum(icf[:, d:] ** 2, axis=1)
        prior = jnp.sum(0.5 * gamma * gamma * frob - m * sum_qs) - K * c
        return -n * d * 0.5 * jnp.log(2.0 * jnp.pi) - n * jlse(alphas) + prior

    def gmm_scan(alphas, means, icf, x, gamma, m):
        n, d = x.shape
        Qdiags, sum_qs, Ls = parts(icf, d)

        def point(slse, xi):
            xc = xi[None, :] - means                                   # K x d
            Qxc = Qdiags * xc + jnp.einsum("kij,kj->ki", Ls, xc)
            mt = alphas + sum_qs - 0.5 * jnp.sum(Qxc ** 2, axis=1)
            return slse + jlse(mt), None
        slse, _ = lax.scan(point, 0.0, x)
        return slse + rest(alphas, icf, Qdiags, sum_qs, n, d, gamma, m)

    def gmm_vec(alphas, means, icf, x, gamma, m):
        n, d = x.shape
        Qdiags, sum_qs, Ls = parts(icf, d)
        xc = x[:, None, :] - means[None, :, :]                          # n x K x d
        Qxc = Qdiags[None] * xc + jnp.einsum("kij,nkj->nki", Ls, xc)
        mt = alphas[None] + sum_qs[None] - 0.5 * jnp.sum(Qxc ** 2, axis=2)
        return jnp.sum(jlse(mt, axis=1)) + rest(alphas, icf, Qdiags, sum_qs, n, d, gamma, m)

    return {"lax.scan over points, vectorised over K and d": JaxCase(gmm_scan, static=(5,)),
            "vectorised (n x K x d), as ADBench's JAX/PyTorch versions": JaxCase(gmm_vec, static=(5,))}


KERNELS = [Kernel(
    name="gmm", title="ADBench GMM objective", primal=gmm_objective, wrt=(0, 1, 2),
    wrt_names=("alphas", "means", "icf"), args=args, size_text=size_text, hand=hand, jax=jax,
    hand_note="per point: forward over the K components into K x d scratch, then one reverse "
              "pass weighted by softmax(main_term); no storage across points; scratch and "
              "gradient buffers allocated once",
    jax_note="`lax.scan` over the points with each step vectorised over K and d; and the "
             "fully vectorised n x K x d form of ADBench's tensor frameworks",
)]
