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
