"""The examples run and do what they say."""
import os
import runpy
import sys

import numpy as np
from scipy.optimize import minimize

import s2sad

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name):
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    try:
        return runpy.run_path(os.path.join(ROOT, "examples", f"{name}.py"), run_name="example")
    finally:
        sys.path.pop(0)


def test_quickstart_prints_gradient_and_source(capsys):
    runpy.run_path(os.path.join(ROOT, "examples", "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "gradient[:5] =" in out and "def energy_grad" in out and "reverse sweep" in out


def test_newton_cg_with_hessian_vector_products_converges_like_lbfgs(capsys):
    example = load("newton_cg")
    result = example["main"](n=300)
    assert result.success
    lbfgs = minimize(example["chain_energy"], np.arange(300, dtype=float), args=(3.0,), method="L-BFGS-B",
                     jac=s2sad.grad(example["chain_energy"]), options={"gtol": 1e-10, "maxiter": 10000})
    assert result.fun <= lbfgs.fun + 1e-8
    assert "Hessian-vector evaluations" in capsys.readouterr().out
