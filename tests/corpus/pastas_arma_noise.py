# Source: pastas/pastas, pastas/noisemodels.py (ArmaNoiseModel.calculate_noise)
# Version: PyPI pastas==2.0.0, imported unmodified from the installed package (@staticmethod @njit there)
# Licence: MIT
# Computes: ARMA(1,1) noise of residuals on irregular time steps; parameter rebinding `beta = 1e-24`
import numpy as np

from pastas.noisemodels import ArmaNoiseModel

# ---- s2sad-corpus wrapper (not from the source) ----
calculate_noise = ArmaNoiseModel.calculate_noise   # the staticmethod's njit function


def objective(res, odelt, alpha, beta):
    a = calculate_noise(res, odelt, alpha, beta)
    return np.sum(a * a)


def make_args(rng):
    return rng.standard_normal(40), 1.0 + rng.random(40), 10.0, 3.0


WRT = (0, 1, 2, 3)
NJIT = True
EXPECT = "grad"
