# Source: pastas/pastas, pastas/recharge.py (FlexModel.get_root_zone_balance)
# Version: PyPI pastas==2.0.0, imported unmodified from the installed package (@staticmethod @njit there)
# Licence: MIT
# Computes: daily root-zone bucket model (storage, runoff, evaporation, recharge) with min/max branches;
#           comparisons through `.real` (the authors' complex-step support) and a dtype from np.asarray
import numpy as np

from pastas.recharge import FlexModel

# ---- s2sad-corpus wrapper (not from the source) ----
get_root_zone_balance = FlexModel.get_root_zone_balance   # the staticmethod's njit function


def objective(pe, ep, srmax, lp, ks, gamma):
    sr, r, ea, q, pe_out = get_root_zone_balance(pe, ep, srmax, lp, ks, gamma, 1.0)
    return np.sum(r * r) + np.sum(ea)


def make_args(rng):
    pe = 3.0 * rng.random(40)
    ep = 1.0 + rng.random(40)
    return pe, ep, 250.0, 0.25, 100.0, 4.0


WRT = (0, 1, 2, 3, 4, 5)
NJIT = True
EXPECT = "unsupported"
REASON = "dtype held in a variable: np.zeros(n, dtype=dtype) with dtype = np.asarray(...).dtype (element type not inferred)"
