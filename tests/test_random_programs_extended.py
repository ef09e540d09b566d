"""Property test: s2sad differentiates random programs using its newer constructs correctly.

Programs come from `random_programs_extended.extended_programs()` (early exits, helpers in the
same module -- plain and @numba.njit --, vectorised NumPy, slices and slice stores, a 2-D local
with row updates, iteration over arrays, integer labels and boolean masks) and are checked by
`random_programs.check_program` exactly like those of test_random_programs.py: jit=False against
central finite differences, jit=True against jit=False (twice), value, input unmodified. Programs
whose finite differences disagree between two step sizes (a kink near the point) are discarded.

    pytest tests/test_random_programs_extended.py                                     # 40 programs (CI)
    S2SAD_RANDOM_PROGRAMS_EXTENDED=3000 pytest tests/test_random_programs_extended.py  # longer
    S2SAD_RANDOM_DERANDOMIZE=0 ...     # new programs each run (default: the same ones every run)
    S2SAD_RANDOM_STRICT=1 ...          # do not discard programs that hit a KNOWN_BUGS entry

Failures reduced to minimal programs live in tests/test_random_regressions_extended.py.
"""
import os

from hypothesis import HealthCheck, given, settings

from random_programs import check_property
from random_programs_extended import extended_programs

MAX_EXAMPLES = int(os.environ.get("S2SAD_RANDOM_PROGRAMS_EXTENDED", os.environ.get("S2SAD_RANDOM_PROGRAMS", "40")))
DERANDOMIZE = os.environ.get("S2SAD_RANDOM_DERANDOMIZE", "1") != "0"
STRICT = os.environ.get("S2SAD_RANDOM_STRICT", "0") == "1"

# Open bugs, each with a strict-xfail test in test_random_regressions_extended.py:
# {description: predicate(source, exception)}. A failing program matching one is discarded
# (counted as a Hypothesis event) unless STRICT. Remove an entry when its bug is fixed.
# While test_return_in_while_reading_array_defined_in_loop was open, this entry was here:
#     "local defined in a loop read by f_grad when unassigned": lambda source, exc: (
#         isinstance(exc, UnboundLocalError)),
KNOWN_BUGS = {}


@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(extended_programs())
def test_random_extended_program_gradients(program):
    check_property(program, KNOWN_BUGS, STRICT)
