"""Hidden suite: principal component analysis (one suite, both backends).

Oracles: a hand-worked example; `svd_pca`, the principal axes from np.linalg.svd of the centred data in
float64 (a different route from the eigendecomposition of the covariance); scikit-learn's published
explained-variance ratio of Fisher's iris data; for the torch backend, torch.pca_lowrank. The sign of
each component is free: expected components (and projections) take the sign of the attempt's.
"""

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]
# Float32 eigenvectors carry an error of about eps * lambda_max / (gap between eigenvalues): allow it.
TOL = {"float64": {}, "float32": {"rtol": 1e-4, "atol": 1e-4}}
ATTRIBUTES = ("components", "mean", "explained_variance", "explained_variance_ratio")
# Known mistakes, as the failure messages name them.
ASCENDING = "the components come in increasing order of variance (eigh returns eigenvalues in ascending order)"
NOT_CENTRED = "the data is not centred (the mean is not subtracted) before the covariance"
DIVIDES_BY_N = "the covariance divides by n instead of n - 1"
RATIO_OF_KEPT = "explained_variance_ratio divides by the variance of the kept components only"
NO_MEAN_BACK = "inverse_transform does not add the mean back"


# -- oracles ---------------------------------------------------------------------------------------
def svd_pca(X, k, center=True):
    """Oracle: principal axes = right singular vectors of the centred data; variances = s^2 / (n - 1)."""
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0) if center else X  # center=False gives the "forgot to centre" mistake
    _, s, vt = np.linalg.svd(Xc, full_matrices=False)  # s descending, rows of vt orthonormal
    variances = s**2 / (X.shape[0] - 1)
    return {
        "mean": X.mean(axis=0),
        "components": vt[:k],
        "all_components": vt,
        "explained_variance": variances[:k],
        "all_variances": variances,
        "singular_values": s[:k],
        "explained_variance_ratio": variances[:k] / variances.sum(),
    }


def match_signs(reference, got):
    """Flip each reference row to the sign of the attempt's row (each component's sign is free)."""
    reference = np.asarray(reference, dtype=np.float64)
    got = np.asarray(got)
    if got.shape != reference.shape or got.dtype.kind not in "fiu":
        return reference, np.ones(len(reference))
    signs = np.sign(np.sum(reference * got, axis=1))
    signs[signs == 0] = 1.0
    return reference * signs[:, None], signs


def attribute(model, name, backend):
    """The fitted attribute `name`, checked to be a real array of the backend."""
    if not hasattr(model, name):
        raise ResultMismatch(f"after fit the model has no attribute '{name}' (expected: {', '.join(ATTRIBUTES)})")
    value = getattr(model, name)
    arr = as_result(value, backend, name)
    if arr.dtype.kind == "c":
        raise ResultMismatch(
            f"{name} has complex dtype {arr.dtype}; the covariance is symmetric: eigh (not eig) gives real eigenvalues and eigenvectors"
        )
    return value


def fit(impl, backend, X, k, dtype):
    model = impl.PCA(k)
    returned = model.fit(backend.asarray(X, dtype))
    if returned is not model:
        raise ResultMismatch(f"fit returned {type(returned).__name__}; it should return self, so that PCA(k).fit(X).transform(X) chains")
    return model


def check_components(model, oracle, backend, dtype, X=None, wide=False):
    """Compare components up to sign; return the signs that align the oracle with the attempt."""
    got = attribute(model, "components", backend)
    got_np = backend.to_numpy(got)
    expected, signs = match_signs(oracle["components"], got_np)
    k = len(oracle["components"])
    mistakes = {}
    if not wide:  # with fewer samples than features the smallest directions are arbitrary
        mistakes[ASCENDING] = match_signs(oracle["all_components"][::-1][:k], got_np)[0]
    if X is not None:
        mistakes[NOT_CENTRED] = match_signs(svd_pca(X, k, center=False)["components"], got_np)[0]
    assert_close(got, expected, backend, what="components (up to each row's sign)", input_dtype=dtype, mistakes=mistakes, **TOL[dtype])
    return signs


def check_variances(model, oracle, backend, dtype, X, wide=False):
    n = X.shape[0]
    ev = oracle["explained_variance"]
    k = len(ev)
    mistakes = {
        DIVIDES_BY_N: ev * (n - 1) / n,
        "explained_variance holds the singular values of the centred data, not s^2 / (n - 1)": oracle["singular_values"],
    }
    ratio_mistakes = {RATIO_OF_KEPT: ev / ev.sum()}
    if not wide:
        ascending = oracle["all_variances"][::-1][:k]
        mistakes[ASCENDING] = ascending
        ratio_mistakes[ASCENDING] = ascending / oracle["all_variances"].sum()
    mistakes[NOT_CENTRED] = svd_pca(X, k, center=False)["explained_variance"]
    got = attribute(model, "explained_variance", backend)
    assert_close(got, ev, backend, what="explained_variance", input_dtype=dtype, mistakes=mistakes, **TOL[dtype])
    got = attribute(model, "explained_variance_ratio", backend)
    assert_close(
        got,
        oracle["explained_variance_ratio"],
        backend,
        what="explained_variance_ratio",
        input_dtype=dtype,
        mistakes=ratio_mistakes,
        **TOL[dtype],
    )


def check_mean(model, oracle, backend, dtype):
    assert_close(attribute(model, "mean", backend), oracle["mean"], backend, what="mean", input_dtype=dtype, **TOL[dtype])


# -- data ------------------------------------------------------------------------------------------
def correlated_data(seed, n, d, offset=3.0):
    """Rotated Gaussian data with well separated variances (1.5^j) and a non-zero mean."""
    rng = np.random.default_rng(seed)
    scales = 1.5 ** np.arange(d, 0, -1)  # distinct spreads: every eigenvalue has a clear gap
    rotation, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return rng.normal(size=(n, d)) * scales @ rotation + offset * rng.normal(size=d)


def iris(kata):
    return np.loadtxt(kata.folder / "iris.csv", delimiter=",", comments="#")


# -- tests -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_example(impl, backend, dtype):
    # The seed only checks that transform gives shape (3, 1). By hand: mean = (3, 4), centred rows
    # (-2, -2), (0, 0), (2, 2); C = [[8, 8], [8, 8]] / (n - 1 = 2) = [[4, 4], [4, 4]], eigenvalues 8 and 0;
    # the top eigenvector is (1, 1) / sqrt(2), so the projections are -4 / sqrt(2), 0, 4 / sqrt(2) and the
    # one component holds all of the variance (ratio 1). Dividing by n = 3 would give 16 / 3 = 5.3333.
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    model = fit(impl, backend, X, 1, dtype)
    projected = model.transform(backend.asarray(X, dtype))
    got = attribute(model, "components", backend)
    expected, signs = match_signs([[2**-0.5, 2**-0.5]], backend.to_numpy(got))
    mistakes = {
        ASCENDING: match_signs([[-(2**-0.5), 2**-0.5]], backend.to_numpy(got))[0],
        NOT_CENTRED: match_signs(svd_pca(X, 1, center=False)["components"], backend.to_numpy(got))[0],
    }
    assert_close(got, expected, backend, what="components (up to each row's sign)", input_dtype=dtype, mistakes=mistakes)
    assert_close(projected, np.array([[-(8**0.5)], [0.0], [8**0.5]]) * signs, backend, what="transform(X)", input_dtype=dtype)
    assert_close(attribute(model, "mean", backend), [3.0, 4.0], backend, what="mean", input_dtype=dtype)
    assert_close(
        attribute(model, "explained_variance", backend), [8.0], backend, what="explained_variance", input_dtype=dtype,
        mistakes={DIVIDES_BY_N: [16 / 3]},
    )  # fmt: skip
    assert_close(attribute(model, "explained_variance_ratio", backend), [1.0], backend, what="explained_variance_ratio", input_dtype=dtype)


SHAPES = [  # (n, d, k)
    pytest.param(40, 5, 3, id="40x5-keep-3"),
    pytest.param(30, 4, 4, id="30x4-keep-all"),
    pytest.param(25, 6, 1, id="25x6-keep-1"),
    pytest.param(6, 9, 3, id="fewer-samples-than-features"),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n,d,k", SHAPES)
def test_agrees_with_svd_oracle_up_to_sign(impl, backend, n, d, k, dtype):
    X = correlated_data(n * d + k, n, d).astype(dtype)
    oracle = svd_pca(X, k)
    model = fit(impl, backend, X, k, dtype)
    check_mean(model, oracle, backend, dtype)
    check_components(model, oracle, backend, dtype, X, wide=n <= d)
    check_variances(model, oracle, backend, dtype, X, wide=n <= d)


@pytest.mark.parametrize("dtype", DTYPES)
def test_components_are_orthonormal_and_real(impl, backend, dtype):
    X = correlated_data(1, 50, 6)
    model = fit(impl, backend, X, 4, dtype)
    components = attribute(model, "components", backend)
    gram = components @ components.T  # (k, k): the identity when the rows are orthonormal
    assert_close(
        gram, np.eye(4), backend, what="components @ components.T (orthonormal rows give the identity)", input_dtype=dtype, **TOL[dtype]
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_components_are_sorted_by_decreasing_variance(impl, backend, dtype):
    # Features with spreads 0.5, 1, 2, 4 in that order: the largest variance is in the LAST column, so
    # an attempt that keeps eigh's ascending order (or eig's arbitrary one) picks the wrong directions.
    X = (np.random.default_rng(2).normal(size=(60, 4)) * [0.5, 1.0, 2.0, 4.0] + [1.0, -2.0, 3.0, 0.5]).astype(dtype)
    oracle = svd_pca(X, 2)
    model = fit(impl, backend, X, 2, dtype)
    check_variances(model, oracle, backend, dtype, X)
    check_components(model, oracle, backend, dtype, X)
    variances = backend.to_numpy(attribute(model, "explained_variance", backend))
    if np.any(np.diff(variances) > 0):
        raise ResultMismatch(f"explained_variance is {variances.tolist()}; it must be in decreasing order, the largest variance first")


@pytest.mark.parametrize("dtype", DTYPES)
def test_explained_variance_uses_n_minus_one(impl, backend, dtype):
    # Five samples: dividing by n = 5 instead of n - 1 = 4 changes every variance by 20%.
    X = correlated_data(3, 5, 3).astype(dtype)
    oracle = svd_pca(X, 2)
    model = fit(impl, backend, X, 2, dtype)
    check_variances(model, oracle, backend, dtype, X)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", [2, 4], ids=["keep-2", "keep-4"])
def test_explained_variance_ratio_of_iris(impl, backend, kata, k, dtype):
    # scikit-learn's PCA on the iris data: explained_variance_ = 4.22824171, 0.24267075, 0.0782095,
    # 0.02383509 and explained_variance_ratio_ = 0.92461872, 0.05306648, 0.01710261, 0.00521218 (the svd
    # oracle gives the same). Over the two kept components only, the ratio would be 0.94573, 0.05427.
    X = iris(kata)
    variance = np.array([4.22824171, 0.24267075, 0.0782095, 0.02383509])[:k]
    ratio = np.array([0.92461872, 0.05306648, 0.01710261, 0.00521218])[:k]
    model = fit(impl, backend, X, k, dtype)
    assert_close(
        attribute(model, "explained_variance", backend), variance, backend, what="explained_variance", input_dtype=dtype,
        mistakes={DIVIDES_BY_N: variance * 149 / 150}, **TOL[dtype],
    )  # fmt: skip
    assert_close(
        attribute(model, "explained_variance_ratio", backend), ratio, backend, what="explained_variance_ratio", input_dtype=dtype,
        mistakes={RATIO_OF_KEPT: variance / variance.sum()}, **TOL[dtype],
    )  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
def test_transform_uses_the_mean_learned_in_fit(impl, backend, dtype):
    # New data far from the training data: it must be centred with the TRAINING mean.
    X = correlated_data(4, 40, 5).astype(dtype)
    X_new = (correlated_data(5, 7, 5, offset=0.0) + 4.0).astype(dtype)
    oracle = svd_pca(X, 3)
    model = fit(impl, backend, X, 3, dtype)
    signs = check_components(model, oracle, backend, dtype, X)
    V = oracle["components"] * signs[:, None]  # (k, d) the oracle's axes with the attempt's signs
    X_new64 = X_new.astype(np.float64)
    got = model.transform(backend.asarray(X_new, dtype))
    assert_close(
        got, (X_new64 - oracle["mean"]) @ V.T, backend, what="transform(X_new)", input_dtype=dtype, **TOL[dtype],
        mistakes={
            "transform centres the new data with its own mean instead of the mean learned in fit": (X_new64 - X_new64.mean(axis=0)) @ V.T,
            "transform does not subtract the mean learned in fit": X_new64 @ V.T,
        },
    )  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
def test_fit_transform_equals_fit_then_transform(impl, backend, dtype):
    X = correlated_data(6, 30, 4).astype(dtype)
    oracle = svd_pca(X, 2)
    model = impl.PCA(2)
    got = model.fit_transform(backend.asarray(X, dtype))
    signs = check_components(model, oracle, backend, dtype, X)
    expected = (X.astype(np.float64) - oracle["mean"]) @ (oracle["components"] * signs[:, None]).T
    assert_close(got, expected, backend, what="fit_transform(X)", input_dtype=dtype, **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_full_rank_reconstructs_exactly(impl, backend, dtype):
    # With k = d the components are a rotation: inverse_transform(transform(X)) gives X back.
    X = correlated_data(7, 20, 5, offset=5.0).astype(dtype)
    model = fit(impl, backend, X, 5, dtype)
    back = model.inverse_transform(model.transform(backend.asarray(X, dtype)))
    X64 = X.astype(np.float64)
    assert_close(
        back, X64, backend, what="inverse_transform(transform(X)) with k = d", input_dtype=dtype, **TOL[dtype],
        mistakes={NO_MEAN_BACK: X64 - X64.mean(axis=0)},
    )  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
def test_inverse_transform_maps_back_with_the_mean(impl, backend, dtype):
    # With k < d, inverse_transform gives the projection of X onto the top-k plane, plus the mean;
    # that projection does not depend on the components' signs.
    X = correlated_data(8, 40, 4).astype(dtype)
    oracle = svd_pca(X, 2)
    model = fit(impl, backend, X, 2, dtype)
    signs = check_components(model, oracle, backend, dtype, X)
    V = oracle["components"] * signs[:, None]  # (k, d)
    Z = (X.astype(np.float64) - oracle["mean"]) @ V.T  # (n, k) projections with the attempt's signs
    got = model.inverse_transform(backend.asarray(Z, dtype))
    assert_close(
        got, Z @ V + oracle["mean"], backend, what="inverse_transform(Z)", input_dtype=dtype, **TOL[dtype],
        mistakes={NO_MEAN_BACK: Z @ V},
    )  # fmt: skip


def test_inputs_are_not_modified(impl, backend):
    X = correlated_data(9, 20, 4)
    X_new = correlated_data(10, 5, 4)
    inputs = {"X given to fit": backend.asarray(X), "X given to transform": backend.asarray(X_new)}
    model = impl.PCA(2)
    model.fit(inputs["X given to fit"])
    Z_np = backend.to_numpy(model.transform(inputs["X given to transform"]))
    inputs["Z given to inverse_transform"] = backend.asarray(Z_np)
    model.inverse_transform(inputs["Z given to inverse_transform"])
    inputs["X given to fit_transform"] = backend.asarray(X)
    impl.PCA(3).fit_transform(inputs["X given to fit_transform"])
    for (name, after), before in zip(inputs.items(), (X, X_new, Z_np, X)):
        assert_unchanged(before, after, backend, name)


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_results_keep_input_dtype_and_device(impl, backend, dtype):
    import torch

    data = correlated_data(11, 20, 4)
    X = backend.asarray(data, dtype)
    model = impl.PCA(2)
    model.fit(X)
    results = {name: attribute(model, name, backend) for name in ATTRIBUTES}
    results["transform(X)"] = model.transform(X)
    results["inverse_transform(Z)"] = model.inverse_transform(results["transform(X)"])
    for name, value in results.items():
        as_result(value, backend, name, dtype=dtype)
        assert value.device == X.device, f"{name} is on {value.device}; the input is on {X.device}"
    if torch.cuda.is_available():
        Xc = X.cuda()
        model = impl.PCA(2).fit(Xc)
        for name in ("components", "mean"):
            value = getattr(model, name)
            assert value.device == Xc.device, f"{name} is on {value.device}; the input is on {Xc.device}"


@pytest.mark.backend("torch")
def test_matches_torch_pca_lowrank(impl, backend):
    import torch

    data = correlated_data(12, 50, 6)
    X = backend.asarray(data)
    # pca_lowrank with q = d keeps every direction: V's columns are the principal axes, S^2 / (n - 1) the variances.
    _, S, V = torch.pca_lowrank(X, q=6, center=True, niter=6)
    model = fit(impl, backend, data, 3, "float64")
    got = attribute(model, "components", backend)
    expected, _ = match_signs(V[:, :3].T.numpy(), backend.to_numpy(got))
    assert_close(got, expected, backend, what="components (up to each row's sign)", rtol=1e-6, atol=1e-6)
    variances = (S**2 / 49).numpy()
    assert_close(attribute(model, "explained_variance", backend), variances[:3], backend, what="explained_variance", rtol=1e-6, atol=1e-6)
    assert_close(
        attribute(model, "explained_variance_ratio", backend), variances[:3] / variances.sum(), backend, what="explained_variance_ratio",
        rtol=1e-6, atol=1e-6,
    )  # fmt: skip
