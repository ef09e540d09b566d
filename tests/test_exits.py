"""break / continue / early return, lowered to structured flow, differentiate exactly."""
import numpy as np
import pytest

from s2sad.testing import check_grads
from tests.programs import exits

rng = np.random.default_rng(1)
CASES = [
    ("newton_break", exits.newton_break, (2.0,), 0),
    # the shape Numba 0.68.1 miscompiles when emitted as is: `while True: ... if c: x = xn; break` + `x = xn`
    ("newton_while_true", exits.newton_while_true, (3.0,), 0),
    ("early_return_taken", exits.early_return, (rng.random(8), 1.3), (0, 1)),
    ("early_return_not_taken", exits.early_return, (rng.random(8) * 0.85, 1.3), (0, 1)),
    ("break_in_nested_while", exits.search, (rng.random(6),), 0),
]


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("label,f,args,wrt", CASES, ids=[c[0] for c in CASES])
def test_exits_match_finite_differences(label, f, args, wrt, jit):
    check_grads(f, args, wrt, rtol=1e-5, jit=jit)


def test_while_true_break_converges_to_the_root_and_its_derivative():
    import s2sad
    value, g = s2sad.value_and_grad(exits.newton_while_true)(3.0)
    assert value == pytest.approx(np.sqrt(3.0), rel=1e-12)
    assert g == pytest.approx(0.5 / np.sqrt(3.0), rel=1e-8)


def test_generated_code_has_no_break():
    import s2sad
    source = s2sad.show(exits.newton_while_true, 0, 2.0)
    assert "break" not in source and "continue" not in source
