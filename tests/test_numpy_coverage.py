"""NumPy that real code uses and that Numba compiles (issue 7).

Every program runs in reverse mode (`grad`, compiled and in plain Python) against central
finite differences, and in forward mode (`jvp`) against finite differences and, by the
dot-product test, against reverse mode (`check_jvp`). Programs using what Numba cannot
compile (np.roll with axis, np.meshgrid, 2-D boolean masks, norm(..., 'fro')) run with
jit=False, and with jit=True raise an UnsupportedError naming the construct.
"""
import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads, check_jvp
from tests.programs import numpy_coverage as p

rng = np.random.default_rng(7)


def _spd(n):
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def _well_conditioned(n):
    return rng.standard_normal((n, n)) + 3.0 * np.eye(n)


REPEATED = np.array([0, 3, 3, 1, 3])          # indices that repeat: accumulation matters
CASES = [
    ("math.fabs", p.fabs_scalar, (-0.7,), 0),
    ("math.fabs-positive", p.fabs_scalar, (1.3,), 0),
    ("math.fabs-loop", p.fabs_loop, (0.9, 5), 0),
    ("float-and-np.float64", p.casts, (0.7, rng.random(3)), (0, 1)),
    ("roll", p.roll, (rng.random(6),), 0),
    ("roll-flattened-2d", p.roll_negative_shift_2d, (rng.random((3, 4)),), 0),
    ("roll-in-loop", p.roll_in_loop, (rng.random(7), 0.2, 4), (0, 1)),
    ("concatenate", p.concatenate, (rng.random(4), rng.random(3)), (0, 1)),
    ("concatenate-axis", p.concatenate_axis, (rng.random((2, 3)), rng.random((2, 3))), (0, 1)),
    ("concatenate-constant", p.concatenate_constant, (rng.random(3),), 0),
    ("concatenate-module-constant", p.concatenate_module_constant, (rng.random(3),), 0),
    ("concatenate-in-loop", p.concatenate_in_loop, (rng.random(5), 4), 0),
    ("hstack", p.hstack, (rng.random(3), rng.random(2)), (0, 1)),
    ("hstack-2d", p.hstack_2d, (rng.random((2, 3)), rng.random((2, 2))), (0, 1)),
    ("vstack", p.vstack, (rng.random(3), rng.random(3)), (0, 1)),
    ("vstack-2d", p.vstack_2d, (rng.random((2, 3)), rng.random(3)), (0, 1)),
    ("triu-tril", p.triangles, (rng.random((3, 4)),), 0),
    ("atleast_2d", p.atleast_2d, (rng.random(3), rng.random((2, 3))), (0, 1)),
    ("astype", p.astype, (rng.random(4), np.array([1, 2, 3, 4])), 0),
    ("interp", p.interp, (np.array([-0.3, 0.2, 0.7, 1.5, 2.4]), rng.random(4)), (0, 1)),
    ("interp-in-loop", p.interp_in_loop, (np.array([0.3, 1.1, 2.6]), rng.random(5) * 2.0, 3), (0, 1)),
    ("norm", p.norm, (rng.standard_normal(5),), 0),
    ("norm-frobenius", p.norm_frobenius, (rng.standard_normal((3, 2)),), 0),
    ("norm-1-and-spectral", p.norm_other_orders, (rng.standard_normal(4), rng.standard_normal((3, 3))), (0, 1)),
    ("cholesky", p.cholesky, (rng.standard_normal((3, 3)),), 0),
    ("cholesky-lower-triangle-only", p.cholesky_raw, (_spd(3),), 0),
    ("solve", p.solve, (_well_conditioned(3), rng.standard_normal(3)), (0, 1)),
    ("solve-matrix", p.solve_matrix, (_well_conditioned(3), rng.standard_normal((3, 2))), (0, 1)),
    ("inv", p.inv, (_well_conditioned(3),), 0),
    ("det", p.det, (_well_conditioned(3),), 0),
    ("slogdet", p.slogdet, (_well_conditioned(3),), 0),
    ("gaussian-log-likelihood", p.gaussian_log_likelihood,
     (rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal((3, 3))), (0, 1, 2)),
    ("linalg-in-loop", p.linalg_in_loop, (rng.standard_normal((3, 3)), rng.standard_normal(3), 3), (0, 1)),
    ("tape-3d", p.tape_3d, (rng.random((2, 3, 2)), 3), 0),
    ("tape-3d-overwritten-in-place", p.tape_3d_overwritten_in_place, (rng.random((2, 3, 2)), 3), 0),
    ("tape-4d", p.tape_4d, (rng.random((2, 1, 2, 3)) * 0.5, 3), 0),
    ("tape-mask-in-loop", p.tape_mask_in_loop, (np.array([0.1, 0.45, 0.9, 0.2, 0.6]), 3), 0),
    ("mask-read", p.mask_read, (np.array([0.2, 0.7, 0.9, 0.1, 0.6]),), 0),
    ("mask-read-named", p.mask_read_named, (np.array([0.2, 0.7, 0.9, 0.1, 0.6]), 0.5), (0, 1)),
    ("mask-write-zero", p.mask_write_zero, (np.array([0.2, 0.7, 0.9, 0.1, 0.6]),), 0),
    ("mask-write-array", p.mask_write_array, (np.array([0.2, 0.7, 0.9, 0.1, 0.6]), rng.random(5)), (0, 1)),
    ("mask-write-scalar", p.mask_write_scalar, (np.array([0.2, 0.7, 0.9, 0.1, 0.6]), 0.4), (0, 1)),
    ("mask-times-equal", p.mask_times_equal, (np.array([0.2, 0.7, 0.9, 0.1, 0.6]),), 0),
    ("mask-plus-equal", p.mask_plus_equal, (np.array([0.2, 0.7, 0.9, 0.1, 0.6]), rng.random(5)), (0, 1)),
    ("mask-rows", p.mask_rows, (rng.random((4, 3)), np.array([0.9, 0.1, 0.7, 0.3])), 0),
    ("mask-in-loop", p.mask_in_loop, (np.array([0.25, 0.5, 0.1, 0.45, 0.3]), 3), 0),
    ("gather", p.gather, (rng.random(5), REPEATED), 0),
    ("gather-rows-and-columns", p.gather_rows, (rng.random((4, 4)), REPEATED[:4]), 0),
    ("gather-2d-index", p.gather_2d_index, (rng.random(5), np.array([[0, 3], [3, 1]])), 0),
    ("scatter-assign", p.scatter_assign, (rng.random(5), rng.random(5), REPEATED), (0, 1)),
    ("scatter-assign-scalar", p.scatter_assign_scalar, (rng.random(5), 0.3, REPEATED), (0, 1)),
    ("scatter-add", p.scatter_add, (rng.random(5), rng.random(5), REPEATED), (0, 1)),
    ("gather-in-loop", p.gather_in_loop, (rng.random(5), REPEATED, 3), 0),
    ("rotating-gather", p.rotating_gather, (np.array([0.3, 0.1, 0.75, 0.55, 0.95]), REPEATED[:3], 4), 0),
    ("largest-in-loop", p.largest_in_loop, (np.array([0.3, 0.1, 0.75, 0.5]), 3), 0),
    ("gather-pairs", p.gather_pairs, (rng.random((3, 4)), np.array([0, 2, 2, 1]), np.array([1, 3, 3, 0])), 0),
    ("embedding", p.embedding, (rng.standard_normal((6, 3)), np.array([1, 4, 1, 0, 4, 4]), rng.standard_normal((3, 2))),
     (0, 2)),
]

# what Numba cannot compile: jit=False only (with jit=True, an UnsupportedError naming it)
PYTHON_ONLY = [
    ("roll-axis", p.roll_axis, (rng.random((3, 4)),), 0, "np.roll"),
    ("meshgrid", p.meshgrid, (rng.random(3), rng.random(4)), (0, 1), "np.meshgrid"),
    ("meshgrid-ij", p.meshgrid_ij, (rng.random(3), rng.random(2)), (0, 1), "np.meshgrid"),
    ("norm-fro", p.norm_fro, (rng.standard_normal((3, 2)),), 0, "np.linalg.norm"),
    ("mask-2d", p.mask_2d, (rng.random((3, 4)),), 0, "boolean mask"),
    ("vstack-mixed-ndims", p.vstack_mixed, (rng.random((2, 3)), rng.random(3)), (0, 1), "np.vstack"),
]


def _ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize("jit", [False, True], ids=["py", "jit"])
@pytest.mark.parametrize("label,f,args,wrt", CASES, ids=_ids(CASES))
def test_gradient_matches_finite_differences(label, f, args, wrt, jit):
    check_grads(f, args, wrt, rtol=1e-5, atol=1e-7, jit=jit)


@pytest.mark.parametrize("label,f,args,wrt", CASES, ids=_ids(CASES))
def test_forward_mode_matches_finite_differences_and_reverse_mode(label, f, args, wrt):
    check_jvp(f, args, wrt, rtol=1e-5, atol=1e-7, jit=False)


@pytest.mark.parametrize("label,f,args,wrt", [c for c in CASES if c[0] in (
    "concatenate-axis", "hstack", "vstack-2d", "interp", "norm-1-and-spectral", "cholesky", "solve-matrix",
    "slogdet", "gaussian-log-likelihood", "mask-plus-equal", "gather-rows-and-columns", "scatter-add",
    "tape-3d-overwritten-in-place", "roll-in-loop", "embedding")], ids=lambda c: c if isinstance(c, str) else "")
def test_compiled_forward_mode(label, f, args, wrt):
    check_jvp(f, args, wrt, rtol=1e-5, atol=1e-7, jit=True)


@pytest.mark.parametrize("label,f,args,wrt,construct", PYTHON_ONLY, ids=_ids(PYTHON_ONLY))
def test_what_numba_cannot_compile_runs_in_python(label, f, args, wrt, construct):
    check_grads(f, args, wrt, rtol=1e-5, atol=1e-7, jit=False)
    check_jvp(f, args, wrt, rtol=1e-5, atol=1e-7, jit=False)


@pytest.mark.parametrize("label,f,args,wrt,construct", PYTHON_ONLY, ids=_ids(PYTHON_ONLY))
def test_what_numba_cannot_compile_is_named_with_jit(label, f, args, wrt, construct):
    with pytest.raises(s2sad.UnsupportedError, match=construct):
        s2sad.grad(f, wrt=wrt, jit=True)(*args)
    with pytest.raises(s2sad.UnsupportedError, match=construct):
        tangents = tuple(np.ones_like(a) if k in (wrt if isinstance(wrt, tuple) else (wrt,)) else None
                         for k, a in enumerate(args))
        s2sad.jvp(f, args, tangents, jit=True)


# --------------------------------------------------------------------------- errors in user terms
def kalman_step(a, p_, y):
    s = p_ + 1.0
    k = p_ / s
    a_new = a + k * (y - a)
    p_new = np.linalg.pinv(p_ * (1.0 - k))
    return a_new, p_new, np.log(s)


def kalman_log_likelihood(a0, p0, ys):
    a, p_, ll = a0, p0, 0.0
    for t in range(ys.shape[0]):
        a_filtered, p_filtered, l = kalman_step(a, p_, ys[t])
        a, p_ = a_filtered, p_filtered
        ll += np.sum(l)
    return ll


def unknown_function(x):
    y = np.unique(x) * 2.0
    return np.sum(y)


def list_index(m):
    return np.sum(m[[0, 2]])


@pytest.mark.parametrize("f, args, message", [
    (kalman_log_likelihood, (np.ones((2, 2)), np.eye(2), np.ones((3, 2, 2))),
     r"test_numpy_coverage.py:\d+: `np.linalg.pinv`: .*in kalman_step.*p_new = np.linalg.pinv\(p_ \* \(1.0 - k\)\)"),
    (unknown_function, (np.ones(3),), r"`np.unique`: .*y = np.unique\(x\) \* 2.0"),
    (list_index, (np.ones((3, 2)),), r"list index: .*x\[np.array\(\[0, 2\]\)\]"),
])
def test_an_unsupported_call_is_named_as_the_user_wrote_it(f, args, message):
    for derivative in (lambda: s2sad.grad(f, jit=False)(*args),
                       lambda: s2sad.jvp(f, args, (np.ones_like(args[0]),) + (None,) * (len(args) - 1), jit=False)):
        with pytest.raises(s2sad.UnsupportedError, match=message):
            derivative()


def test_generated_code_reads_like_numpy():
    source = s2sad.show(p.gather_in_loop, 0, np.ones(5), REPEATED, 3)
    assert "scatter_add(h_adj, idx, g_adj)" in source          # the gather's adjoint: np.add.at
    assert "stored_adjoint(h_adj, idx)" in source              # the store's: last occurrence wins
    source = s2sad.show(p.concatenate, (0, 1), np.ones(3), np.ones(2))
    assert "x_adj += concatenate_piece(z_adj, (), x, 0)" in source
    assert "y_adj += concatenate_piece(z_adj, (x,), y, 0)" in source
    source = s2sad.show(p.tape_3d, 0, np.ones((2, 2, 2)), 3)
    assert "pop_array3(float_tape, float_top)" in source


# second derivatives: hvp differentiates the forward-mode code in reverse mode. The tangents
# of np.interp, np.linalg.norm(x, ord) and np.linalg.cholesky call helpers without rules of
# their own, so their Hessians are not available yet (an UnsupportedError names the helper).
NO_HVP = {"interp", "interp-in-loop", "norm", "norm-1-and-spectral", "cholesky", "cholesky-lower-triangle-only",
          "gaussian-log-likelihood"}


@pytest.mark.parametrize("label,f,args,wrt", [c for c in CASES if c[0] not in NO_HVP],
                         ids=_ids([c for c in CASES if c[0] not in NO_HVP]))
def test_hessian_vector_products(label, f, args, wrt):
    from s2sad.testing import check_hvp
    check_hvp(f, args, wrt, jit=False)


# sort, cumsum, diff, asarray (found missing by the real-code corpus: QuantEcon's lorenz_curve)
def sorted_weights(x):
    s = np.sort(x)
    w = np.cumsum(s)
    return np.sum(np.diff(w) * s[1:]) + np.sum(np.asarray(x) * w)


def lorenz_curve(y):
    n = len(y)
    y = np.sort(y)
    s = np.zeros(n + 1)
    s[1:] = np.cumsum(y)
    cum_people = np.zeros(n + 1)
    cum_income = np.zeros(n + 1)
    for i in range(1, n + 1):
        cum_people[i] = i / n
        cum_income[i] = s[i] / s[n]
    return cum_people, cum_income


def gini_from_lorenz(y):
    cum_people, cum_income = lorenz_curve(y)
    area = 0.0
    for i in range(1, cum_people.shape[0]):
        area += 0.5 * (cum_people[i] - cum_people[i - 1]) * (cum_income[i] + cum_income[i - 1])
    return 0.5 - area


@pytest.mark.parametrize("jit", [True, False])
def test_sort_cumsum_diff_asarray(jit):
    x = np.array([0.7, -0.2, 1.5, 0.3, -1.1])
    check_grads(sorted_weights, (x,), wrt=0, jit=jit)
    check_jvp(sorted_weights, (x,), wrt=(0,), jit=jit)
    y = np.random.default_rng(1).pareto(3.0, 12) + 1.0
    check_grads(gini_from_lorenz, (y,), wrt=0, jit=jit)
