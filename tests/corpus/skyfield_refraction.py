# Source: skyfielders/python-skyfield, skyfield/earthlib.py (refraction)
# Version: PyPI skyfield==1.55, imported unmodified from the installed package
# Licence: MIT
# Computes: Bennett's atmospheric refraction formula, vectorised, with np.where over a boolean mask
#           built with & (numpy functions imported by bare name: tan, where)
import numpy as np

from skyfield.earthlib import refraction

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(alt_degrees, temperature_C, pressure_mbar):
    return np.sum(refraction(alt_degrees, temperature_C, pressure_mbar))


def make_args(rng):
    return np.array([2.0, 5.0, 20.0, 45.0, 70.0]), 10.0, 1010.0


WRT = (0, 1, 2)
NJIT = False
EXPECT = "grad"
