"""Newton's method on a scalar: the root of x**3 + p x - q, to |f| <= 1e-12, in a `while` loop;
derivative of the root with respect to p and q. The per-call-overhead case: the work is a few
dozen flops, so the table gives microseconds per call.
"""
import numba

from kernels import JaxCase, Kernel

P, Q = 2.0, 5.0


def newton_cubic(p, q):
    x = 1.0
    f = x * x * x + p * x - q
    it = 0
    while abs(f) > 1e-12 and it < 50:
        x = x - f / (3.0 * x * x + p)
        f = x * x * x + p * x - q
        it += 1
    return x


def args(size):
    return (P, Q)


def size_text(size):
    return f"p = {P}, q = {Q} (root 1.328..., 5 Newton steps from x = 1)"


@numba.njit
def newton_hand(p, q):
    """Newton as in the primal, then the implicit-function derivative of the root:
    f(x*, p, q) = 0  =>  dx*/dp = -x* / f'(x*),  dx*/dq = 1 / f'(x*)."""
    x = 1.0
    f = x * x * x + p * x - q
    it = 0
    while abs(f) > 1e-12 and it < 50:
        x = x - f / (3.0 * x * x + p)
        f = x * x * x + p * x - q
        it += 1
    fp = 3.0 * x * x + p
    return -x / fp, 1.0 / fp


def hand(args):
    return newton_hand            # returns (d/dp, d/dq) directly; no wrapper, no buffers


def jax(jax, jnp, lax):
    def newton_jax(p, q):
        def f(x):
            return x * x * x + p * x - q

        def solve(f, x0):
            def cond(c):
                x, it = c
                return (jnp.abs(f(x)) > 1e-12) & (it < 50)

            def body(c):
                x, it = c
                return x - f(x) / (3.0 * x * x + p), it + 1
            return lax.while_loop(cond, body, (x0, 0))[0]

        def tangent_solve(g, y):       # g is linear and scalar: g(x) = g(1) x
            return y / g(1.0)
        # grad of a while_loop is not defined in JAX; custom_root differentiates implicitly
        return lax.custom_root(f, 1.0, solve, tangent_solve)
    return {"lax.while_loop inside lax.custom_root (implicit derivative)": JaxCase(newton_jax)}


KERNELS = [Kernel(
    name="newton", title="Newton `while` loop on a scalar", primal=newton_cubic, wrt=(0, 1),
    wrt_names=("p", "q"), args=args, size_text=size_text, hand=hand, jax=jax,
    batch={"full": 2000, "quick": 200, "small": 1}, per_call_us=True,
    hand_note="the Newton loop, then the implicit-function derivative of the root (two "
              "divisions); called directly, no Python wrapper",
    jax_note="`jax.grad` cannot differentiate `lax.while_loop` in reverse mode, so the JAX "
             "version wraps it in `lax.custom_root` (implicit differentiation, as the hand "
             "adjoint); the differences from s2sad are those between the derivative of the "
             "iterate and of the exact root",
)]
