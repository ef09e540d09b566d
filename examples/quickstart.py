"""Differentiate a loop-and-branch function; print the gradient and the generated code."""
import numpy as np

import s2sad


@s2sad.grad                      # gradient w.r.t. the first argument
def energy(x, k):
    s = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1] - x[i]
        if d > 0.0:
            s += k * d * d
        else:
            s += 0.5 * k * d * d * d * d
    return s


if __name__ == "__main__":
    x = np.linspace(0.0, 1.0, 1000) ** 2
    g = energy(x, 3.0)               # ndarray shaped like x
    print("gradient[:5] =", g[:5])
    print("gradient[-5:] =", g[-5:])
    print()
    print(energy.source)             # the generated derivative, readable Python
