"""Gradient checking against central finite differences (float64), in the spirit of JAX's check_grads."""
import numpy as np


def numerical_grad(f, args, wrt, eps=1e-6):
    """Central differences of scalar `f(*args)` with respect to argument position `wrt`."""
    args = list(args)
    x = args[wrt]
    if isinstance(x, np.ndarray):
        grad = np.zeros_like(x, dtype=float)
        flat = grad.reshape(-1)
        for k in range(x.size):
            plus, minus = x.copy(), x.copy()
            h = eps * max(1.0, abs(x.flat[k]))
            plus.flat[k] += h
            minus.flat[k] -= h
            flat[k] = (f(*_with(args, wrt, plus)) - f(*_with(args, wrt, minus))) / (2 * h)
        return grad
    h = eps * max(1.0, abs(x))
    return (f(*_with(args, wrt, x + h)) - f(*_with(args, wrt, x - h))) / (2 * h)


def _with(args, k, value):
    out = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    out[k] = value
    return out


def check_grads(f, args, wrt=0, rtol=1e-6, atol=1e-8, jit=True):
    """Assert that s2sad's gradient of `f` matches finite differences; returns the gradient."""
    from . import grad
    positions = wrt if isinstance(wrt, (tuple, list)) else (wrt,)
    g = grad(f, wrt=tuple(positions), jit=jit)(*[_copy(a) for a in args])
    for position, computed in zip(positions, g):
        expected = numerical_grad(f, args, position)
        np.testing.assert_allclose(computed, expected, rtol=rtol, atol=atol,
                                   err_msg=f"gradient w.r.t. argument {position} of {f.__name__}")
    return g if isinstance(wrt, (tuple, list)) else g[0]


def _copy(a):
    return a.copy() if isinstance(a, np.ndarray) else a


def _tangents(args, wrt, rng):
    """Random tangents for the positions in `wrt` (None elsewhere), shaped like the arguments."""
    tangents = []
    for k, a in enumerate(args):
        if k not in wrt:
            tangents.append(None)
        elif isinstance(a, np.ndarray):
            tangents.append(rng.standard_normal(a.shape))
        else:
            tangents.append(float(rng.standard_normal()))
    return tuple(tangents)


def _directional(f, args, tangents, eps):
    """Central difference of f along the tangents (results may be scalars, arrays or tuples)."""
    scale = max([1.0] + [float(np.max(np.abs(a))) for a, t in zip(args, tangents) if t is not None])
    h = eps * scale

    def moved(sign):
        return [_copy(a) if t is None else a + sign * h * t for a, t in zip(args, tangents)]
    fp, fm = f(*moved(1.0)), f(*moved(-1.0))
    if isinstance(fp, tuple):
        return tuple((np.asarray(p) - np.asarray(m)) / (2 * h) for p, m in zip(fp, fm))
    return (np.asarray(fp) - np.asarray(fm)) / (2 * h)


def _inner(a, b):
    if isinstance(a, tuple):
        return sum(_inner(x, y) for x, y in zip(a, b))
    return float(np.sum(np.asarray(a) * np.asarray(b)))


def check_jvp(f, args, wrt=0, rtol=1e-6, atol=1e-8, jit=True, seed=0):
    """Assert that forward mode matches finite differences and reverse mode; returns the tangent.

    Along a random tangent u (for the arguments in `wrt`): the JVP against a central
    difference of f along u, then the dot-product test against reverse mode,
    <J u, v> == <u, J^T v> for a random cotangent v (s2sad.vjp)."""
    from . import jvp, vjp
    rng = np.random.default_rng(seed)
    positions = tuple(wrt) if isinstance(wrt, (tuple, list)) else (wrt,)
    tangents = _tangents(args, positions, rng)
    value, tangent = jvp(f, tuple(_copy(a) for a in args), tangents, jit=jit)
    expected = _directional(f, args, tangents, 1e-6)
    _assert_close(tangent, expected, rtol, atol, f"JVP of {f.__name__} against finite differences")
    _, pullback = vjp(f, *[_copy(a) for a in args], jit=jit)
    cotangent = _random_like(value, rng)
    adjoints = pullback(cotangent)
    forward = _inner(tangent, cotangent)
    reverse = sum(_inner(adjoints[k], tangents[k]) for k in positions)
    np.testing.assert_allclose(forward, reverse, rtol=1e-9, atol=1e-11,
                               err_msg=f"dot-product test <J u, v> = <u, J^T v> for {f.__name__}")
    return tangent


def check_hvp(f, args, wrt=0, rtol=1e-5, atol=1e-7, jit=True, seed=0):
    """Assert that s2sad.hvp matches a central difference of s2sad's gradient along a random v."""
    from . import grad, hvp
    rng = np.random.default_rng(seed)
    positions = tuple(wrt) if isinstance(wrt, (tuple, list)) else (wrt,)
    tangents = _tangents(args, positions, rng)
    products = hvp(f, tuple(_copy(a) for a in args), tangents, jit=jit)
    gradient = grad(f, wrt=positions, jit=jit)
    expected = _directional(lambda *a: gradient(*a), args, tangents, 1e-5)
    for k, e in zip(positions, expected):
        _assert_close(products[k], e, rtol, atol, f"HVP of {f.__name__} w.r.t. argument {k}")
    return products


def _random_like(value, rng):
    if isinstance(value, tuple):
        return tuple(_random_like(v, rng) for v in value)
    if isinstance(value, np.ndarray):
        return rng.standard_normal(value.shape)
    return float(rng.standard_normal())


def _assert_close(got, want, rtol, atol, message):
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, err_msg=message)
    else:
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=message)
