# Source: skyfielders/python-skyfield, skyfield/earthlib.py (refract, refraction)
# Version: PyPI skyfield==1.55, imported unmodified from the installed package
# Licence: MIT
# Computes: apparent altitude by fixed-point iteration of the refraction formula: `while mask.sum():`
#           over a boolean array, masked updates alt = mask * alt_new + ~mask * alt_previous, nan_to_num
import numpy as np

from skyfield.earthlib import refract

# ---- s2sad-corpus wrapper (not from the source) ----


def objective(alt_degrees, temperature_C, pressure_mbar):
    return np.sum(refract(alt_degrees, temperature_C, pressure_mbar))


def make_args(rng):
    return np.array([2.0, 5.0, 20.0, 45.0, 70.0]), 10.0, 1010.0


WRT = (0, 1, 2)
NJIT = False
EXPECT = "unsupported"
REASON = "mask = ones_like(alt, dtype=bool_) then np.nan_to_num(...) > 3e-5 are not typed: reported as 'different types where control flow merges'"
