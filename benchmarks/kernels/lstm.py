"""ADBench's LSTM objective (`src/cpp/shared/lstm.h`): diagonal weights, l = 4 layers,
c = 4096 characters, b = 14 bits (ADBench's largest configuration), written with explicit loops
over the bits as in the C++; gradient with respect to main_params and extra_params.

Layouts as ADBench's flat arrays, made 2-D: main_params[2 l] are layer l's weights and
main_params[2 l + 1] its biases, each 4 b long (forget, ingate, outgate, change);
extra_params = (input weight, output weight, output bias); state[2 l] is layer l's hidden
state and state[2 l + 1] its cell; sequence is c x b.
"""
import math

import numba
import numpy as np

from kernels import JaxCase, Kernel

SIZES = {"full": (4, 4096, 14), "quick": (2, 256, 14), "small": (2, 4, 3)}


@numba.njit
def sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def lstm_objective(main_params, extra_params, state, sequence):
    nl = main_params.shape[0] // 2
    c = sequence.shape[0]
    b = sequence.shape[1]
    s = state.copy()
    x = np.empty(b)
    ypred = np.empty(b)
    total = 0.0
    for t in range(c - 1):
        for j in range(b):
            x[j] = sequence[t, j] * extra_params[0, j]
        for layer in range(nl):
            w = 2 * layer
            for j in range(b):
                forget = sigmoid(x[j] * main_params[w, j] + main_params[w + 1, j])
                ingate = sigmoid(s[w, j] * main_params[w, b + j] + main_params[w + 1, b + j])
                outgate = sigmoid(x[j] * main_params[w, 2 * b + j] + main_params[w + 1, 2 * b + j])
                change = math.tanh(s[w, j] * main_params[w, 3 * b + j] + main_params[w + 1, 3 * b + j])
                s[w + 1, j] = s[w + 1, j] * forget + ingate * change
                s[w, j] = outgate * math.tanh(s[w + 1, j])
                x[j] = s[w, j]
        for j in range(b):
            ypred[j] = x[j] * extra_params[1, j] + extra_params[2, j]
        se = 0.0
        for j in range(b):
            se += math.exp(ypred[j])
        lse = math.log(se + 2.0)
        for j in range(b):
            total += sequence[t + 1, j] * (ypred[j] - lse)
    return -total / ((c - 1) * b)


def args(size):
    nl, c, b = SIZES[size]
    rng = np.random.default_rng(7)
    main_params = rng.uniform(-1.0, 1.0, (2 * nl, 4 * b))
    extra_params = rng.uniform(-1.0, 1.0, (3, b))
    state = rng.uniform(-1.0, 1.0, (2 * nl, b))
    sequence = rng.uniform(-1.0, 1.0, (c, b))
    return (main_params, extra_params, state, sequence)


def size_text(size):
    nl, c, b = SIZES[size]
    return f"l = {nl} layers, c = {c:,} characters, b = {b}"


# --------------------------------------------------------------------------- hand-written adjoint
# Forward: per step, layer and bit, store what the reverse step needs: the layer's input, the
# hidden state and cell before the update, the four gates and tanh of the new cell (8 floats,
# 64 bytes), plus the top layer's output per step and bit. Storing the gates was measured to be
# faster here than storing 3 floats and recomputing the 5 transcendental functions in the
# reverse loop (27 ms against 42 ms at full size). Reverse: one fused loop per (step, layer).

@numba.njit
def lstm_hand(main_params, extra_params, state, sequence, tape, xtop, s, x, dh, dc, gmain, gextra):
    nl = main_params.shape[0] // 2
    c = sequence.shape[0]
    b = sequence.shape[1]
    s[:, :] = state
    total = 0.0
    for t in range(c - 1):
        for j in range(b):
            x[j] = sequence[t, j] * extra_params[0, j]
        for layer in range(nl):
            w = 2 * layer
            for j in range(b):
                xj = x[j]
                h = s[w, j]
                cl = s[w + 1, j]
                forget = 1.0 / (1.0 + math.exp(-(xj * main_params[w, j] + main_params[w + 1, j])))
                ingate = 1.0 / (1.0 + math.exp(-(h * main_params[w, b + j] + main_params[w + 1, b + j])))
                outgate = 1.0 / (1.0 + math.exp(-(xj * main_params[w, 2 * b + j] + main_params[w + 1, 2 * b + j])))
                change = math.tanh(h * main_params[w, 3 * b + j] + main_params[w + 1, 3 * b + j])
                cn = cl * forget + ingate * change
                tc = math.tanh(cn)
                h = outgate * tc
                tp = tape[t, layer, j]
                tp[0] = xj
                tp[1] = s[w, j]
                tp[2] = cl
                tp[3] = forget
                tp[4] = ingate
                tp[5] = outgate
                tp[6] = change
                tp[7] = tc
                s[w + 1, j] = cn
                s[w, j] = h
                x[j] = h
        se = 0.0
        for j in range(b):
            xtop[t, j] = x[j]
            se += math.exp(x[j] * extra_params[1, j] + extra_params[2, j])
        lse = math.log(se + 2.0)
        for j in range(b):
            total += sequence[t + 1, j] * (x[j] * extra_params[1, j] + extra_params[2, j] - lse)
    scale = -1.0 / ((c - 1) * b)
    gmain[:, :] = 0.0
    gextra[:, :] = 0.0
    dh[:, :] = 0.0
    dc[:, :] = 0.0
    for t in range(c - 2, -1, -1):
        se = 0.0
        ysum = 0.0
        for j in range(b):
            se += math.exp(xtop[t, j] * extra_params[1, j] + extra_params[2, j])
            ysum += sequence[t + 1, j]
        for j in range(b):
            yp = xtop[t, j] * extra_params[1, j] + extra_params[2, j]
            dy = scale * (sequence[t + 1, j] - ysum * math.exp(yp) / (se + 2.0))
            gextra[1, j] += dy * xtop[t, j]
            gextra[2, j] += dy
            x[j] = dy * extra_params[1, j]          # adjoint of the top layer's output
        for layer in range(nl - 1, -1, -1):
            w = 2 * layer
            for j in range(b):
                tp = tape[t, layer, j]
                xj, h, cl = tp[0], tp[1], tp[2]
                forget, ingate, outgate, change, tc = tp[3], tp[4], tp[5], tp[6], tp[7]
                dhn = x[j] + dh[layer, j]
                dcn = dc[layer, j] + dhn * outgate * (1.0 - tc * tc)
                dzf = dcn * cl * forget * (1.0 - forget)
                dzi = dcn * change * ingate * (1.0 - ingate)
                dzo = dhn * tc * outgate * (1.0 - outgate)
                dzc = dcn * ingate * (1.0 - change * change)
                dc[layer, j] = dcn * forget
                gmain[w, j] += dzf * xj
                gmain[w + 1, j] += dzf
                gmain[w, b + j] += dzi * h
                gmain[w + 1, b + j] += dzi
                gmain[w, 2 * b + j] += dzo * xj
                gmain[w + 1, 2 * b + j] += dzo
                gmain[w, 3 * b + j] += dzc * h
                gmain[w + 1, 3 * b + j] += dzc
                dh[layer, j] = dzi * main_params[w, b + j] + dzc * main_params[w, 3 * b + j]
                x[j] = dzf * main_params[w, j] + dzo * main_params[w, 2 * b + j]   # to the layer below
        for j in range(b):
            gextra[0, j] += x[j] * sequence[t, j]
    return scale * total


def hand(args):
    main_params, extra_params, state, sequence = args
    nl = main_params.shape[0] // 2
    c, b = sequence.shape
    bufs = (np.empty((c, nl, b, 8)), np.empty((c, b)), np.empty_like(state), np.empty(b),
            np.empty((nl, b)), np.empty((nl, b)))
    grads = (np.empty_like(main_params), np.empty_like(extra_params))

    def lstm_hand_grad(main_params, extra_params, state, sequence):
        lstm_hand(main_params, extra_params, state, sequence, *bufs, *grads)
        return grads
    return lstm_hand_grad


def jax(jax, jnp, lax):
    def lstm_jax(main_params, extra_params, state, sequence):
        nl = main_params.shape[0] // 2
        c, b = sequence.shape

        def step(s, t2):
            xt, ygold = t2
            x = xt * extra_params[0]
            hs = []
            for layer in range(nl):
                wgt, bias = main_params[2 * layer], main_params[2 * layer + 1]
                h, cl = s[2 * layer], s[2 * layer + 1]
                forget = jax.nn.sigmoid(x * wgt[:b] + bias[:b])
                ingate = jax.nn.sigmoid(h * wgt[b:2 * b] + bias[b:2 * b])
                outgate = jax.nn.sigmoid(x * wgt[2 * b:3 * b] + bias[2 * b:3 * b])
                change = jnp.tanh(h * wgt[3 * b:] + bias[3 * b:])
                cl = cl * forget + ingate * change
                h = outgate * jnp.tanh(cl)
                hs += [h, cl]
                x = h
            ypred = x * extra_params[1] + extra_params[2]
            lse = jnp.log(jnp.sum(jnp.exp(ypred)) + 2.0)
            return jnp.stack(hs), jnp.sum(ygold * (ypred - lse))
        _, terms = lax.scan(step, state, (sequence[:-1], sequence[1:]))
        return -jnp.sum(terms) / ((c - 1) * b)
    return {"lax.scan over characters, layers unrolled, vectorised over bits": JaxCase(lstm_jax)}


KERNELS = [Kernel(
    name="lstm", title="ADBench LSTM objective", primal=lstm_objective, wrt=(0, 1),
    wrt_names=("main_params", "extra_params"), args=args, size_text=size_text, hand=hand, jax=jax,
    tape_per=lambda a: ((a[3].shape[0] - 1) * (a[0].shape[0] // 2) * a[3].shape[1], "cell update"),
    hand_note="stores input, hidden, cell, the four gates and tanh(cell) per cell update "
              "(64 bytes) plus the top output; one fused reverse loop per step and layer; "
              "buffers allocated once",
    jax_note="`lax.scan` over the characters, the layers a Python loop, each cell update "
             "vectorised over the b bits",
)]
