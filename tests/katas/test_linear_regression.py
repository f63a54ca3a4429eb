"""Hidden suite: linear regression by least squares (one suite, both backends).

Oracles: hand-worked examples (the working is in each test); numpy.linalg.lstsq in float64 on the
design matrix [1, X]; for an underdetermined system the closed form A^T (A A^T)^-1 y; for the torch
backend, torch.linalg.pinv and torch.linalg.lstsq (forbidden to the attempt, fine for the suite).
"""

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]
# Least squares in float32 loses a few more digits than one rounding: a float32 SVD solution is within
# ~cond(A) * 1e-7 of the float64 answer. The cases below have cond(A) < 100.
TOL = {"float64": {"rtol": 1e-7, "atol": 1e-7}, "float32": {"rtol": 1e-4, "atol": 1e-4}}


def design(X):
    """The design matrix [1, X] in float64."""
    X = np.asarray(X, dtype=np.float64)
    return np.concatenate([np.ones((X.shape[0], 1)), X], axis=1)


def lstsq_oracle(X, y):
    """Minimum-norm least squares by numpy.linalg.lstsq (LAPACK gelsd) in float64."""
    return np.linalg.lstsq(design(X), np.asarray(y, dtype=np.float64), rcond=None)[0]


def centred_fit(X, y):
    """The mistake of fitting centred data (as scikit-learn): the intercept is left out of the norm."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0]
    return np.concatenate([[y.mean() - X.mean(0) @ w], w])


INTERCEPT_LAST = "the intercept comes last instead of first (beta[0] is the intercept)"
CENTRED = (
    "the intercept was left out of the minimum norm (a fit on centred data): "
    "the norm of the whole beta, intercept included, is the one to minimise"
)


def known_mistakes(X, y):
    return {INTERCEPT_LAST: np.roll(lstsq_oracle(X, y), -1), CENTRED: centred_fit(X, y)}


def fit(impl, backend, X, y, dtype):
    """Call the attempt; a singular-matrix error gets a message that says why this case is singular."""
    try:
        return impl.linear_regression(backend.asarray(X, dtype), backend.asarray(y, dtype))
    except Exception as exc:  # numpy's LinAlgError, torch's _LinAlgError (a RuntimeError)
        if "singular" not in str(exc).lower():
            raise
        raise ResultMismatch(
            f"your code raised {type(exc).__name__}: {str(exc).rstrip('.')}. A = [1, X] has dependent columns here, so A^T A "
            "(and the R of its QR) is singular: inv or solve cannot give the answer; the minimum-norm solution comes from the SVD "
            "of A (the pseudo-inverse)"
        ) from None


def check(got, expected, backend, X, y, dtype, mistakes=None):
    """Compare beta; when it misses, say whether it is another least-squares solution or a blown-up one."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    arr = as_result(got, backend, "beta", dtype=dtype if backend.keeps_dtype else None)
    if arr.shape == (d,):
        raise ResultMismatch(f"beta has shape {arr.shape}; expected {(d + 1,)}: the intercept is missing (prepend a column of ones to X)")
    if arr.shape in ((d + 1, 1), (1, d + 1)):
        raise ResultMismatch(f"beta has shape {arr.shape}; expected {(d + 1,)}: y is 1-D, so is beta (no column vectors)")
    try:
        assert_close(got, expected, backend, what="beta", input_dtype=dtype, mistakes=mistakes, **TOL[dtype])
    except ResultMismatch as err:
        message = str(err)
        if "This looks like" in message or arr.shape != expected.shape or not np.isfinite(arr).all():
            raise
        A, norm, best = design(X), np.linalg.norm(arr), np.linalg.norm(expected)
        fitted, optimum = A @ arr, A @ expected
        if np.allclose(fitted, optimum, rtol=1e-3, atol=1e-3 * (1 + np.abs(y).max())) and norm > best:
            message += (
                f". This looks like: a least-squares solution, but not the minimum-norm one (its norm is {norm:.6g}, "
                f"the minimum is {best:.6g}): leave out the directions of the zero singular values"
            )
        elif norm > 100 * (1 + best):
            message += (
                f". This looks like: a singular value that is rounding noise was inverted (beta's norm is {norm:.3g}): "
                "the cutoff must scale with the dtype's eps and the largest singular value"
            )
        raise ResultMismatch(message) from None


@pytest.mark.parametrize("dtype", DTYPES)
def test_one_feature_by_hand(impl, backend, dtype):
    # x = [0, 1, 2], y = [1, 2, 4]: mean x = 1, mean y = 7/3, Sxy = (-1)(-4/3) + 0 + (1)(5/3) = 3,
    # Sxx = 2, slope = Sxy / Sxx = 3/2, intercept = 7/3 - 3/2 * 1 = 5/6.
    X, y = [[0.0], [1.0], [2.0]], [1.0, 2.0, 4.0]
    got = fit(impl, backend, X, y, dtype)
    check(got, np.array([5 / 6, 3 / 2]), backend, X, y, dtype, mistakes={INTERCEPT_LAST: [3 / 2, 5 / 6]})


@pytest.mark.parametrize("dtype", DTYPES)
def test_noiseless_data_is_recovered_exactly(impl, backend, dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    beta_true = np.array([1.5, -2.0, 0.5, 3.0])  # intercept 1.5, then one weight per feature
    y = beta_true[0] + X @ beta_true[1:]
    got = fit(impl, backend, X, y, dtype)
    check(got, beta_true, backend, X, y, dtype, mistakes={INTERCEPT_LAST: np.roll(beta_true, -1)})


@pytest.mark.parametrize("dtype", DTYPES)
def test_noisy_data_matches_least_squares_oracle(impl, backend, dtype):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 5)) * [1.0, 3.0, 0.5, 2.0, 1.0] + [0.0, 4.0, -1.0, 0.0, 2.0]  # features of different scales and means
    y = -0.7 + X @ np.array([2.0, -1.0, 0.3, 0.0, 1.2]) + rng.normal(scale=0.5, size=60)
    X, y = X.astype(dtype), y.astype(dtype)  # the oracle sees the inputs as rounded to dtype
    got = fit(impl, backend, X, y, dtype)
    check(got, lstsq_oracle(X, y), backend, X, y, dtype, mistakes=known_mistakes(X, y))


@pytest.mark.parametrize("dtype", DTYPES)
def test_seed_example_with_singular_normal_matrix_gives_minimum_norm(impl, backend, dtype):
    # The seed's X = [[1, 2], [2, 3], [4, 5]], y = [1, 2, 3]: its second feature is the first plus 1, so
    # A = [1, X] has rank 2 and A^T A is singular; the seed's np.linalg.inv raises "Singular matrix".
    # By hand: y is fitted by 1/2 + 9/14 x1 (Sxy = 3, Sxx = 14/3, means 7/3 and 2). Every least-squares
    # beta has b0 + b2 = 1/2 and b1 + b2 = 9/14, i.e. beta = (1/2 - t, 9/14 - t, t); the norm is least
    # where 3t = 1/2 + 9/14, t = 8/21: beta = (5/42, 11/42, 8/21) (numpy.linalg.lstsq agrees).
    X, y = [[1.0, 2.0], [2.0, 3.0], [4.0, 5.0]], [1.0, 2.0, 3.0]
    got = fit(impl, backend, X, y, dtype)
    # A centred fit (intercept outside the norm) gives w1 = w2 = 9/28, intercept 2 - 9/28 * 6 = 1/14.
    check(got, np.array([5 / 42, 11 / 42, 8 / 21]), backend, X, y, dtype, mistakes=known_mistakes(X, y))


@pytest.mark.parametrize("dtype", DTYPES)
def test_feature_recorded_twice_splits_its_weight(impl, backend, dtype):
    # y = 1 + 2x with x in both columns: any w1 + w2 = 2 fits; the least norm is w1 = w2 = 1.
    X = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [5.0, 5.0]]
    y = [1.0, 3.0, 5.0, 7.0, 11.0]
    got = fit(impl, backend, X, y, dtype)
    check(got, np.array([1.0, 1.0, 1.0]), backend, X, y, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_constant_feature_shares_the_intercept(impl, backend, dtype):
    # The first feature is always 1, a copy of the intercept column: y = 1 + 2 * x2 needs b0 + b1 = 1,
    # least norm at b0 = b1 = 1/2; b2 = 2.
    X = [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]
    y = [1.0, 3.0, 5.0, 7.0]
    got = fit(impl, backend, X, y, dtype)
    check(got, np.array([0.5, 0.5, 2.0]), backend, X, y, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rank_deficient_random_features_match_oracle(impl, backend, dtype):
    # Small integer features (exact in float32 too); the fourth column is the first plus twice the second.
    rng = np.random.default_rng(2)
    X = rng.integers(-4, 5, size=(30, 3)).astype(float)
    X = np.concatenate([X, X[:, :1] + 2 * X[:, 1:2]], axis=1)
    y = rng.integers(-9, 10, size=30).astype(float)
    got = fit(impl, backend, X, y, dtype)
    check(got, lstsq_oracle(X, y), backend, X, y, dtype, mistakes=known_mistakes(X, y))


@pytest.mark.parametrize("dtype", DTYPES)
def test_more_features_than_samples_interpolates_with_least_norm(impl, backend, dtype):
    # n = 4 samples, d + 1 = 7 coefficients: A has full row rank, every y is fitted exactly, and the
    # least-norm fit has the closed form A^T (A A^T)^-1 y (a different formula from the SVD).
    rng = np.random.default_rng(3)
    X = rng.normal(size=(4, 6))
    y = rng.normal(size=4)
    X, y = X.astype(dtype), y.astype(dtype)
    A = design(X)
    expected = A.T @ np.linalg.solve(A @ A.T, y.astype(np.float64))
    got = fit(impl, backend, X, y, dtype)
    check(got, expected, backend, X, y, dtype)


def test_inputs_are_not_modified(impl, backend):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(10, 3))
    y = rng.normal(size=10)
    inputs = backend.asarray(X), backend.asarray(y)
    impl.linear_regression(*inputs)
    assert_unchanged(X, inputs[0], backend, "X")
    assert_unchanged(y, inputs[1], backend, "y")


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_output_keeps_input_dtype_and_device(impl, backend, dtype):
    import torch

    rng = np.random.default_rng(5)
    X, y = backend.asarray(rng.normal(size=(8, 2)), dtype), backend.asarray(rng.normal(size=8), dtype)
    got = impl.linear_regression(X, y)
    as_result(got, backend, "beta", dtype=dtype)
    assert got.device == X.device, f"beta is on {got.device}; the inputs are on {X.device}"
    if torch.cuda.is_available():
        out = impl.linear_regression(X.cuda(), y.cuda())
        assert out.device == X.cuda().device, f"beta is on {out.device}; the inputs are on cuda"


@pytest.mark.backend("torch")
def test_matches_torch_pseudo_inverse_on_rank_deficient_data(impl, backend):
    import torch

    rng = np.random.default_rng(6)
    X = rng.normal(size=(25, 4))
    X = np.concatenate([X, X[:, 1:2] - X[:, 3:4]], axis=1)  # a fifth feature that the others determine
    y = rng.normal(size=25)
    A = torch.cat([torch.ones(25, 1, dtype=torch.float64), torch.from_numpy(X)], dim=1)
    expected = torch.linalg.pinv(A) @ torch.from_numpy(y)  # oracle: torch's own pseudo-inverse
    got = fit(impl, backend, X, y, "float64")
    check(got, expected.numpy(), backend, X, y, "float64", mistakes=known_mistakes(X, y))


@pytest.mark.backend("torch")
def test_matches_torch_lstsq_on_tall_data(impl, backend):
    import torch

    rng = np.random.default_rng(7)
    X = rng.normal(size=(50, 3))
    y = 2.0 + X @ np.array([0.5, -1.0, 4.0]) + rng.normal(scale=0.1, size=50)
    A = torch.cat([torch.ones(50, 1, dtype=torch.float64), torch.from_numpy(X)], dim=1)
    expected = torch.linalg.lstsq(A, torch.from_numpy(y)[:, None]).solution[:, 0]  # oracle: torch's least squares
    got = fit(impl, backend, X, y, "float64")
    check(got, expected.numpy(), backend, X, y, "float64", mistakes=known_mistakes(X, y))
