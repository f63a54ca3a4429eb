"""Property-based tests of the reference solutions: invariants that hold for ANY valid input.

The hidden suites (tests/katas/) hold attempts to hand-picked cases and independent oracles; these
tests hold the references themselves to the mathematical invariants of each algorithm, over random
shapes and values drawn by hypothesis (attention rows are convex combinations of V, k-fold partitions
cover and are disjoint, batch/layer norm outputs are standardised, ...). Calling the references is the
point here: nothing in this file is a hidden suite, and no suite may import from it.

Strategies are bounded (no NaN/inf, moderate magnitudes, small shapes) so that every invariant holds
up to a stated rounding tolerance. Examples are derandomized (the same on every run and machine, no
example database) so that CI is reproducible; the whole file stays within a few seconds per backend.
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlkata.backends import get_backend
from mlkata.catalog import load_catalog

settings.register_profile(
    "mlkata-properties",
    max_examples=25,
    deadline=None,
    derandomize=True,  # reproducible in CI: the same examples on every run
    database=None,  # and nothing written to .hypothesis/
    suppress_health_check=[HealthCheck.too_slow],
)
PROPERTY = settings.get_profile("mlkata-properties")  # a decorator: other test files keep their settings

CATALOG = load_catalog()
COVERED = {
    "ann", "approx-nn", "attention", "batchnorm", "bce-loss", "cnn", "gradient-descent", "kfold", "kmeans",
    "knn", "layernorm", "linear-regression", "logistic-regression", "lstm", "mlp", "naive-bayes", "pca", "rnn",
}  # fmt: skip


@functools.cache
def reference(kata_id: str, backend: str):
    """The reference module solutions/<id>/solution_<backend>.py, imported by path."""
    path = CATALOG.get(kata_id).solution_path(backend)
    name = f"mlkata_properties_{kata_id.replace('-', '_')}_{backend}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["numpy", "torch"])
def backend(request):
    """The backend adapter (asarray / to_numpy); module-scoped so that hypothesis may reuse it."""
    if request.param == "torch":
        pytest.importorskip("torch", reason="torch is not installed: pip install 'mlkata[torch]'")
    return get_backend(request.param)


def arr(backend, a):
    """A fresh backend array of the NumPy array `a`, keeping its dtype."""
    return backend.asarray(a, None)


def floats(shape, lo=-5.0, hi=5.0, dtype="float64"):
    width = 32 if dtype == "float32" else 64
    elements = st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=width)
    return hnp.arrays(np.dtype(dtype), shape, elements=elements)


def small_ints(shape, lo=-4, hi=4):
    """Integer-valued float64 arrays: squared distances between them are exact, so ties are real ties."""
    return hnp.arrays(np.int64, shape, elements=st.integers(lo, hi)).map(lambda a: a.astype(np.float64))


def size(data, lo, hi):
    return data.draw(st.integers(lo, hi))


def test_every_kata_in_the_catalog_has_property_tests():
    shipped = {kata_id for kata_id in CATALOG.ids() if not CATALOG.get(kata_id).custom}
    assert not shipped - COVERED, f"add property tests for: {sorted(shipped - COVERED)}"


# ---------------------------------------------------------------------------------------------- attention


@PROPERTY
@given(data=st.data())
def test_attention_output_is_a_convex_combination_of_the_values(backend, data):
    sdpa = reference("attention", backend.name).scaled_dot_product_attention
    dtype = data.draw(st.sampled_from(["float64", "float32"]))
    batch = data.draw(st.sampled_from([(), (2,)]))
    lq, lk, dk, dv = (size(data, 1, 4) for _ in range(4))
    Q = data.draw(floats(batch + (lq, dk), -3, 3, dtype))
    K = data.draw(floats(batch + (lk, dk), -3, 3, dtype))
    V = data.draw(floats(batch + (lk, dv), -10, 10, dtype))
    out = backend.to_numpy(sdpa(arr(backend, Q), arr(backend, K), arr(backend, V)))
    assert out.shape == batch + (lq, dv)
    assert out.dtype == np.dtype(dtype)
    tol = 1e-4 if dtype == "float32" else 1e-10
    # every output row lies in the box spanned by the value rows (weights are >= 0 and sum to one)
    assert np.all(out >= V.min(axis=-2, keepdims=True) - tol * 10)
    assert np.all(out <= V.max(axis=-2, keepdims=True) + tol * 10)
    # weights sum to one: adding a constant row to every value row adds it to every output row
    shift = data.draw(floats((dv,), -10, 10, dtype))
    shifted = backend.to_numpy(sdpa(arr(backend, Q), arr(backend, K), arr(backend, V + shift)))
    np.testing.assert_allclose(shifted, out + shift, rtol=tol, atol=tol * 100)
    # keys are a set: permuting keys and values together changes nothing
    perm = np.array(data.draw(st.permutations(range(lk))))
    permuted = sdpa(arr(backend, Q), arr(backend, K[..., perm, :]), arr(backend, V[..., perm, :]))
    np.testing.assert_allclose(backend.to_numpy(permuted), out, rtol=tol, atol=tol * 10)


@PROPERTY
@given(data=st.data())
def test_attention_with_a_mask_only_mixes_allowed_values_and_fully_masked_rows_are_zero(backend, data):
    sdpa = reference("attention", backend.name).scaled_dot_product_attention
    lq, lk, dk, dv = (size(data, 1, 4) for _ in range(4))
    Q, K = data.draw(floats((2, lq, dk), -3, 3)), data.draw(floats((2, lk, dk), -3, 3))
    V = data.draw(floats((2, lk, dv), -10, 10))
    mask = data.draw(hnp.arrays(np.bool_, (lq, lk)))  # broadcast over the batch axis
    out = backend.to_numpy(sdpa(arr(backend, Q), arr(backend, K), arr(backend, V), mask=arr(backend, mask)))
    assert out.shape == (2, lq, dv) and np.isfinite(out).all()
    for b in range(2):
        for i in range(lq):
            allowed = V[b][mask[i]]
            if allowed.size == 0:
                assert np.all(out[b, i] == 0)
            else:
                assert np.all(out[b, i] >= allowed.min(axis=0) - 1e-9)
                assert np.all(out[b, i] <= allowed.max(axis=0) + 1e-9)
    everything = np.ones((lq, lk), bool)
    full = sdpa(arr(backend, Q), arr(backend, K), arr(backend, V), mask=arr(backend, everything))
    plain = sdpa(arr(backend, Q), arr(backend, K), arr(backend, V))
    np.testing.assert_allclose(backend.to_numpy(full), backend.to_numpy(plain), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------------- kmeans


def inertia(X, C):
    return float(((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=-1).min(axis=1).sum())


@PROPERTY
@given(data=st.data())
def test_kmeans_labels_are_nearest_centroids_which_are_the_means_of_their_points(backend, data):
    kmeans = reference("kmeans", backend.name).kmeans_clustering
    n, d = size(data, 1, 10), size(data, 1, 3)
    k = size(data, 1, min(n, 4))
    X = data.draw(floats((n, d), -10, 10))
    init = data.draw(st.one_of(st.none(), floats((k, d), -10, 10)))
    seed = data.draw(st.integers(0, 2**16))
    X_in, init_in = arr(backend, X), None if init is None else arr(backend, init)
    C, labels = kmeans(X_in, k, num_iterations=100, init=init_in, seed=seed)
    C, labels = backend.to_numpy(C), backend.to_numpy(labels)
    np.testing.assert_array_equal(backend.to_numpy(X_in), X)  # data and init are never written to
    if init is not None:
        np.testing.assert_array_equal(backend.to_numpy(init_in), init)
    assert C.shape == (k, d) and labels.shape == (n,) and labels.dtype.kind in "iu"
    assert np.all((labels >= 0) & (labels < k))
    sq = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=-1)  # (n, k)
    tol = 1e-9 * (1 + np.abs(X).max() ** 2)
    assert np.all(sq[np.arange(n), labels] <= sq.min(axis=1) + tol), "a label is not the nearest centroid"
    for j in range(k):  # at convergence every non-empty cluster sits at the mean of its points
        members = X[labels == j]
        if len(members):
            np.testing.assert_allclose(C[j], members.mean(axis=0), rtol=1e-9, atol=1e-9)
    if init is not None:  # Lloyd's iterations never increase the within-cluster sum of squares
        assert inertia(X, C) <= inertia(X, init) * (1 + 1e-9) + tol


@PROPERTY
@given(data=st.data())
def test_kmeans_iterations_compose_and_zero_iterations_keep_the_init(backend, data):
    kmeans = reference("kmeans", backend.name).kmeans_clustering
    n, d = size(data, 1, 10), size(data, 1, 3)
    k = size(data, 1, min(n, 4))
    X = data.draw(floats((n, d), -10, 10))
    init = data.draw(floats((k, d), -10, 10))
    first, second = size(data, 0, 4), size(data, 0, 4)
    C0, _ = kmeans(arr(backend, X), k, num_iterations=0, init=arr(backend, init))
    np.testing.assert_array_equal(backend.to_numpy(C0), init)
    C_first, _ = kmeans(arr(backend, X), k, num_iterations=first, init=arr(backend, init))
    C_then, labels_then = kmeans(arr(backend, X), k, num_iterations=second, init=C_first)
    C_all, labels_all = kmeans(arr(backend, X), k, num_iterations=first + second, init=arr(backend, init))
    np.testing.assert_allclose(backend.to_numpy(C_then), backend.to_numpy(C_all), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(backend.to_numpy(labels_then), backend.to_numpy(labels_all))


# ---------------------------------------------------------------------------------------------- knn


@PROPERTY
@given(data=st.data())
def test_knn_neighbors_are_the_first_k_by_distance_then_index(backend, data):
    find = reference("knn", backend.name).knn_find_neighbors
    n, d = size(data, 1, 12), size(data, 1, 3)
    k = size(data, 1, n)
    X, q = data.draw(small_ints((n, d))), data.draw(small_ints((d,)))
    neighbors, indices = find(arr(backend, X), arr(backend, q), k)
    neighbors, indices = backend.to_numpy(neighbors), backend.to_numpy(indices)
    assert indices.dtype.kind in "iu" and indices.shape == (k,)
    sq = ((X - q) ** 2).sum(axis=1)  # exact: integer coordinates
    order = np.lexsort((np.arange(n), sq))  # by distance, ties by the lower index (a stable sort)
    np.testing.assert_array_equal(indices, order[:k])
    np.testing.assert_array_equal(neighbors, X[indices])


@PROPERTY
@given(data=st.data())
def test_knn_predict_returns_the_most_common_label_of_the_neighbors_smallest_on_ties(backend, data):
    predict = reference("knn", backend.name).knn_predict
    n, d, m = size(data, 1, 10), size(data, 1, 3), size(data, 1, 4)
    k = size(data, 1, n)
    X, Xq = data.draw(small_ints((n, d))), data.draw(small_ints((m, d)))
    y = np.array(data.draw(st.lists(st.sampled_from([-2, 3, 7]), min_size=n, max_size=n)), dtype=np.int64)
    got = backend.to_numpy(predict(arr(backend, X), arr(backend, y), arr(backend, Xq), k))
    assert got.shape == (m,) and got.dtype.kind in "iu"
    for i in range(m):
        sq = ((X - Xq[i]) ** 2).sum(axis=1)
        votes = Counter(y[np.lexsort((np.arange(n), sq))[:k]].tolist())
        top = max(votes.values())
        assert got[i] == min(label for label, count in votes.items() if count == top)
    if k == n:  # every point votes: the answer is the overall majority, whatever the query
        assert len(set(got.tolist())) == 1
    # balanced labels and every point voting: a tie between all labels, which goes to the smallest
    labels = data.draw(st.lists(st.integers(-5, 9), min_size=2, max_size=3, unique=True))
    repeats = size(data, 1, 3)
    y_tie = np.array(data.draw(st.permutations(np.repeat(labels, repeats).tolist())), dtype=np.int64)
    X_tie = data.draw(small_ints((len(y_tie), d)))
    tied = backend.to_numpy(predict(arr(backend, X_tie), arr(backend, y_tie), arr(backend, Xq), len(y_tie)))
    np.testing.assert_array_equal(tied, np.full(m, min(labels)))


# ---------------------------------------------------------------------------------------------- approx-nn


@PROPERTY
@given(data=st.data())
def test_lsh_query_returns_candidates_sorted_by_true_distance_and_finds_an_indexed_point(backend, data):
    LSHIndex = reference("approx-nn", backend.name).LSHIndex
    n, d = size(data, 1, 15), size(data, 1, 3)
    tables, bits, seed = size(data, 1, 3), size(data, 1, 4), data.draw(st.integers(0, 2**16))
    k = size(data, 1, n)
    X = data.draw(small_ints((n, d), -5, 5))
    row = size(data, 0, n - 1)
    queries = [X[row], data.draw(small_ints((d,), -6, 6))]
    index = LSHIndex(tables, bits, seed=seed)
    assert index.fit(arr(backend, X)) is index
    twin = LSHIndex(tables, bits, seed=seed).fit(arr(backend, X))
    for q in queries:
        found, count = index.query(arr(backend, q), k)
        found = backend.to_numpy(found)
        assert isinstance(count, int) and 0 <= count <= n
        assert found.dtype.kind in "iu" and found.shape == (min(k, count),)
        assert len(set(found.tolist())) == len(found) and np.all((found >= 0) & (found < n))
        sq = ((X[found] - q) ** 2).sum(axis=1)  # exact
        assert np.all(np.diff(sq) >= 0), "not sorted by true distance"
        assert np.all(np.diff(found)[np.diff(sq) == 0] > 0), "a tie in distance is not in index order"
        if count == n:  # every row was a candidate: the answer is the exact k nearest
            order = np.lexsort((np.arange(n), ((X - q) ** 2).sum(axis=1)))
            np.testing.assert_array_equal(found, order[:k])
        again, again_count = twin.query(arr(backend, q), k)  # the same seed hashes the same way
        np.testing.assert_array_equal(backend.to_numpy(again), found)
        assert again_count == count
    first, _ = index.query(arr(backend, X[row]), k)
    assert ((X[backend.to_numpy(first)[0]] - X[row]) ** 2).sum() == 0, "an indexed point must find itself"


# ---------------------------------------------------------------------------------------------- linear-regression


def design(X):
    return np.concatenate([np.ones((X.shape[0], 1)), X], axis=1)


@PROPERTY
@given(data=st.data())
def test_linear_regression_residual_is_orthogonal_to_the_design_matrix(backend, data):
    fit = reference("linear-regression", backend.name).linear_regression
    n, d = size(data, 1, 8), size(data, 1, 3)
    X, y = data.draw(floats((n, d), -10, 10)), data.draw(floats((n,), -10, 10))
    beta = backend.to_numpy(fit(arr(backend, X), arr(backend, y)))
    assert beta.shape == (d + 1,) and np.isfinite(beta).all()
    A = design(X)
    norm_A = np.linalg.norm(A, 2)
    tol = 1e-8 * norm_A * (norm_A * np.linalg.norm(beta) + np.linalg.norm(y)) + 1e-12
    assert np.abs(A.T @ (y - A @ beta)).max() <= tol, "the normal equations A^T (y - A beta) = 0 do not hold"


@PROPERTY
@given(data=st.data())
def test_linear_regression_splits_a_duplicated_feature_evenly_min_norm(backend, data):
    fit = reference("linear-regression", backend.name).linear_regression
    d = size(data, 1, 3)
    n = size(data, d + 1, 8)
    X0 = data.draw(floats((n, d), -10, 10))
    assume(np.linalg.cond(design(X0)) < 1e6)  # [1, X0] has full column rank
    y = data.draw(floats((n,), -10, 10))
    X = np.concatenate([X0, X0[:, :1]], axis=1)  # the first feature twice: A is rank deficient
    beta = backend.to_numpy(fit(arr(backend, X), arr(backend, y)))
    scale = 1e-7 * (1 + np.abs(beta).max())
    # the least-norm answer gives both copies the same weight (beta is orthogonal to e_1 - e_last) ...
    assert abs(beta[1] - beta[-1]) <= scale
    # ... and together they carry the unique answer of the full-rank problem
    unique = np.linalg.lstsq(design(X0), y, rcond=None)[0]
    np.testing.assert_allclose(np.r_[beta[0], beta[1] + beta[-1], beta[2:-1]], unique, rtol=1e-6, atol=scale * 10)


@PROPERTY
@given(data=st.data())
def test_linear_regression_with_fewer_samples_than_coefficients_interpolates_with_least_norm(backend, data):
    fit = reference("linear-regression", backend.name).linear_regression
    d = size(data, 1, 4)
    n = size(data, 1, d)  # n <= d < d + 1 coefficients: infinitely many exact fits
    X, y = data.draw(floats((n, d), -10, 10)), data.draw(floats((n,), -10, 10))
    A = design(X)
    assume(np.linalg.cond(A) < 1e6)  # full row rank
    beta = backend.to_numpy(fit(arr(backend, X), arr(backend, y)))
    np.testing.assert_allclose(A @ beta, y, atol=1e-7 * (1 + np.abs(y).max()))
    # the least-norm fit lies in the row space of A (intercept included): beta = A^T w for some w
    w = np.linalg.lstsq(A.T, beta, rcond=None)[0]
    np.testing.assert_allclose(A.T @ w, beta, atol=1e-7 * (1 + np.abs(beta).max()))


# ---------------------------------------------------------------------------------------------- logistic-regression


def mean_bce(y, p):
    p = np.clip(p, 1e-300, 1.0)
    q = np.clip(1.0 - p, 1e-300, 1.0)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(q)))


@PROPERTY
@given(data=st.data())
def test_logistic_regression_probabilities_and_labels_agree_and_the_loss_never_rises(backend, data):
    LogisticRegression = reference("logistic-regression", backend.name).LogisticRegression
    n, d = size(data, 1, 10), size(data, 1, 3)
    X = data.draw(floats((n, d), -3, 3))
    y = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, 1)))
    iterations = size(data, 0, 30)
    A = np.concatenate([X, np.ones((n, 1))], axis=1)
    lipschitz = np.linalg.eigvalsh(A.T @ A / n).max() / 4  # of the mean BCE's gradient in (w, b)
    learning_rate = data.draw(st.floats(0.05, 1.0)) / lipschitz  # <= 1 / L: every step descends
    model = LogisticRegression(learning_rate=learning_rate, num_iterations=iterations)
    assert model.fit(arr(backend, X), arr(backend, y)) is model
    X_new = data.draw(floats((4, d), -6, 6))
    for Z in (X, X_new):
        p = backend.to_numpy(model.predict_proba(arr(backend, Z)))
        labels = backend.to_numpy(model.predict(arr(backend, Z)))
        assert p.shape == labels.shape == (len(Z),)
        assert np.all((p >= 0) & (p <= 1))
        assert labels.dtype.kind in "iu"
        np.testing.assert_array_equal(labels, (p >= 0.5).astype(np.int64))
        if iterations == 0:
            assert np.all(p == 0.5)
    p = backend.to_numpy(model.predict_proba(arr(backend, X)))
    assert mean_bce(y, p) <= math.log(2) + 1e-12, "gradient descent from zero weights raised the loss"
    flipped = LogisticRegression(learning_rate=learning_rate, num_iterations=iterations)
    flipped.fit(arr(backend, X), arr(backend, 1 - y))  # swapping the classes mirrors every probability
    np.testing.assert_allclose(backend.to_numpy(flipped.predict_proba(arr(backend, X))), 1 - p, atol=1e-9)


# ---------------------------------------------------------------------------------------------- naive-bayes


@PROPERTY
@given(data=st.data())
def test_naive_bayes_posteriors_are_distributions_and_predict_is_their_argmax(backend, data):
    GaussianNaiveBayes = reference("naive-bayes", backend.name).GaussianNaiveBayes
    n, d, m = size(data, 2, 12), size(data, 1, 3), size(data, 1, 5)
    X = data.draw(floats((n, d), -5, 5))
    assume(X.var(axis=0).max() > 1e-3)  # a wholly constant X leaves every variance at zero
    y = np.array(data.draw(st.lists(st.sampled_from([-3, 7, 100]), min_size=n, max_size=n)), dtype=np.int64)
    model = GaussianNaiveBayes()
    assert model.fit(arr(backend, X), arr(backend, y)) is model
    classes = backend.to_numpy(model.classes)
    np.testing.assert_array_equal(classes, np.unique(y))
    priors = backend.to_numpy(model.priors)
    np.testing.assert_allclose(priors, [np.mean(y == c) for c in classes], rtol=1e-12)
    means, variances = backend.to_numpy(model.means), backend.to_numpy(model.variances)
    smoothing = 1e-9 * X.var(axis=0).max()  # the maximum-likelihood estimates, plus sklearn's epsilon
    for j, c in enumerate(classes):
        np.testing.assert_allclose(means[j], X[y == c].mean(axis=0), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(variances[j], X[y == c].var(axis=0) + smoothing, rtol=1e-9, atol=1e-12)
    assert np.all(variances > 0)
    Xq = data.draw(floats((m, d), -10, 10))
    P = backend.to_numpy(model.predict_proba(arr(backend, Xq)))
    assert P.shape == (m, len(classes)) and np.all((P >= 0) & (P <= 1))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    predicted = backend.to_numpy(model.predict(arr(backend, Xq)))
    assert set(predicted.tolist()) <= set(classes.tolist())
    position = np.searchsorted(classes, predicted)
    assert np.all(P[np.arange(m), position] >= P.max(axis=1) - 1e-12)


@PROPERTY
@given(data=st.data())
def test_naive_bayes_does_not_depend_on_the_order_of_the_training_rows(backend, data):
    GaussianNaiveBayes = reference("naive-bayes", backend.name).GaussianNaiveBayes
    n, d = size(data, 2, 12), size(data, 1, 3)
    X = data.draw(floats((n, d), -5, 5))
    assume(X.var(axis=0).max() > 1e-3)
    y = np.array(data.draw(st.lists(st.sampled_from([0, 1, 2]), min_size=n, max_size=n)), dtype=np.int64)
    perm = np.array(data.draw(st.permutations(range(n))))
    Xq = data.draw(floats((4, d), -10, 10))
    # a large smoothing keeps log-densities moderate, so row order only moves the last bits
    P = GaussianNaiveBayes(var_smoothing=0.1).fit(arr(backend, X), arr(backend, y)).predict_proba(arr(backend, Xq))
    Q = GaussianNaiveBayes(var_smoothing=0.1).fit(arr(backend, X[perm]), arr(backend, y[perm])).predict_proba(arr(backend, Xq))
    np.testing.assert_allclose(backend.to_numpy(Q), backend.to_numpy(P), rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------------------------------------- pca


@PROPERTY
@given(data=st.data())
def test_pca_components_are_orthonormal_eigenvectors_sorted_by_variance(backend, data):
    PCA = reference("pca", backend.name).PCA
    n, d = size(data, 2, 10), size(data, 1, 4)
    k = size(data, 1, d)
    X = data.draw(floats((n, d), -10, 10))
    cov = np.cov(X, rowvar=False, ddof=1).reshape(d, d)
    total = np.trace(cov)
    assume(total > 1e-6)  # identical rows have no direction of variance
    model = PCA(k)
    X_in = arr(backend, X)
    assert model.fit(X_in) is model
    np.testing.assert_array_equal(backend.to_numpy(X_in), X)  # fit leaves its input alone
    C = backend.to_numpy(model.components)
    ev = backend.to_numpy(model.explained_variance)
    ratio = backend.to_numpy(model.explained_variance_ratio)
    tol = 1e-9 * (1 + total)
    assert C.shape == (k, d) and ev.shape == ratio.shape == (k,)
    np.testing.assert_allclose(C @ C.T, np.eye(k), atol=1e-9)
    assert np.all(ev >= 0) and np.all(np.diff(ev) <= tol), "explained variance is not sorted descending"
    np.testing.assert_allclose(cov @ C.T, C.T * ev, atol=tol * 10)  # each row an eigenvector of cov
    np.testing.assert_allclose(ratio, ev / total, rtol=1e-9, atol=1e-12)
    assert ratio.sum() <= 1 + 1e-9
    Z = backend.to_numpy(model.transform(arr(backend, X)))  # the scores are centred, with variance ev
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=tol * 10)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), ev, atol=tol * 10)
    X_new = data.draw(floats((3, d), -10, 10))  # new rows use the training mean, one row at a time
    Z_new = backend.to_numpy(model.transform(arr(backend, X_new)))
    np.testing.assert_allclose(Z_new, (X_new - X.mean(axis=0)) @ C.T, atol=tol * 10)
    np.testing.assert_allclose(backend.to_numpy(model.transform(arr(backend, X_new[:1]))), Z_new[:1], atol=tol * 10)
    if k == d:  # all directions: nothing is lost
        np.testing.assert_allclose(ratio.sum(), 1.0, rtol=1e-9)
        back = backend.to_numpy(model.inverse_transform(arr(backend, Z)))
        np.testing.assert_allclose(back, X, atol=1e-8)


# ---------------------------------------------------------------------------------------------- kfold


@PROPERTY
@given(n=st.integers(2, 30), data=st.data())
def test_kfold_validation_folds_partition_the_samples_with_sklearn_sizes(backend, n, data):
    split = reference("kfold", backend.name).k_fold_split
    k = size(data, 2, n)
    shuffle = data.draw(st.booleans())
    seed = data.draw(st.integers(0, 2**16))
    folds = [(backend.to_numpy(t), backend.to_numpy(v)) for t, v in split(n, k, shuffle=shuffle, seed=seed)]
    assert len(folds) == k
    vals = [v for _, v in folds]
    assert all(v.dtype.kind in "iu" and t.dtype.kind in "iu" for t, v in folds)
    np.testing.assert_array_equal(np.sort(np.concatenate(vals)), np.arange(n))  # cover, disjoint
    assert [len(v) for v in vals] == [n // k + 1] * (n % k) + [n // k] * (k - n % k)
    for train, val in folds:  # train is exactly the complement of val
        np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(n))
    if not shuffle:  # consecutive blocks, in order
        np.testing.assert_array_equal(np.concatenate(vals), np.arange(n))
    again = [backend.to_numpy(v) for _, v in split(n, k, shuffle=shuffle, seed=seed)]
    assert all(np.array_equal(a, b) for a, b in zip(again, vals)), "the same seed gave another split"


@PROPERTY
@given(n=st.integers(1, 30), data=st.data())
def test_kfold_rejects_fewer_than_two_folds_or_more_folds_than_samples(backend, n, data):
    split = reference("kfold", backend.name).k_fold_split
    k = data.draw(st.sampled_from([-1, 0, 1, n + 1, n + 5]))
    with pytest.raises(ValueError):
        list(split(n, k))


# ---------------------------------------------------------------------------------------------- ann


@PROPERTY
@given(data=st.data())
def test_ann_forward_hidden_layer_is_a_relu_and_the_network_is_positively_homogeneous(backend, data):
    forward = reference("ann", backend.name).ann_forward
    n, d, h, c = (size(data, 1, 4) for _ in range(4))
    X = data.draw(floats((n, d)))
    W1, b1 = data.draw(floats((d, h))), data.draw(floats((h,)))
    W2, b2 = data.draw(floats((h, c))), data.draw(floats((c,)))
    out = backend.to_numpy(forward(*(arr(backend, a) for a in (X, W1, b1, W2, b2))))
    assert out.shape == (n, c)
    # an identity output layer exposes the hidden layer: non-negative, and X W1 + b1 where positive
    hidden = backend.to_numpy(forward(*(arr(backend, a) for a in (X, W1, b1, np.eye(h), np.zeros(h)))))
    assert np.all(hidden >= 0)
    pre = X @ W1 + b1
    np.testing.assert_allclose(hidden[pre > 1e-9], pre[pre > 1e-9], rtol=1e-10)
    assert np.all(hidden[pre < -1e-9] == 0)
    # ReLU(a z) = a ReLU(z) for a > 0: scaling the first layer scales the logits less b2
    a = data.draw(st.floats(0.1, 10))
    scaled = backend.to_numpy(forward(*(arr(backend, v) for v in (X, a * W1, a * b1, W2, b2))))
    np.testing.assert_allclose(scaled - b2, a * (out - b2), rtol=1e-9, atol=1e-9 * a * (1 + np.abs(out).max()))
    # the output layer is linear in (W2, b2)
    W2b, b2b = data.draw(floats((h, c))), data.draw(floats((c,)))
    other = backend.to_numpy(forward(*(arr(backend, v) for v in (X, W1, b1, W2b, b2b))))
    summed = backend.to_numpy(forward(*(arr(backend, v) for v in (X, W1, b1, W2 + W2b, b2 + b2b))))
    np.testing.assert_allclose(summed, out + other, rtol=1e-9, atol=1e-9 * (1 + np.abs(summed).max()))


@PROPERTY
@given(fan_in=st.integers(1, 64), seed=st.integers(0, 2**16))
def test_ann_he_init_draws_zero_mean_with_variance_two_over_fan_in(backend, fan_in, seed):
    he_init = reference("ann", backend.name).he_init
    fan_out = 4096 // fan_in
    W = backend.to_numpy(he_init(fan_in, fan_out, seed=seed))
    assert W.shape == (fan_in, fan_out) and W.dtype.kind == "f" and np.isfinite(W).all()
    np.testing.assert_array_equal(backend.to_numpy(he_init(fan_in, fan_out, seed=seed)), W)
    count, variance = W.size, 2.0 / fan_in
    # about 4096 draws: six standard errors of the mean and of the sample variance
    assert abs(W.mean()) <= 6 * math.sqrt(variance / count)
    assert abs(W.var() / variance - 1) <= 6 * math.sqrt(2 / count)
    kurtosis = float(((W - W.mean()) ** 4).mean() / W.var() ** 2)  # 3 for a normal, 1.8 for a uniform
    assert abs(kurtosis - 3) <= 8 * math.sqrt(24 / count)


# ---------------------------------------------------------------------------------------------- mlp


def set_parameters(model, backend, params):
    for name, value in params.items():
        setattr(model, name, arr(backend, value))


@PROPERTY
@given(data=st.data())
def test_mlp_backward_matches_finite_differences_and_a_small_step_lowers_the_loss(backend, data):
    SimpleMLP = reference("mlp", backend.name).SimpleMLP
    d, h, c, n = size(data, 1, 4), size(data, 1, 4), size(data, 1, 3), size(data, 1, 6)
    model = SimpleMLP(d, h, c, seed=data.draw(st.integers(0, 2**16)))
    names = ("w1", "b1", "w2", "b2")
    params = {name: backend.to_numpy(getattr(model, name)).astype(np.float64) for name in names}
    assert [params[name].shape for name in names] == [(d, h), (h,), (h, c), (c,)]
    set_parameters(model, backend, params)  # float64 everywhere, for the finite differences
    X, Y = data.draw(floats((n, d), -3, 3)), data.draw(floats((n, c), 0, 1))

    def loss(values):
        set_parameters(model, backend, values)
        return mean_bce(Y, backend.to_numpy(model.forward(arr(backend, X))))

    grads = model.backward(arr(backend, X), arr(backend, Y))
    assert set(grads) == set(names)
    grads = {name: backend.to_numpy(g) for name, g in grads.items()}
    for name in names:
        assert grads[name].shape == params[name].shape and np.isfinite(grads[name]).all()
        np.testing.assert_array_equal(backend.to_numpy(getattr(model, name)), params[name])  # untouched
    direction = {name: data.draw(floats(params[name].shape, -1, 1)) for name in names}
    eps = 1e-6
    plus = loss({name: params[name] + eps * direction[name] for name in names})
    minus = loss({name: params[name] - eps * direction[name] for name in names})
    analytic = sum(float((grads[name] * direction[name]).sum()) for name in names)
    assert abs((plus - minus) / (2 * eps) - analytic) <= 1e-6 * (1 + abs(analytic))
    before = loss(params)
    model.step({name: arr(backend, g) for name, g in grads.items()}, 1e-3)
    for name in names:
        np.testing.assert_allclose(backend.to_numpy(getattr(model, name)), params[name] - 1e-3 * grads[name], rtol=1e-12, atol=1e-15)
    after = mean_bce(Y, backend.to_numpy(model.forward(arr(backend, X))))
    assert after <= before + 1e-12


# ---------------------------------------------------------------------------------------------- bce-loss


@PROPERTY
@given(data=st.data())
def test_bce_is_finite_nonnegative_and_smallest_at_the_labels(backend, data):
    mod = reference("bce-loss", backend.name)
    dtype = data.draw(st.sampled_from(["float64", "float32"]))
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    y = data.draw(floats(shape, 0, 1, dtype))
    certain = st.sampled_from([0.0, 1.0])  # exact 0 and 1: the clip must keep every log away from 0
    p = data.draw(hnp.arrays(np.dtype(dtype), shape, elements=st.one_of(certain, st.floats(0, 1, width=32))))
    loss = backend.to_numpy(mod.binary_cross_entropy_loss(arr(backend, y), arr(backend, p)))
    assert loss.size == 1 and np.isfinite(loss) and loss >= 0
    at_labels = backend.to_numpy(mod.binary_cross_entropy_loss(arr(backend, y), arr(backend, y)))
    assert float(loss) >= float(at_labels) - (1e-5 if dtype == "float32" else 1e-9)  # Gibbs' inequality
    twice = mod.binary_cross_entropy_loss(arr(backend, np.concatenate([y, y])), arr(backend, np.concatenate([p, p])))
    np.testing.assert_allclose(backend.to_numpy(twice), loss, rtol=1e-5 if dtype == "float32" else 1e-12)  # a mean


@PROPERTY
@given(data=st.data())
def test_bce_with_logits_is_finite_symmetric_and_agrees_with_bce_of_the_sigmoid(backend, data):
    mod = reference("bce-loss", backend.name)
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    y = data.draw(floats(shape, 0, 1))
    z = data.draw(floats(shape, -1000, 1000))
    loss = float(backend.to_numpy(mod.binary_cross_entropy_with_logits(arr(backend, y), arr(backend, z))))
    assert math.isfinite(loss) and loss >= 0
    mirrored = float(backend.to_numpy(mod.binary_cross_entropy_with_logits(arr(backend, 1 - y), arr(backend, -z))))
    assert abs(mirrored - loss) <= 1e-12 * (1 + np.abs(z).max())  # (y, z) and (1 - y, -z) are the same bet
    # each element is max(z, 0) - z y + log(1 + exp(-|z|)), the last term in (0, log 2]: exact for any z
    floor = float(np.mean(np.maximum(z, 0) - z * y))
    assert floor - 1e-9 * (1 + abs(floor)) <= loss <= floor + math.log(2) + 1e-9 * (1 + abs(floor))
    moderate = np.clip(z, -15, 15)  # where sigmoid(z) and 1 - sigmoid(z) are both accurate in float64
    from_logits = float(backend.to_numpy(mod.binary_cross_entropy_with_logits(arr(backend, y), arr(backend, moderate))))
    from_probs = float(backend.to_numpy(mod.binary_cross_entropy_loss(arr(backend, y), arr(backend, 1 / (1 + np.exp(-moderate))))))
    assert abs(from_logits - from_probs) <= 1e-7 * (1 + from_logits)


# ---------------------------------------------------------------------------------------------- gradient-descent


@PROPERTY
@given(data=st.data())
def test_gradient_descent_on_a_quadratic_matches_the_closed_form(backend, data):
    gradient_descent = reference("gradient-descent", backend.name).gradient_descent
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    x0, centre = data.draw(floats(shape, -10, 10)), data.draw(floats(shape, -10, 10))
    a = data.draw(st.floats(0.1, 2.0))  # f(x) = sum a (x - centre)^2, grad = 2 a (x - centre)
    learning_rate = data.draw(st.floats(0.0, 1.0)) / a  # |1 - 2 a lr| <= 1: no blow-up
    steps = size(data, 0, 20)
    start = arr(backend, x0)
    if backend.name == "numpy":
        objective = lambda x: 2 * a * (x - centre)  # noqa: E731
    else:
        centre_t = arr(backend, centre)
        objective = lambda x: (a * (x - centre_t) ** 2).sum()  # noqa: E731
    got = backend.to_numpy(gradient_descent(objective, start, learning_rate, steps))
    np.testing.assert_array_equal(backend.to_numpy(start), x0)  # the start is not modified
    expected = centre + (1 - 2 * a * learning_rate) ** steps * (x0 - centre)
    assert got.shape == x0.shape
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9 * (1 + np.abs(x0).max(initial=0) + np.abs(centre).max(initial=0)))


# ---------------------------------------------------------------------------------------------- batchnorm


def per_channel(X):
    """(C, n): every value of each channel, over the batch and positions."""
    return np.moveaxis(X, 1, 0).reshape(X.shape[1], -1)


@PROPERTY
@given(data=st.data())
def test_batchnorm_output_per_channel_has_mean_beta_and_std_gamma(backend, data):
    mod = reference("batchnorm", backend.name)
    N, C = size(data, 1, 4), size(data, 1, 3)
    positions = data.draw(st.sampled_from([(), (size(data, 1, 3),), (size(data, 1, 3), size(data, 1, 3))]))
    assume(N * math.prod(positions) >= 2)
    X = data.draw(floats((N, C) + positions, -10, 10))
    eps = 1e-5
    v = per_channel(X).var(axis=1)
    out = backend.to_numpy(mod.batch_norm(arr(backend, X), arr(backend, np.ones(C)), arr(backend, np.zeros(C)), eps=eps))
    assert out.shape == X.shape
    np.testing.assert_allclose(per_channel(out).mean(axis=1), 0, atol=1e-9)
    np.testing.assert_allclose(per_channel(out).var(axis=1), v / (v + eps), rtol=1e-9, atol=1e-12)  # 1 unless v is tiny
    gamma = data.draw(floats((C,), 0.5, 2)) * data.draw(st.sampled_from([1, -1]))
    beta = data.draw(floats((C,), -5, 5))
    affine = backend.to_numpy(mod.batch_norm(arr(backend, X), arr(backend, gamma), arr(backend, beta), eps=eps))
    np.testing.assert_allclose(per_channel(affine).mean(axis=1), beta, atol=1e-9)
    np.testing.assert_allclose(per_channel(affine).std(axis=1), np.abs(gamma) * np.sqrt(v / (v + eps)), rtol=1e-9, atol=1e-9)


@PROPERTY
@given(data=st.data())
def test_batchnorm_train_interpolates_running_statistics_and_eval_with_batch_statistics_is_train(backend, data):
    mod = reference("batchnorm", backend.name)
    N, C, L = size(data, 1, 4), size(data, 1, 3), size(data, 1, 3)
    assume(N * L >= 2)
    X = data.draw(floats((N, C, L), -10, 10))
    gamma, beta = data.draw(floats((C,), -2, 2)), data.draw(floats((C,), -2, 2))
    running_mean, running_var = data.draw(floats((C,), -5, 5)), data.draw(floats((C,), 0, 5))
    momentum = data.draw(st.sampled_from([0.0, 1.0])) if data.draw(st.booleans()) else data.draw(st.floats(0, 1))
    inputs = [X, gamma, beta, running_mean, running_var]
    handed = [arr(backend, a) for a in inputs]
    out, new_mean, new_var = mod.batch_norm_train(*handed, momentum=momentum)
    out, new_mean, new_var = (backend.to_numpy(a) for a in (out, new_mean, new_var))
    for given_array, original in zip(handed, inputs):  # new running statistics, the inputs untouched
        np.testing.assert_array_equal(backend.to_numpy(given_array), original)
    plain = backend.to_numpy(mod.batch_norm(arr(backend, X), arr(backend, gamma), arr(backend, beta)))
    np.testing.assert_allclose(out, plain, rtol=1e-12, atol=1e-12)
    batch_mean, unbiased = per_channel(X).mean(axis=1), per_channel(X).var(axis=1, ddof=1)
    np.testing.assert_allclose(new_mean, (1 - momentum) * running_mean + momentum * batch_mean, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(new_var, (1 - momentum) * running_var + momentum * unbiased, rtol=1e-9, atol=1e-9)
    biased = per_channel(X).var(axis=1)
    evaluated = mod.batch_norm_eval(*(arr(backend, a) for a in (X, gamma, beta, batch_mean, biased)))
    np.testing.assert_allclose(backend.to_numpy(evaluated), plain, rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------------------------- layernorm


@PROPERTY
@given(data=st.data())
def test_layernorm_standardises_each_sample_and_ignores_a_per_sample_shift(backend, data):
    layer_norm = reference("layernorm", backend.name).layer_norm
    lead = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    S = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    X = data.draw(floats(lead + S, -10, 10))
    eps = 1e-5
    axes = tuple(range(len(lead), X.ndim))
    v = X.var(axis=axes)
    X_in = arr(backend, X)
    out = backend.to_numpy(layer_norm(X_in, arr(backend, np.ones(S)), arr(backend, np.zeros(S)), eps=eps))
    np.testing.assert_array_equal(backend.to_numpy(X_in), X)  # a new array, the input untouched
    assert out.shape == X.shape
    np.testing.assert_allclose(out.mean(axis=axes), 0, atol=1e-9)
    np.testing.assert_allclose(out.var(axis=axes), v / (v + eps), rtol=1e-9, atol=1e-12)  # 1 unless v is tiny
    gamma = data.draw(floats(S, 0.5, 2)) * data.draw(st.sampled_from([1, -1]))
    beta = data.draw(floats(S, -5, 5))
    shift = data.draw(floats(lead, -10, 10)).reshape(lead + (1,) * len(S))
    affine = backend.to_numpy(layer_norm(arr(backend, X), arr(backend, gamma), arr(backend, beta), eps=eps))
    moved = backend.to_numpy(layer_norm(arr(backend, X + shift), arr(backend, gamma), arr(backend, beta), eps=eps))
    np.testing.assert_allclose(affine, gamma * out + beta, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(moved, affine, rtol=1e-7, atol=1e-7)


# ---------------------------------------------------------------------------------------------- cnn


def pair(value):
    return value if isinstance(value, tuple) else (value, value)


@PROPERTY
@given(data=st.data())
def test_conv2d_is_linear_in_the_kernel_and_a_one_hot_kernel_picks_strided_pixels(backend, data):
    mod = reference("cnn", backend.name)
    N, C = size(data, 1, 2), size(data, 1, 2)
    kh, kw = size(data, 1, 3), size(data, 1, 3)
    stride = data.draw(st.one_of(st.integers(1, 2), st.tuples(st.integers(1, 2), st.integers(1, 2))))
    padding = data.draw(st.one_of(st.integers(0, 1), st.tuples(st.integers(0, 1), st.integers(0, 1))))
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    H, W = size(data, max(1, kh - 2 * ph), 5), size(data, max(1, kw - 2 * pw), 5)
    x = data.draw(floats((N, C, H, W)))
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1

    def conv(weight, bias=None):
        b = None if bias is None else arr(backend, bias)
        return backend.to_numpy(mod.conv2d(arr(backend, x), arr(backend, weight), b, stride=stride, padding=padding))

    w1, w2 = data.draw(floats((2, C, kh, kw))), data.draw(floats((2, C, kh, kw)))
    a, b = data.draw(st.floats(-3, 3)), data.draw(st.floats(-3, 3))
    out1, out2 = conv(w1), conv(w2)
    assert out1.shape == (N, 2, Ho, Wo)
    np.testing.assert_allclose(conv(a * w1 + b * w2), a * out1 + b * out2, rtol=1e-9, atol=1e-9)
    bias = data.draw(floats((2,)))
    np.testing.assert_allclose(conv(w1, bias), out1 + bias[None, :, None, None], rtol=1e-12, atol=1e-12)
    # linear in the kernel + right on every one-hot kernel = right on every kernel
    u, v = size(data, 0, kh - 1), size(data, 0, kw - 1)
    one_hot = np.zeros((C, C, kh, kw))
    one_hot[np.arange(C), np.arange(C), u, v] = 1.0
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    picked = padded[:, :, u : u + sh * (Ho - 1) + 1 : sh, v : v + sw * (Wo - 1) + 1 : sw]
    np.testing.assert_allclose(conv(one_hot), picked, rtol=0, atol=0)
    image, kernel = x[0, 0], w1[0, 0]
    single = mod.convolve2D(arr(backend, image), arr(backend, kernel), padding=padding, strides=stride)
    whole = mod.conv2d(arr(backend, image[None, None]), arr(backend, kernel[None, None]), stride=stride, padding=padding)
    np.testing.assert_allclose(backend.to_numpy(single), backend.to_numpy(whole)[0, 0], rtol=1e-12, atol=1e-12)


@PROPERTY
@given(data=st.data())
def test_max_pool2d_equals_the_maximum_of_each_window_taken_by_loops(backend, data):
    mod = reference("cnn", backend.name)
    dtype = data.draw(st.sampled_from(["float64", "float32"]))
    kernel_size = data.draw(st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    stride = data.draw(st.one_of(st.none(), st.integers(1, 2), st.tuples(st.integers(1, 2), st.integers(1, 2))))
    (kh, kw) = pair(kernel_size)
    (sh, sw) = pair(kernel_size if stride is None else stride)
    N, C, H, W = size(data, 1, 2), size(data, 1, 2), size(data, kh, 6), size(data, kw, 6)
    x = data.draw(floats((N, C, H, W), -10, 10, dtype))
    got = backend.to_numpy(mod.max_pool2d(arr(backend, x), kernel_size, stride=stride))
    Ho, Wo = (H - kh) // sh + 1, (W - kw) // sw + 1
    assert got.shape == (N, C, Ho, Wo) and got.dtype == x.dtype
    expected = np.empty((N, C, Ho, Wo), dtype=x.dtype)
    for i in range(Ho):
        for j in range(Wo):
            expected[:, :, i, j] = x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].max(axis=(-2, -1))
    np.testing.assert_array_equal(got, expected)  # a maximum is exact: one of the window's own values


# ---------------------------------------------------------------------------------------------- rnn / lstm


@PROPERTY
@given(data=st.data())
def test_rnn_states_stay_in_tanh_range_are_causal_and_keep_samples_apart(backend, data):
    mod = reference("rnn", backend.name)
    T, N, D, H = size(data, 1, 4), size(data, 1, 3), size(data, 1, 3), size(data, 1, 3)
    x, h0 = data.draw(floats((T, N, D), -3, 3)), data.draw(floats((N, H), -1, 1))
    Wx, Wh, b = data.draw(floats((D, H), -2, 2)), data.draw(floats((H, H), -2, 2)), data.draw(floats((H,), -2, 2))
    weights = [arr(backend, a) for a in (Wx, Wh, b)]
    h_all, h_last = mod.rnn_forward(arr(backend, x), arr(backend, h0), *weights)
    h_all, h_last = backend.to_numpy(h_all), backend.to_numpy(h_last)
    assert h_all.shape == (T, N, H) and np.all(np.abs(h_all) <= 1)
    np.testing.assert_array_equal(h_last, h_all[-1])
    previous = h0
    for t in range(T):  # h_all is the step function applied in turn
        step = backend.to_numpy(mod.rnn_step_forward(arr(backend, x[t]), arr(backend, previous), *weights))
        np.testing.assert_allclose(h_all[t], step, rtol=1e-12, atol=1e-12)
        previous = h_all[t]
    t = size(data, 1, T)  # causal: a prefix of the sequence gives a prefix of the states
    prefix, _ = mod.rnn_forward(arr(backend, x[:t]), arr(backend, h0), *weights)
    np.testing.assert_allclose(backend.to_numpy(prefix), h_all[:t], rtol=1e-12, atol=1e-12)
    perm = np.array(data.draw(st.permutations(range(N))))  # rows never mix: permuting samples permutes states
    shuffled, _ = mod.rnn_forward(arr(backend, x[:, perm]), arr(backend, h0[perm]), *weights)
    np.testing.assert_allclose(backend.to_numpy(shuffled), h_all[:, perm], rtol=1e-12, atol=1e-12)


@PROPERTY
@given(data=st.data())
def test_lstm_hidden_state_is_bounded_and_the_cell_grows_at_most_one_per_step(backend, data):
    mod = reference("lstm", backend.name)
    T, N, D, H = size(data, 1, 4), size(data, 1, 3), size(data, 1, 3), size(data, 1, 3)
    x = data.draw(floats((T, N, D), -3, 3))
    h0, c0 = data.draw(floats((N, H), -1, 1)), data.draw(floats((N, H), -3, 3))
    W, b = data.draw(floats((D + H, 4 * H), -2, 2)), data.draw(floats((4 * H,), -2, 2))
    h_all, (h_last, c_last) = mod.lstm_forward(arr(backend, x), arr(backend, h0), arr(backend, c0), arr(backend, W), arr(backend, b))
    h_all, h_last, c_last = (backend.to_numpy(a) for a in (h_all, h_last, c_last))
    assert h_all.shape == (T, N, H) and c_last.shape == (N, H)
    assert np.all(np.abs(h_all) <= 1)  # h = sigmoid(.) * tanh(c)
    np.testing.assert_array_equal(h_last, h_all[-1])
    h, c = h0, c0
    for t in range(T):  # c = f c_prev + i g with f, i in (0, 1) and |g| <= 1
        h_next, c_next = (backend.to_numpy(a) for a in mod.lstm_cell_forward(*(arr(backend, a) for a in (x[t], h, c, W, b))))
        assert np.all(np.abs(c_next) <= np.abs(c) + 1 + 1e-12)
        assert np.all(np.abs(h_next) <= np.abs(np.tanh(c_next)) + 1e-12)
        np.testing.assert_allclose(h_next, h_all[t], rtol=1e-12, atol=1e-12)
        h, c = h_next, c_next
    np.testing.assert_allclose(c, c_last, rtol=1e-12, atol=1e-12)
    perm = np.array(data.draw(st.permutations(range(N))))  # rows never mix
    shuffled, _ = mod.lstm_forward(*(arr(backend, a) for a in (x[:, perm], h0[perm], c0[perm], W, b)))
    np.testing.assert_allclose(backend.to_numpy(shuffled), h_all[:, perm], rtol=1e-12, atol=1e-12)
