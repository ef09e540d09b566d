"""The issue-3 bar: real scientific programs, compiled with Numba, match finite differences to 1e-6."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, numerical_grad
from tests.programs import scientific as sci

rng = np.random.default_rng(7)


def test_heat_equation_gradient_wrt_initial_condition():
    u0 = np.sin(np.linspace(0.0, np.pi, 12)) + 0.1 * rng.random(12)
    g = check_grads(sci.heat_equation, (u0, 0.2, 15), wrt=0, rtol=1e-6)
    # the constant boundary stores must not make the whole gradient vanish (Tangent's failure)
    assert np.count_nonzero(g) == u0.size - 2 or np.count_nonzero(g) == u0.size
    assert np.abs(g[1:-1]).min() > 0.0


def test_lennard_jones_force_is_minus_the_gradient():
    grid = np.array([[i, j, k] for i in range(2) for j in range(2) for k in range(2)], dtype=float)
    pos = 1.2 * grid + 0.05 * rng.standard_normal(grid.shape)
    g = check_grads(sci.lennard_jones, (pos, 1.0, 1.5), wrt=(0, 1, 2), rtol=1e-6)
    np.testing.assert_allclose(-g[0], sci.lennard_jones_forces(pos, 1.0, 1.5), rtol=1e-10, atol=1e-12)


def test_rk4_with_helper_rhs_gradient_wrt_ode_parameters():
    y0 = np.array([0.8, 0.0])
    params = np.array([9.81, 0.3, 0.5])
    check_grads(sci.rk4_pendulum, (y0, params, 0.01, 200), wrt=(0, 1, 2), rtol=1e-6)


def test_mlp_gradient_wrt_all_weights_and_biases():
    n, d, h, k = 16, 5, 8, 3
    X = rng.standard_normal((n, d))
    labels = rng.integers(0, k, size=n)
    W1, b1 = 0.5 * rng.standard_normal((d, h)), 0.1 * rng.standard_normal(h)
    W2, b2 = 0.5 * rng.standard_normal((h, k)), 0.1 * rng.standard_normal(k)
    check_grads(sci.mlp_loss, (W1, b1, W2, b2, X, labels), wrt=(0, 1, 2, 3), rtol=1e-6)


def test_newton_iteration_with_tolerance_break():
    a = 5.0
    value, g = s2sad.value_and_grad(sci.newton_cube_root)(a, 1e-13)
    assert value == pytest.approx(a ** (1.0 / 3.0), rel=1e-12)
    assert g == pytest.approx(a ** (-2.0 / 3.0) / 3.0, rel=1e-8)     # d/da a^(1/3)
    assert g == pytest.approx(numerical_grad(sci.newton_cube_root, (a, 1e-13), 0), rel=1e-6)


@pytest.mark.parametrize("program", ["heat_equation", "lennard_jones", "rk4_pendulum", "mlp_loss",
                                     "newton_cube_root"])
def test_compiled_and_python_derivatives_agree(program):
    f = getattr(sci, program)
    args = {
        "heat_equation": (np.linspace(0.0, 1.0, 9) ** 2, 0.2, 5),
        "lennard_jones": (np.array([[0.0, 0.0, 0.0], [1.1, 0.1, 0.0], [0.2, 1.2, 0.1]]), 1.0, 1.0),
        "rk4_pendulum": (np.array([0.5, 0.1]), np.array([9.81, 0.3, 0.5]), 0.01, 20),
        "mlp_loss": (np.ones((3, 4)) * 0.1, np.zeros(4), np.ones((4, 2)) * 0.2, np.zeros(2),
                     np.arange(6.0).reshape(2, 3) / 6.0, np.array([0, 1])),
        "newton_cube_root": (2.0, 1e-12),
    }[program]
    positions = tuple(k for k, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype.kind == "f"
                      or isinstance(a, float))[:4]
    compiled = s2sad.grad(f, wrt=positions, jit=True)(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    python = s2sad.grad(f, wrt=positions, jit=False)(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    for c, p in zip(compiled, python):
        np.testing.assert_allclose(c, p, rtol=1e-12, atol=1e-14)
