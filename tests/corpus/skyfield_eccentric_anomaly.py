# Source: skyfielders/python-skyfield, skyfield/keplerlib.py (eccentric_anomaly) + skyfield/elementslib.py (normpi)
# Version: PyPI skyfield==1.55, imported unmodified from the installed package
# Licence: MIT
# Computes: Kepler's equation E - e sin E = M by a Halley-type iteration over a tuple of ten Nones,
#           returning from inside the loop when |dE| < 1e-14, else raise; numpy imported by bare name
import numpy as np

from skyfield.keplerlib import eccentric_anomaly

# ---- s2sad-corpus wrapper (not from the source) ----
# True anomaly of an orbit at mean anomaly M.


def objective(e, M):
    E = eccentric_anomaly(e, M)
    return 2.0 * np.arctan(np.sqrt((1.0 + e) / (1.0 - e)) * np.tan(E / 2.0))


def make_args(rng):
    return 0.3, 1.1


WRT = (0, 1)
NJIT = False
EXPECT = "unsupported"
REASON = "inlined because it rebinds a scalar parameter (M *= sign_M), then resolves its names in the caller's module (_ten_iterations, normpi, and abs = numpy.abs); next: `for _ in _ten_iterations` (a tuple of Nones) generates .shape (AttributeError with jit=False)"
