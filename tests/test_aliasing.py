"""Arrays under two names (`s2sad.aliasing`): accepted shapes differentiate exactly, the rest
raise UnsupportedError naming file, line and the two names, in reverse and forward mode."""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, check_jvp
from tests.programs import aliasing as al

rng = np.random.default_rng(5)
ACCEPTED = [
    (al.swap_buffers, (rng.random(7), 0.2)),
    (al.move_then_reallocate, (rng.random(5), 0.8)),
    (al.read_only_view, (rng.random((3, 4)), 0.7)),
    (al.slice_read_before_store, (rng.random(6), 0.2)),
    (al.view_read_then_base_stored, (rng.random(4), 0.7)),
]


@pytest.mark.parametrize("f, args", ACCEPTED, ids=[f.__name__ for f, _ in ACCEPTED])
@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
def test_accepted_shapes_match_finite_differences(f, args, jit):
    check_grads(f, args, wrt=(0, 1), jit=jit)
    check_jvp(f, args, wrt=(0, 1), jit=jit)


REJECTED = [
    (al.store_through_alias, (rng.random(3), 0.5), "'b' shares memory with 'a'; 'b' is stored into and 'a' read"),
    (al.store_through_row_view, (rng.random((2, 3)), 0.5), "'row' shares memory with 'a'"),
    (al.update_in_place_then_read_alias, (rng.random(3), 0.5), ".*'a' is stored into and 'b' read"),
    (al.store_through_transpose, (rng.random((2, 2)), 0.5), "'t' shares memory with 'a'"),
    (al.store_through_sibling_view, (rng.random((2, 3)), 0.5), "'r2' shares memory with 'm'; 'r1' is stored"),
]


@pytest.mark.parametrize("f, args, message", REJECTED, ids=[f.__name__ for f, _, _ in REJECTED])
def test_stores_through_a_second_name_are_rejected(f, args, message):
    with pytest.raises(s2sad.UnsupportedError, match=r"aliasing\.py:\d+: aliasing: " + message):
        s2sad.grad(f, wrt=(0, 1), jit=False)(*args)
    tangents = tuple(np.ones_like(a) if isinstance(a, np.ndarray) else 1.0 for a in args)
    with pytest.raises(s2sad.UnsupportedError, match=message):
        s2sad.jvp(f, args, tangents, jit=False)
