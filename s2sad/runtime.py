"""Helpers the generated code calls. Each exists as plain Python and as a Numba function.

Tapes are preallocated NumPy arrays, reused between calls: the caller hands them in and
gets them back. Growth is geometric, so a tape that must grow inside compiled code does so
O(log n) times, and only on the first call with a larger problem.
"""
import numba
import numpy as np


def reserve(tape, needed):
    """`tape`, or a copy at least twice as large, so that indices below `needed` are valid."""
    if needed <= tape.shape[0]:
        return tape
    grown = np.empty(max(needed, 2 * tape.shape[0], 64), dtype=tape.dtype)
    grown[:tape.shape[0]] = tape
    return grown


PYTHON = {"reserve": reserve}
COMPILED = {"reserve": numba.njit(cache=True)(reserve)}
