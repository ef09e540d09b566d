"""Golden tests of emitted derivative source: a change to the generated code shows in review.

Regenerate after an intended change with:  S2SAD_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
import os
import pathlib

import numpy as np
import pytest

import s2sad
from tests.programs import golden

GOLDEN = pathlib.Path(__file__).parent / "golden"
CASES = {
    "energy": (golden.energy, 0, (np.ones(4), 3.0)),
    "euler_decay": (golden.euler_decay, (0, 1), (1.0, 0.5, 0.1, 10)),
    "running_max": (golden.running_max, 0, (np.ones(4),)),
    "newton_sqrt": (golden.newton_sqrt, 0, (2.0,)),
    "smooth_stencil": (golden.smooth_stencil, (0, 1), (np.ones(5), 0.2)),
}


MODES = [(case, "grad") for case in sorted(CASES)] + [(case, "jvp") for case in sorted(CASES)]


@pytest.mark.parametrize("case, mode", MODES)
def test_generated_source_matches_golden_file(case, mode):
    f, wrt, args = CASES[case]
    source = s2sad.show(f, wrt, *args, mode=mode)
    path = GOLDEN / (f"{case}.py" if mode == "grad" else f"{case}_jvp.py")
    if os.environ.get("S2SAD_UPDATE_GOLDEN"):
        path.write_text(source)
    assert path.exists(), f"no golden file {path}; run with S2SAD_UPDATE_GOLDEN=1 to create it"
    assert source == path.read_text()


@pytest.mark.parametrize("case, mode", MODES)
def test_generated_source_reads_like_hand_written_code(case, mode):
    f, wrt, args = CASES[case]
    source = s2sad.show(f, wrt, *args, mode=mode)
    compile(source, case, "exec")
    assert "_t" not in source.replace("_tape", "").replace("_top", "").replace("_times", "") \
        .replace("_term", "")                                 # no anonymous `_t123` temporaries
    assert "# line " in source                                # each adjoint block cites its primal line
    for line in source.splitlines():                          # no self-assignments
        left, sep, right = line.strip().partition(" = ")
        assert not sep or left != right, line
