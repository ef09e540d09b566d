"""The command line: `s2sad show FILE.py:FUNCTION [--wrt ...] [--mode grad|jvp]`."""
import os
import subprocess
import sys

import pytest

from s2sad.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICKSTART = os.path.join(ROOT, "examples", "quickstart.py") + ":energy"


def test_show_prints_the_reverse_mode_gradient(capsys):
    assert main(["show", QUICKSTART, "--wrt", "x"]) == 0
    out = capsys.readouterr().out
    assert "def energy_grad" in out and "reverse sweep" in out
    compile(out, "shown", "exec")


def test_show_prints_the_forward_mode_derivative(capsys):
    assert main(["show", QUICKSTART, "--wrt", "x", "k", "--mode", "jvp"]) == 0
    out = capsys.readouterr().out
    assert "def energy_jvp(x, k, x_dot, k_dot):" in out and "return s, s_dot" in out
    compile(out, "shown", "exec")


def test_errors_are_reported_without_a_traceback(capsys):
    assert main(["show", QUICKSTART, "--wrt", "nope"]) == 1
    assert "s2sad: wrt='nope' is not a parameter of energy" in capsys.readouterr().err


def test_bad_function_spec_exits_with_a_message():
    with pytest.raises(SystemExit, match="FILE.py:FUNCTION"):
        main(["show", "quickstart"])


def test_python_dash_m_runs_the_same_command():
    done = subprocess.run([sys.executable, "-m", "s2sad", "show", QUICKSTART, "--mode", "jvp"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "def energy_jvp" in done.stdout
