"""Scientific programs written as plain Python + NumPy, the way one writes them for Numba."""
import math

import numpy as np


def heat_equation(u0, alpha, steps):
    """1-D explicit heat stepper; the state array is overwritten in place every step."""
    n = u0.shape[0]
    u = u0.copy()
    new = np.empty(n)
    for t in range(steps):
        for i in range(1, n - 1):
            new[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        new[0] = 0.0                 # Dirichlet boundaries: constant stores
        new[n - 1] = 0.0
        for i in range(n):
            u[i] = new[i]
    energy = 0.0
    for i in range(n):
        energy += u[i] * u[i] * (1.0 + 0.1 * i)
    return energy


def lennard_jones(pos, sigma, epsilon):
    """Pairwise Lennard-Jones energy of particles at pos (n x 3)."""
    n = pos.shape[0]
    energy = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r2 = dx * dx + dy * dy + dz * dz
            s6 = (sigma * sigma / r2) ** 3
            energy += 4.0 * epsilon * (s6 * s6 - s6)
    return energy


def lennard_jones_forces(pos, sigma, epsilon):
    """Hand-derived forces F_i = -dE/dpos_i, for comparison."""
    n = pos.shape[0]
    forces = np.zeros_like(pos)
    for i in range(n):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            r2 = d @ d
            s6 = (sigma * sigma / r2) ** 3
            f = 24.0 * epsilon * (2.0 * s6 * s6 - s6) / r2 * d
            forces[i] += f
            forces[j] -= f
    return forces


def pendulum_rhs(y, params):
    """Damped, driven pendulum: y = (angle, velocity), params = (g/l, damping, drive)."""
    return np.array([y[1], -params[0] * math.sin(y[0]) - params[1] * y[1] + params[2] * math.cos(y[0])])


def rk4_pendulum(y0, params, dt, steps):
    y = y0.copy()
    for s in range(steps):
        k1 = pendulum_rhs(y, params)
        k2 = pendulum_rhs(y + 0.5 * dt * k1, params)
        k3 = pendulum_rhs(y + 0.5 * dt * k2, params)
        k4 = pendulum_rhs(y + dt * k3, params)
        y = y + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return y[0] * y[0] + 0.5 * y[1]


def mlp_loss(W1, b1, W2, b2, X, labels):
    """Two-layer perceptron: tanh hidden layer, softmax cross-entropy over integer labels."""
    hidden = np.tanh(X @ W1 + b1)
    logits = hidden @ W2 + b2
    shifted = logits - np.max(logits)
    log_norm = np.log(np.sum(np.exp(shifted), axis=1))
    loss = 0.0
    for i in range(X.shape[0]):
        loss += log_norm[i] - shifted[i, labels[i]]
    return loss / X.shape[0]


def newton_cube_root(a, tol):
    """Solve x**3 = a by Newton's method; leaves the loop on a tolerance test."""
    x = 1.0 + a / 3.0
    iterations = 0
    while iterations < 100:
        step = (x * x * x - a) / (3.0 * x * x)
        x = x - step
        iterations += 1
        if abs(step) < tol * abs(x):
            break
    return x
