"""Helpers the generated code calls, usable both in plain Python and inside Numba code.

Tapes are preallocated NumPy arrays, reused between calls: the caller hands them in and
gets them back. Growth is geometric, so a tape that must grow inside compiled code does so
O(log n) times, and only on the first call with a larger problem.

`unbroadcast`, `dot_adjoint_*`, `push_array`, `pop_array*` are plain Python functions with
a Numba `overload` each, so the same name works in both modes.
"""
import numba
import numpy as np
from numba import types
from numba.extending import overload, register_jitable


def reserve(tape, needed):
    """`tape`, or a copy at least twice as large, so that indices below `needed` are valid."""
    if needed <= tape.shape[0]:
        return tape
    grown = np.empty(max(needed, 2 * tape.shape[0], 64), dtype=tape.dtype)
    for k in range(tape.shape[0]):       # an element loop: Numba compiles a slice copy ~8x slower
        grown[k] = tape[k]
    return grown


# --------------------------------------------------------------------------- broadcasting
def unbroadcast(c, like):
    """Sum the adjoint contribution `c` down to the shape of `like` (undoing broadcasting)."""
    if np.ndim(like) == 0:
        return np.sum(c)
    if np.ndim(c) == 0:
        return np.zeros_like(like) + c
    c = np.asarray(c)
    while c.ndim > like.ndim:
        c = c.sum(axis=0)
    for axis in range(c.ndim):
        if like.shape[axis] == 1 and c.shape[axis] != 1:
            c = c.sum(axis=axis, keepdims=True)
    return c


@overload(unbroadcast)
def _unbroadcast(c, like):
    if isinstance(like, types.Number):
        if isinstance(c, types.Array):
            return lambda c, like: np.sum(c)
        return lambda c, like: c
    if isinstance(c, types.Number):
        return lambda c, like: np.zeros_like(like) + c
    if like.ndim == 1 and c.ndim == 1:
        def one(c, like):
            if like.shape[0] == 1 and c.shape[0] != 1:
                return np.full(1, np.sum(c))
            return np.ascontiguousarray(c)
        return one
    if like.ndim == 1 and c.ndim == 2:
        def two_to_one(c, like):
            s = np.sum(c, axis=0)
            if like.shape[0] == 1 and s.shape[0] != 1:
                return np.full(1, np.sum(s))
            return s
        return two_to_one
    if like.ndim == 2 and c.ndim == 2:
        def two(c, like):
            out = np.ascontiguousarray(c)
            if like.shape[0] == 1 and out.shape[0] != 1:
                out = np.sum(out, axis=0).reshape((1, out.shape[1]))
            if like.shape[1] == 1 and out.shape[1] != 1:
                out = np.sum(out, axis=1).reshape((out.shape[0], 1))
            return out
        return two
    if like.ndim <= c.ndim:
        return _unbroadcast_any(c.ndim - like.ndim)
    return None


def _unbroadcast_any(lead):
    """Numba: unbroadcast for arrays of any ndim (a loop over the elements of c)."""
    def summed(c, like):
        out = np.zeros(like.shape)
        flat = out.reshape(out.size)
        strides = np.empty(like.ndim, np.int64)
        step = 1
        for axis in range(like.ndim - 1, -1, -1):
            strides[axis] = step
            step *= like.shape[axis]
        for index in np.ndindex(c.shape):
            position = 0
            for axis in range(like.ndim):
                if like.shape[axis] != 1:
                    position += index[lead + axis] * strides[axis]
            flat[position] += c[index]
        return out

    if lead > 0:
        return summed
    summed = numba.njit(summed)

    def same_ndim(c, like):
        if c.shape == like.shape:
            return np.ascontiguousarray(c)
        return summed(c, like)
    return same_ndim


# --------------------------------------------------------------------------- np.dot and @
def dot_adjoint_a(g, a, b):
    """Adjoint contribution of `a @ b` (or np.dot) to `a`."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if a.ndim == 2 and b.ndim == 1:
        return np.outer(g, b)
    if a.ndim == 1 and b.ndim == 2:
        return np.dot(b, g)
    return np.dot(g, b.T)


def dot_adjoint_b(g, a, b):
    """Adjoint contribution of `a @ b` (or np.dot) to `b`."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 2 and b.ndim == 1:
        return np.dot(a.T, g)
    if a.ndim == 1 and b.ndim == 2:
        return np.outer(a, g)
    return np.dot(a.T, g)


@overload(dot_adjoint_a)
def _dot_adjoint_a(g, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return lambda g, a, b: g * b
    if a.ndim == 2 and b.ndim == 1:
        return lambda g, a, b: np.outer(g, b)
    if a.ndim == 1 and b.ndim == 2:
        return lambda g, a, b: np.dot(np.ascontiguousarray(b), np.ascontiguousarray(g))
    return lambda g, a, b: np.dot(np.ascontiguousarray(g), np.ascontiguousarray(b.T))


@overload(dot_adjoint_b)
def _dot_adjoint_b(g, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return lambda g, a, b: g * a
    if a.ndim == 2 and b.ndim == 1:
        return lambda g, a, b: np.dot(np.ascontiguousarray(a.T), np.ascontiguousarray(g))
    if a.ndim == 1 and b.ndim == 2:
        return lambda g, a, b: np.outer(a, g)
    return lambda g, a, b: np.dot(np.ascontiguousarray(a.T), np.ascontiguousarray(g))


# --------------------------------------------------------------------------- arrays on the float tape
def push_array(tape, top, value, headroom=0):
    """Save a copy of array `value` and its shape on the float tape; returns (tape, top).

    The tape keeps room for `headroom` more pushes after it: those the enclosing code has
    reserved room for and not yet made (see `ReverseTransform.reserve`)."""
    tape = reserve(tape, top + value.size + value.ndim + headroom)
    tape[top:top + value.size] = value.ravel()
    top += value.size
    for axis in range(value.ndim):
        tape[top] = value.shape[axis]
        top += 1
    return tape, top


@overload(push_array)
def _push_array(tape, top, value, headroom=0):
    ndim = value.ndim

    def impl(tape, top, value, headroom=0):
        tape = _reserve_compiled(tape, top + value.size + ndim + headroom)
        tape[top:top + value.size] = np.ascontiguousarray(value).ravel()
        top += value.size
        for axis in range(ndim):
            tape[top] = value.shape[axis]
            top += 1
        return tape, top
    return impl


def pop_array1(tape, top):
    """Restore a 1-D array saved by push_array; returns (array, top)."""
    n = int(tape[top - 1])
    top -= 1 + n
    return tape[top:top + n].copy(), top


def pop_array2(tape, top):
    """Restore a 2-D array saved by push_array; returns (array, top)."""
    m, n = int(tape[top - 2]), int(tape[top - 1])
    top -= 2 + m * n
    return tape[top:top + m * n].reshape((m, n)).copy(), top


def restore_array1(tape, top, out):
    """Copy a 1-D array saved by push_array back into `out`, in place; returns top.
    (A work array restored this way is not allocated again each time it is restored.)"""
    n = out.shape[0]
    top -= 1 + n
    for k in range(n):
        out[k] = tape[top + k]
    return top


def restore_array2(tape, top, out):
    """Copy a 2-D array saved by push_array back into `out`, in place; returns top."""
    m, n = out.shape
    top -= 2 + m * n
    for a in range(m):
        for b in range(n):
            out[a, b] = tape[top + a * n + b]
    return top


# --------------------------------------------------------------------------- products
def unsort(g, x):
    """The adjoint of `np.sort(x)` (1-D): `g[k]` goes back to where the k-th smallest came from."""
    order = np.argsort(x)
    out = np.empty_like(g)
    for k in range(order.shape[0]):
        out[order[k]] = g[k]
    return out


def cumsum_adjoint(g, x):
    """The adjoint of `np.cumsum(x)` (flattened): a cumulative sum from the end, shaped like x."""
    out = np.empty(g.shape[0])
    running = 0.0
    for k in range(g.shape[0] - 1, -1, -1):
        running += g[k]
        out[k] = running
    return out.reshape(x.shape)


def diff_adjoint(g):
    """The adjoint of `np.diff(x)` (1-D): d[i] = x[i + 1] - x[i]."""
    out = np.zeros(g.shape[0] + 1)
    for i in range(g.shape[0]):
        out[i + 1] += g[i]
        out[i] -= g[i]
    return out


def prod_of_others(x):
    """out[i] = the product of every element of x but x[i] (the derivative of np.prod),
    exact where x has zeros (unlike np.prod(x) / x)."""
    flat = np.asarray(x, dtype=np.float64).ravel()
    before = np.concatenate((np.ones(1), np.cumprod(flat[:-1])))
    after = np.concatenate((np.cumprod(flat[::-1][:-1])[::-1], np.ones(1)))
    return (before * after)[:flat.shape[0]].reshape(np.shape(x))


def _prod_of_others_loop(x):
    flat = x.ravel()
    n = flat.shape[0]
    out = np.empty(n)
    running = 1.0
    for i in range(n):
        out[i] = running
        running *= flat[i]
    running = 1.0
    for i in range(n - 1, -1, -1):
        out[i] *= running
        running *= flat[i]
    return out.reshape(x.shape)


_reserve_compiled = numba.njit(cache=True)(reserve)
PYTHON = {"reserve": reserve, "unbroadcast": unbroadcast, "dot_adjoint_a": dot_adjoint_a,
          "dot_adjoint_b": dot_adjoint_b, "push_array": push_array, "pop_array1": pop_array1,
          "pop_array2": pop_array2, "prod_of_others": prod_of_others, "unsort": unsort,
          "diff_adjoint": diff_adjoint, "cumsum_adjoint": cumsum_adjoint,
          "restore_array1": restore_array1, "restore_array2": restore_array2}
COMPILED = dict(PYTHON, reserve=_reserve_compiled, pop_array1=numba.njit(cache=True)(pop_array1),
                pop_array2=numba.njit(cache=True)(pop_array2), unsort=numba.njit(cache=True)(unsort),
                diff_adjoint=numba.njit(cache=True)(diff_adjoint),
                cumsum_adjoint=numba.njit(cache=True)(cumsum_adjoint),
                prod_of_others=numba.njit(cache=True)(_prod_of_others_loop),
                restore_array1=numba.njit(cache=True)(restore_array1),
                restore_array2=numba.njit(cache=True)(restore_array2))
NAMES = tuple(PYTHON)


# =========================================================================== NumPy coverage
# Helpers of the rules for indexing, joining, interpolation and linear algebra. Each exists as
# a plain Python function (jit=False) and a Numba version (jit=True) of the same name.

# --------------------------------------------------------------------------- arrays of any ndim on a tape
def _make_pop(ndim, dtype):
    def pop(tape, top):
        shape = tuple(int(tape[top - ndim + axis]) for axis in range(ndim))
        size = 1
        for n in shape:
            size *= n
        top -= ndim + size
        return tape[top:top + size].astype(dtype).reshape(shape), top
    pop.__name__ = pop.__qualname__ = _pop_name(ndim, dtype)
    pop.__doc__ = f"Restore a {ndim}-D {np.dtype(dtype).name} array saved by push_array; returns (array, top)."
    return pop


def _make_pop_compiled(ndim, dtype):
    from numba.np.unsafe.ndarray import to_fixed_tuple

    def pop(tape, top):
        dims = np.empty(ndim, np.int64)
        size = 1
        for axis in range(ndim):
            dims[axis] = tape[top - ndim + axis]
            size *= dims[axis]
        top -= ndim + size
        out = np.empty(size, dtype)
        for k in range(size):
            out[k] = tape[top + k]
        return out.reshape(to_fixed_tuple(dims, ndim)), top
    return numba.njit(pop)


def _pop_name(ndim, dtype):
    prefix = {np.float64: "pop_array", np.int64: "pop_int_array", np.bool_: "pop_bool_array"}[dtype]
    return f"{prefix}{ndim}"


MAX_TAPE_NDIM = 8
_POPS_PYTHON, _POPS_COMPILED = {}, {}
for _dtype in (np.float64, np.int64, np.bool_):
    for _ndim in range(1, MAX_TAPE_NDIM + 1):
        if _dtype is np.float64 and _ndim <= 2:
            continue                      # pop_array1, pop_array2 above
        _POPS_PYTHON[_pop_name(_ndim, _dtype)] = _make_pop(_ndim, _dtype)
        _POPS_COMPILED[_pop_name(_ndim, _dtype)] = _make_pop_compiled(_ndim, _dtype)


def pop_name(ndim, kind):
    """Name of the helper restoring an array of this ndim and kind ("f", "i", "b") from its tape."""
    return _pop_name(ndim, {"f": np.float64, "i": np.int64, "b": np.bool_}[kind])


# --------------------------------------------------------------------------- integer-array indexing
def scatter_add(target, index, values):
    """target[index] += values with np.add.at semantics: repeated indices accumulate.
    The adjoint of the gather `y = x[index]`."""
    np.add.at(target, index, values)


def _scatter_add_any(target, index, values):
    # flat positions of the gathered elements, found by gathering from an array of positions
    positions = np.arange(target.size).reshape(target.shape)[index].ravel()
    flat_values = np.ascontiguousarray(values).ravel()
    total = np.zeros(target.size)
    for k in range(positions.shape[0]):
        total[positions[k]] += flat_values[k]
    target += total.reshape(target.shape)


@overload(scatter_add)
def _scatter_add(target, index, values):
    if isinstance(index, types.Array) and index.ndim == 1 and isinstance(index.dtype, types.Integer):
        def rows(target, index, values):
            n = target.shape[0]
            for k in range(index.shape[0]):
                i = index[k]
                target[i if i >= 0 else i + n] += values[k]
        return rows
    return _scatter_add_any


@register_jitable
def stored_adjoint(adjoint, index):
    """The adjoint reaching `v` from the store `x[index] = v` (or `x[index] += v`): adjoint[index],
    where an index repeats only its last occurrence (the one whose value is stored), 0 elsewhere."""
    positions = np.arange(adjoint.size).reshape(adjoint.shape)[index]
    flat_positions = positions.ravel()
    flat_adjoint = np.ascontiguousarray(adjoint).ravel()
    out = np.zeros(flat_positions.shape[0])
    seen = np.zeros(adjoint.size, dtype=np.bool_)
    for k in range(flat_positions.shape[0] - 1, -1, -1):
        p = flat_positions[k]
        if not seen[p]:
            seen[p] = True
            out[k] = flat_adjoint[p]
    return out.reshape(positions.shape)


# --------------------------------------------------------------------------- np.concatenate, np.hstack, np.vstack
def concatenate_piece(g, before, part, axis=0):
    """The part of g (the adjoint of np.concatenate((*before, part, ...), axis)) that came from `part`."""
    axis = axis % g.ndim
    start = sum(p.shape[axis] for p in before)
    index = [slice(None)] * g.ndim
    index[axis] = slice(start, start + part.shape[axis])
    return g[tuple(index)]


def hstack_piece(g, before, part):
    """The part of g (the adjoint of np.hstack((*before, part, ...))) that came from `part`."""
    return concatenate_piece(g, before, part, 0 if part.ndim == 1 else 1)


def vstack_piece(g, before, part):
    """The part of g (the adjoint of np.vstack((*before, part, ...))) that came from `part`;
    a 1-D part was one row."""
    start = sum(p.shape[0] if p.ndim > 1 else 1 for p in before)
    rows = part.shape[0] if part.ndim > 1 else 1
    return g[start:start + rows].reshape(part.shape)


def _slice_along(g, axis, start, stop):
    """Numba: g[start:stop] along `axis` (0 or 1)."""


@overload(_slice_along)
def _slice_along_impl(g, axis, start, stop):
    if g.ndim == 1:
        return lambda g, axis, start, stop: g[start:stop]

    def impl(g, axis, start, stop):
        if axis == 0:
            return g[start:stop]
        return g[:, start:stop]
    return impl


def _size_before(before, axis, rows):
    """Numba: the total size along `axis` of the arrays of tuple `before` (1-D arrays count 1 if `rows`)."""


@register_jitable
def _extent(p, axis, rows):
    return 1 if rows and p.ndim == 1 else p.shape[axis]


@overload(_size_before)
def _size_before_impl(before, axis, rows):
    # the tuple may mix layouts (a slice and a fresh array): sum its elements one by one
    terms = " + ".join(f"_extent(before[{k}], axis, rows)" for k in range(len(before))) or "0"
    namespace = {"_extent": _extent}
    exec(f"def impl(before, axis, rows):\n    return {terms}\n", namespace)
    return namespace["impl"]


@overload(concatenate_piece)
def _concatenate_piece(g, before, part, axis=0):
    if g.ndim > 2:
        return None

    def impl(g, before, part, axis=0):
        a = axis % g.ndim
        start = _size_before(before, a, False)
        return _slice_along(g, a, start, start + part.shape[a])
    return impl


@overload(hstack_piece)
def _hstack_piece(g, before, part):
    if g.ndim > 2:
        return None
    axis = 0 if part.ndim == 1 else 1

    def impl(g, before, part):
        start = _size_before(before, axis, False)
        return _slice_along(g, axis, start, start + part.shape[axis])
    return impl


@overload(vstack_piece)
def _vstack_piece(g, before, part):
    if part.ndim == 1:
        def row(g, before, part):
            return g[_size_before(before, 0, True)]
        return row

    def rows(g, before, part):
        start = _size_before(before, 0, True)
        return g[start:start + part.shape[0]]
    return rows


# --------------------------------------------------------------------------- np.diag
def diag_adjoint(g, x, k=0):
    """The adjoint of np.diag(x, k): the diagonal k of g for a vector x; for a matrix x, an array
    shaped like x holding g on its diagonal k."""
    if x.ndim == 1:
        return np.diag(g, k)
    out = np.zeros(x.shape)
    for i in range(g.shape[0]):
        out[i - min(k, 0), i + max(k, 0)] = g[i]
    return out


@overload(diag_adjoint)
def _diag_adjoint(g, x, k=0):
    if x.ndim == 1:
        return lambda g, x, k=0: np.diag(g, k)

    def matrix(g, x, k=0):
        out = np.zeros(x.shape)
        for i in range(g.shape[0]):
            out[i - min(k, 0), i + max(k, 0)] = g[i]
        return out
    return matrix


# --------------------------------------------------------------------------- np.interp
@register_jitable
def _segment(x, xp):
    """(j, w): x lies in [xp[j], xp[j + 1]] at fraction w (clamped to the end segments)."""
    n = xp.shape[0]
    j = np.searchsorted(xp, x, side="right") - 1
    j = min(max(j, 0), n - 2)
    return j, (x - xp[j]) / (xp[j + 1] - xp[j])


@register_jitable
def _interp_slope_scalar(x, xp, fp):
    n = xp.shape[0]
    if n < 2 or x < xp[0] or x > xp[n - 1]:
        return 0.0                         # np.interp is constant outside [xp[0], xp[-1]]
    j, _ = _segment(x, xp)
    return (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])


@register_jitable
def _interp_fp_accumulate(out, g, x, xp):
    n = xp.shape[0]
    if x <= xp[0]:
        out[0] += g
    elif x >= xp[n - 1]:
        out[n - 1] += g
    else:
        j, w = _segment(x, xp)
        out[j] += g * (1.0 - w)
        out[j + 1] += g * w


def interp_slope(x, xp, fp):
    """d np.interp(x, xp, fp) / dx, elementwise: the slope of the segment x lies in (0 outside)."""
    if np.ndim(x) == 0:
        return _interp_slope_scalar(x, xp, fp)
    flat = np.ravel(x)
    return np.array([_interp_slope_scalar(v, xp, fp) for v in flat]).reshape(np.shape(x))


def interp_fp_adjoint(g, x, xp, fp):
    """The adjoint of np.interp(x, xp, fp) with respect to fp: each x sends its g to the two ends
    of its segment, weighted as it interpolated them."""
    out = np.zeros(fp.shape[0])
    xs = np.ravel(x)
    gs = np.ravel(np.zeros(np.shape(x)) + g)
    for k in range(xs.shape[0]):
        _interp_fp_accumulate(out, gs[k], xs[k], xp)
    return out


@overload(interp_slope)
def _interp_slope(x, xp, fp):
    if isinstance(x, types.Number):
        return lambda x, xp, fp: _interp_slope_scalar(x, xp, fp)

    def impl(x, xp, fp):
        flat = np.ascontiguousarray(x).ravel()
        out = np.empty(flat.shape[0])
        for k in range(flat.shape[0]):
            out[k] = _interp_slope_scalar(flat[k], xp, fp)
        return out.reshape(x.shape)
    return impl


@overload(interp_fp_adjoint)
def _interp_fp_adjoint(g, x, xp, fp):
    if isinstance(x, types.Number):
        def scalar(g, x, xp, fp):
            out = np.zeros(fp.shape[0])
            _interp_fp_accumulate(out, g, x, xp)
            return out
        return scalar

    def impl(g, x, xp, fp):
        out = np.zeros(fp.shape[0])
        xs = np.ascontiguousarray(x).ravel()
        gs = (np.zeros(x.shape) + g).ravel()
        for k in range(xs.shape[0]):
            _interp_fp_accumulate(out, gs[k], xs[k], xp)
        return out
    return impl


# --------------------------------------------------------------------------- np.linalg
def norm_adjoint(g, ans, x, ord=None):
    """The adjoint of np.linalg.norm(x, ord) (no axis): the vector 2-norm and the matrix
    Frobenius norm (ord None, 2 for vectors, 'fro'), the vector 1-norm, the matrix 2-norm."""
    if ord is None or (ord == 2 and x.ndim == 1) or (isinstance(ord, str) and ord == "fro" and x.ndim == 2):
        return g * x / ans
    if ord == 1 and x.ndim == 1:
        return g * np.sign(x)
    if ord == 2 and x.ndim == 2:
        u, s, vt = np.linalg.svd(x)
        return g * np.outer(u[:, 0], vt[0])
    raise ValueError("s2sad differentiates np.linalg.norm for ord=None, 'fro', 2 and (vectors) 1 only")


@overload(norm_adjoint)
def _norm_adjoint(g, ans, x, ord=None):
    if ord is None or isinstance(ord, (types.NoneType, types.Omitted)):
        return lambda g, ans, x, ord=None: g * x / ans
    if isinstance(ord, (types.UnicodeType, types.StringLiteral)):
        def fro(g, ans, x, ord=None):
            if ord != "fro" or x.ndim != 2:
                raise ValueError("s2sad differentiates np.linalg.norm for ord=None, 'fro', 2 and 1 only")
            return g * x / ans
        return fro
    if x.ndim == 1:
        def vector(g, ans, x, ord=None):
            if ord == 2:
                return g * x / ans
            if ord == 1:
                return g * np.sign(x)
            raise ValueError("s2sad differentiates np.linalg.norm of vectors for ord=None, 2 and 1 only")
        return vector

    def matrix(g, ans, x, ord=None):
        if ord != 2:
            raise ValueError("s2sad differentiates np.linalg.norm of matrices for ord=None, 'fro' and 2 only")
        u, s, vt = np.linalg.svd(np.ascontiguousarray(x))
        return g * np.outer(u[:, 0], vt[0])
    return matrix


@register_jitable
def _lower_half(m):
    """Φ(m): the lower triangle of m with its diagonal halved."""
    out = np.tril(m)
    for i in range(m.shape[0]):
        out[i, i] *= 0.5
    return out


@register_jitable
def cholesky_adjoint(g, chol):
    """The adjoint of L = np.linalg.cholesky(a) with respect to `a` (np.linalg.cholesky reads
    only the lower triangle of `a`: the upper one gets no adjoint). With S = L^-T Φ(L^T g) L^-1,
    a symmetric change dA changes the result's pairing with g by <S, dA>."""
    lt = np.ascontiguousarray(chol.T)
    phi = _lower_half(np.dot(lt, np.ascontiguousarray(g)))
    left = np.linalg.solve(lt, phi)                                        # L^-T Φ
    s = np.ascontiguousarray(np.linalg.solve(lt, np.ascontiguousarray(left.T)).T)   # L^-T Φ L^-1
    both = np.tril(s + s.T)
    for i in range(s.shape[0]):
        both[i, i] = s[i, i]
    return both


@register_jitable
def cholesky_tangent(t, chol):
    """The tangent of L = np.linalg.cholesky(a) along t (of which only the lower triangle counts):
    L Φ(L^-1 dA L^-T), dA the symmetric matrix with t's lower triangle."""
    lower = np.tril(t)
    da = lower + np.tril(t, -1).T
    left = np.linalg.solve(chol, np.ascontiguousarray(da))                     # L^-1 dA
    inner = np.linalg.solve(chol, np.ascontiguousarray(left.T)).T              # L^-1 dA L^-T
    return np.dot(chol, _lower_half(np.ascontiguousarray(inner)))


# --------------------------------------------------------------------------- math.gamma, math.lgamma
@register_jitable
def digamma(x):
    """ψ(x) = d log Γ(x) / dx, for the derivatives of math.lgamma and math.gamma."""
    result = 0.0
    if x <= 0.0 and x == np.floor(x):
        return np.nan
    if x < 0.0:                            # reflection: ψ(x) = ψ(1 - x) - π / tan(π x)
        result -= np.pi / np.tan(np.pi * x)
        x = 1.0 - x
    while x < 10.0:                        # recurrence: ψ(x) = ψ(x + 1) - 1 / x
        result -= 1.0 / x
        x += 1.0
    f = 1.0 / (x * x)                      # asymptotic series
    series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))))
    return result + np.log(x) - 0.5 / x - series


_NUMPY_PYTHON = {
    "scatter_add": scatter_add, "stored_adjoint": stored_adjoint,
    "concatenate_piece": concatenate_piece, "hstack_piece": hstack_piece, "vstack_piece": vstack_piece,
    "diag_adjoint": diag_adjoint, "interp_slope": interp_slope, "interp_fp_adjoint": interp_fp_adjoint,
    "norm_adjoint": norm_adjoint,
    "cholesky_adjoint": cholesky_adjoint, "cholesky_tangent": cholesky_tangent, "digamma": digamma,
}
_NUMPY_PYTHON.update(_POPS_PYTHON)
# the Python functions above are callable from Numba code: through their overloads, or
# (register_jitable) compiled from their own source
_NUMPY_COMPILED = dict(_NUMPY_PYTHON)
_NUMPY_COMPILED.update(_POPS_COMPILED)
PYTHON.update(_NUMPY_PYTHON)
COMPILED.update(_NUMPY_COMPILED)
NAMES = tuple(PYTHON)
