"""Property test: random programs rewritten into the constructs of issue 7 (keyword arguments
to helpers, asserts between statements, `else:` on loops, a defaulted parameter; see
`random_statements.rewrite`) are differentiated as correctly as the originals, by the oracle of
`random_programs.check_program` (finite differences, forward mode, HVP, jit against no jit).

    pytest tests/test_random_statements.py                                    # 15 programs
    S2SAD_RANDOM_STATEMENTS=1000 pytest tests/test_random_statements.py       # longer
    S2SAD_RANDOM_DERANDOMIZE=0 ...                                            # new programs
"""
import os

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, note, settings

from random_programs import Program, check_property, programs
from random_programs_extended import extended_programs
from random_statements import rewrite

MAX_EXAMPLES = int(os.environ.get("S2SAD_RANDOM_STATEMENTS", "15"))
DERANDOMIZE = os.environ.get("S2SAD_RANDOM_DERANDOMIZE", "1") != "0"


@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(st.one_of(extended_programs(), programs()), st.integers(0, 2 ** 31))
def test_rewritten_random_program_gradients(program, seed):
    note(f"original:\n{program.source}")
    check_property(Program(rewrite(program.source, seed), program.x, program.p), {}, False)
