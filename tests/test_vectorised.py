"""Vectorised NumPy: elementwise ops with broadcasting, reductions, @, slices, array state."""
import numpy as np
import pytest

from s2sad.testing import check_grads, check_jvp
from tests.programs import vectorised as vec

rng = np.random.default_rng(2)
CASES = [
    ("norm", vec.norm, (rng.random(5),), 0),
    ("scalar_array_broadcast", vec.bcast, (rng.random(4), 0.3, rng.random(4)), (0, 1, 2)),
    ("row_column_broadcast", vec.rowcol, (rng.random((3, 4)), rng.random((1, 4)), rng.random((3, 1))), (0, 1, 2)),
    ("matrix_vector", vec.mat, (rng.random((3, 4)), rng.random(4), rng.random(3)), (0, 1, 2)),
    ("matrix_matrix", vec.mm, (rng.random((3, 4)), rng.random((4, 2))), (0, 1)),
    ("reductions_with_axis", vec.axes, (rng.random((3, 4)) + 0.5,), 0),
    ("where_and_clip", vec.where_clip, (rng.random(6), 1.7), (0, 1)),
    ("slices", vec.slices, (rng.random(7),), 0),
    ("in_place_slice_stencil", vec.heat_vec, (rng.random(8), 0.2), (0, 1)),
    ("softmax_cross_entropy", vec.softmax_ce,
     (rng.random((4, 3)), rng.random((5, 4)), np.array([0, 2, 1, 1, 0])), 0),
    ("array_loop_carried", vec.rebinding, (rng.random(4), 0.7, 0.1), (0, 1)),
    ("array_display", vec.arr_display, (0.4, 1.3), (0, 1)),
]


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("label,f,args,wrt", CASES, ids=[c[0] for c in CASES])
def test_vectorised_matches_finite_differences(label, f, args, wrt, jit):
    check_grads(f, args, wrt, rtol=1e-5, jit=jit)


# np.full / np.full_like / np.linspace were registered as non-differentiable: an active fill
# value or endpoint silently got no derivative (found while testing issue 7's rebinding fix)
def full_of_active_scalar(x, k):
    s = x * k
    v = np.full(4, s)
    v[0] = v[1] * v[2]
    w = np.full_like(v, x)
    return np.sum(v * v) + np.sum(w * v) + s


def linspace_between_active_ends(a, b):
    grid = np.linspace(a, b, 7)
    return np.sum(np.sin(grid) * grid)


@pytest.mark.parametrize("jit", [True, False])
def test_full_and_full_like_carry_the_fill_value_derivative(jit):
    check_grads(full_of_active_scalar, (0.7, 1.3), wrt=(0, 1), jit=jit)
    check_jvp(full_of_active_scalar, (0.7, 1.3), wrt=(0, 1), jit=jit)


@pytest.mark.parametrize("jit", [True, False])
def test_linspace_endpoints_are_differentiable(jit):
    check_grads(linspace_between_active_ends, (0.2, 1.9), wrt=(0, 1), jit=jit)
    check_jvp(linspace_between_active_ends, (0.2, 1.9), wrt=(0, 1), jit=jit)


# `F[..., k] = e` was typed as a scalar slot, so the adjoint read from it was a view that the
# next statement zeroed: a silently zero gradient (found in pyro's consFlux by the corpus)
def ellipsis_stores(U):
    F = np.zeros_like(U)
    F[..., 0] = U[..., 1] * U[..., 0]
    F[..., 1] = U[..., 1] ** 2
    return np.sum(F * F)


def ellipsis_stores_3d(U):
    F = np.zeros_like(U)
    F[..., 0] = np.sin(U[..., 1]) * U[..., 0]
    F[..., 1] = U[..., 0] - U[..., 1]
    return np.sum(F * U)


@pytest.mark.parametrize("jit", [True, False])
def test_stores_through_an_ellipsis(jit):
    U = np.random.default_rng(3).standard_normal((4, 2))
    check_grads(ellipsis_stores, (U,), wrt=0, jit=jit)
    check_jvp(ellipsis_stores, (U,), wrt=(0,), jit=jit)


@pytest.mark.parametrize("jit", [True, False])
def test_stores_through_an_ellipsis_into_3d_arrays(jit):
    U3 = np.random.default_rng(4).standard_normal((3, 2, 2))
    check_grads(ellipsis_stores_3d, (U3,), wrt=0, jit=jit)


def ellipsis_stores_1d(u):
    # on a 1-D array F[..., k] is a 0-d view in NumPy (jit=False was silently wrong)
    F = np.zeros(2)
    F[..., 0] = u[..., 1] * u[..., 0]
    F[..., 1] = u[..., 1] ** 2
    return np.sum(F * F)


@pytest.mark.parametrize("jit", [True, False])
def test_stores_through_an_ellipsis_into_1d_arrays(jit):
    check_grads(ellipsis_stores_1d, (np.array([0.3, -1.2]),), wrt=0, jit=jit)
    check_jvp(ellipsis_stores_1d, (np.array([0.3, -1.2]),), wrt=(0,), jit=jit)
