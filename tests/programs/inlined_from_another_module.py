"""A helper module whose names differ from its callers' (for the inlining tests)."""
import math
SCALE = 2.5
def twice(v):
    return 2.0 * v
def fill_scaled(out, x) -> None:
    for i in range(x.shape[0]):
        out[i] = SCALE * twice(abs(x[i])) + math.sin(x[i])
