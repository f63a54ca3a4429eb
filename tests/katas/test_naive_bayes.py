"""Hidden suite: Gaussian naive Bayes (one suite, both backends).

Oracles: a hand-worked two-class example with labels [3, 7]; `loop_fit` and `loop_posteriors`, an
independent per-class, per-feature loop in Python floats with `math.log` densities and a max-shifted
log-sum-exp; for the torch backend, torch.distributions.Normal log-densities and torch.logsumexp.
The seed's version indexes its arrays by label value (`self._mean[c, :]`), so labels such as [3, 7]
raise IndexError; it has no smoothing, so a zero-variance feature divides by zero; it takes the log of
each density after computing it, so a density that underflows to 0 gives -inf; it has no predict_proba
and no PyTorch version. Its only test checks the shape of `predict`.
"""

import math

import numpy as np
import pytest

from mlkata.testing import as_result, assert_close, assert_equal, assert_unchanged

DTYPES = ["float64", "float32"]
UNBIASED = "the variances are unbiased (ddof=1); scikit-learn's var_ divides by the class count (ddof=0)"
SMOOTH_ALONE = "the smoothing adds var_smoothing itself, not var_smoothing x the largest feature variance of X"
SMOOTH_PER_FEATURE = "the smoothing uses each feature's own variance instead of the largest one"
NO_SMOOTHING = "no smoothing term is added to the variances"
NO_PRIORS = "the class priors are left out of the posterior"
POSITIONS = "predict returns class positions (0, 1, ...) instead of the labels in `classes`"


def loop_fit(X, y, var_smoothing=1e-9, ddof=0, smoothing="max"):
    """Oracle: class statistics one class and one feature at a time, in Python floats.

    ddof=1 and smoothing="alone" / "per-feature" / "none" give the classic mistakes.
    """
    X = np.asarray(X, dtype=np.float64)
    columns = [[float(v) for v in X[:, j]] for j in range(X.shape[1])]

    def variance(values, dof=0):
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / (len(values) - dof)

    feature_var = [variance(col) for col in columns]
    eps = {"max": [var_smoothing * max(feature_var)] * len(columns), "alone": [var_smoothing] * len(columns),
           "per-feature": [var_smoothing * v for v in feature_var], "none": [0.0] * len(columns)}[smoothing]  # fmt: skip
    classes = sorted({int(v) for v in np.asarray(y)})
    means, variances, priors = [], [], []
    for c in classes:
        rows = [i for i, label in enumerate(np.asarray(y)) if int(label) == c]
        means.append([sum(col[i] for i in rows) / len(rows) for col in columns])
        variances.append([variance([col[i] for i in rows], ddof) + e for col, e in zip(columns, eps)])
        priors.append(len(rows) / len(y))
    return {"classes": classes, "means": np.array(means), "variances": np.array(variances), "priors": np.array(priors)}


def loop_posteriors(stats, queries, use_priors=True):
    """Oracle: log P(c) + sum_j log N(x_j; mean, var), normalised by a max-shifted log-sum-exp."""
    out = []
    for x in np.asarray(queries, dtype=np.float64):
        joint = []
        for prior, mean, var in zip(stats["priors"], stats["means"], stats["variances"]):
            log_like = sum(-0.5 * math.log(2 * math.pi * v) - (float(xj) - m) ** 2 / (2 * v) for xj, m, v in zip(x, mean, var))
            joint.append(log_like + (math.log(prior) if use_priors else 0.0))
        top = max(joint)
        weights = [math.exp(j - top) for j in joint]
        out.append([w / sum(weights) for w in weights])
    return np.array(out)


def fit(impl, backend, X, y, dtype="float64", **kwargs):
    model = impl.GaussianNaiveBayes(**kwargs)
    model.fit(backend.asarray(X, dtype), backend.asarray(y, "int64"))
    return model


def labels_of(stats, proba):
    return np.array(stats["classes"])[np.asarray(proba).argmax(axis=1)]


def check_statistics(model, backend, stats, dtype, mistakes=()):
    """mistakes: pairs (description, stats that mistake gives)."""
    assert_equal(model.classes, stats["classes"], backend, what="classes")
    for name in ("means", "variances", "priors"):
        named = {text: alt[name] for text, alt in mistakes}
        assert_close(getattr(model, name), stats[name], backend, what=name, input_dtype=dtype, mistakes=named)


def blobs(seed, labels=(5, -1, 2), counts=(14, 9, 17), d=4):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3.0, size=(len(labels), d))
    scales = np.array([0.5, 4.0, 1.0, 2.0])[:d]  # features on different scales: the largest variance matters
    X = np.vstack([c + rng.normal(size=(n, d)) * scales for c, n in zip(centres, counts)])
    y = np.concatenate([[label] * n for label, n in zip(labels, counts)])
    order = rng.permutation(len(y))  # classes interleaved, not in blocks
    return X[order], y[order]


@pytest.mark.parametrize("dtype", DTYPES)
def test_hand_worked_posteriors_with_labels_3_and_7(impl, backend, dtype):
    # Class 3: (0, 1), (2, 3)              -> means (1, 2), biased variances (1, 1), prior 2/6
    # Class 7: (3, 0), (5, 4), (3, 4), (5, 0) -> means (4, 2), biased variances (1, 4), prior 4/6
    # Smoothing: 1e-9 x the largest variance of X's columns (both are 3) = 3e-9, below the tolerance.
    # x = (2, 2): log joint(3) = log(1/3) - log(2 pi) - 0.5 (1^2/2 + 0)
    #             log joint(7) = log(2/3) - log(2 pi) - 0.5 log 4 - (2^2/2 + 0) = log(1/3) - log(2 pi) - 2
    #             so the log odds are 1.5 and P(3 | x) = 1 / (1 + e^-1.5) = 0.817574...
    # x = (4, 6): log joint(3) = log(1/3) - log(2 pi) - (3^2 + 4^2) / 2 = log(1/3) - log(2 pi) - 12.5
    #             log joint(7) = log(1/3) - log(2 pi) - (0 + 4^2 / 4) / 2 = log(1/3) - log(2 pi) - 2
    #             so the log odds are -10.5 and P(3 | x) = 1 / (1 + e^10.5) = 2.75357e-05
    X = np.array([[3.0, 0.0], [0.0, 1.0], [5.0, 4.0], [3.0, 4.0], [2.0, 3.0], [5.0, 0.0]])
    y = np.array([7, 3, 7, 7, 3, 7])
    model = fit(impl, backend, X, y, dtype)
    stats = {"classes": [3, 7], "means": [[1.0, 2.0], [4.0, 2.0]], "variances": [[1.0, 1.0], [1.0, 4.0]], "priors": [1 / 3, 2 / 3]}
    check_statistics(model, backend, stats, dtype, [(UNBIASED, loop_fit(X, y, ddof=1))])
    queries = np.array([[2.0, 2.0], [4.0, 6.0]])
    p3 = [1 / (1 + math.exp(-1.5)), 1 / (1 + math.exp(10.5))]
    expected = np.array([[p3[0], 1 - p3[0]], [p3[1], 1 - p3[1]]])
    mistakes = {
        UNBIASED: loop_posteriors(loop_fit(X, y, ddof=1), queries),
        NO_PRIORS: loop_posteriors(loop_fit(X, y), queries, use_priors=False),
    }
    got = model.predict_proba(backend.asarray(queries, dtype))
    assert_close(got, expected, backend, what="predict_proba", input_dtype=dtype, mistakes=mistakes)
    assert_equal(model.predict(backend.asarray(queries, dtype)), [3, 7], backend, what="predict", mistakes={POSITIONS: [0, 1]})


@pytest.mark.parametrize("dtype", DTYPES)
def test_fitted_statistics_match_loop_oracle(impl, backend, dtype):
    # Three classes labelled 5, -1, 2 (so classes = [-1, 2, 5]), unequal counts, interleaved rows;
    # var_smoothing = 0.05 makes the smoothing term large enough to see which variance it scales.
    X, y = blobs(1)
    model = fit(impl, backend, X, y, dtype, var_smoothing=0.05)
    X = X.astype(dtype)  # the oracle sees the inputs as rounded to dtype
    mistakes = [
        (UNBIASED, loop_fit(X, y, 0.05, ddof=1)),
        (SMOOTH_ALONE, loop_fit(X, y, 0.05, smoothing="alone")),
        (SMOOTH_PER_FEATURE, loop_fit(X, y, 0.05, smoothing="per-feature")),
        (NO_SMOOTHING, loop_fit(X, y, 0.05, smoothing="none")),
    ]
    check_statistics(model, backend, loop_fit(X, y, 0.05), dtype, mistakes)


@pytest.mark.parametrize("dtype", DTYPES)
def test_posteriors_and_labels_match_loop_oracle(impl, backend, dtype):
    X, y = blobs(2)
    model = fit(impl, backend, X, y, dtype)
    queries = np.random.default_rng(3).normal(scale=3.0, size=(30, 4))
    X, queries = X.astype(dtype), queries.astype(dtype)  # the oracle sees the inputs as rounded to dtype
    stats = loop_fit(X, y)
    expected = loop_posteriors(stats, queries)
    loose = dict(rtol=2e-4, atol=2e-5) if dtype == "float32" else {}  # float32 log joints of size ~100 lose digits
    mistakes = {
        UNBIASED: loop_posteriors(loop_fit(X, y, ddof=1), queries),
        NO_PRIORS: loop_posteriors(stats, queries, use_priors=False),
    }
    got = model.predict_proba(backend.asarray(queries, dtype))
    assert_close(got, expected, backend, what="predict_proba", input_dtype=dtype, mistakes=mistakes, **loose)
    labels = labels_of(stats, expected)
    assert len(set(labels)) == 3, "the case needs every class predicted somewhere"
    got = model.predict(backend.asarray(queries, dtype))
    assert_equal(got, labels, backend, what="predict", mistakes={POSITIONS: expected.argmax(axis=1)})


def test_predict_proba_rows_sum_to_one(impl, backend):
    X, y = blobs(4, labels=(0, 1, 2, 3), counts=(6, 9, 7, 8))
    model = fit(impl, backend, X, y)
    got = model.predict_proba(backend.asarray(np.random.default_rng(5).normal(scale=4.0, size=(12, 4))))
    proba = as_result(got, backend, "predict_proba")
    assert proba.shape == (12, 4), f"predict_proba has shape {proba.shape}; expected (12, 4): one column per class"
    assert_close(got.sum(1), np.ones(12), backend, what="row sums of predict_proba")
    assert (proba >= 0).all(), "predict_proba has negative entries"


@pytest.mark.parametrize("dtype", DTYPES)
def test_zero_variance_feature_stays_finite(impl, backend, dtype):
    # Feature 1 is constant inside each class (1.0 in class 0, 5.0 in class 1): its class variances are
    # 0 before smoothing, so only epsilon = 1e-9 x the largest feature variance of X keeps them positive.
    X = np.array([[0.5, 1.0], [1.5, 1.0], [1.0, 1.0], [2.0, 5.0], [3.0, 5.0], [4.0, 5.0], [2.5, 5.0]])
    y = np.array([0, 0, 0, 1, 1, 1, 1])
    model = fit(impl, backend, X, y, dtype)
    stats = loop_fit(X.astype(dtype), y)
    rtol = 1e-5 if dtype == "float32" else None  # epsilon ~ 1e-9 is computed from a float32 variance
    assert_close(model.variances, stats["variances"], backend, what="variances", input_dtype=dtype, rtol=rtol)
    queries = np.array([[1.0, 1.0], [3.0, 5.0], [2.5, 1.0]])  # the last is near class 1 in feature 0, but feature 1 says class 0
    got = model.predict_proba(backend.asarray(queries, dtype))
    assert_close(got, [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], backend, what="predict_proba", input_dtype=dtype)
    assert_equal(model.predict(backend.asarray(queries, dtype)), [0, 1, 0], backend, what="predict")


@pytest.mark.parametrize("dtype", DTYPES)
def test_smoothing_is_var_smoothing_times_largest_feature_variance(impl, backend, dtype):
    # Same zero-variance feature, var_smoothing = 0.01: the largest variance of X's columns is that of
    # feature 1 (values 1 and 5: 3.918..), so epsilon = 0.0392. Queries with feature 1 near 3, halfway
    # between the class values, keep the posteriors away from 0 and 1 (P(0) about 0.18, 0.31, 0.96).
    X = np.array([[0.5, 1.0], [1.5, 1.0], [1.0, 1.0], [2.0, 5.0], [3.0, 5.0], [4.0, 5.0], [2.5, 5.0]])
    y = np.array([0, 0, 0, 1, 1, 1, 1])
    model = fit(impl, backend, X, y, dtype, var_smoothing=0.01)
    queries = np.array([[2.0, 3.0], [1.5, 3.02], [1.0, 3.0]])
    mistakes = {
        SMOOTH_ALONE: loop_posteriors(loop_fit(X, y, 0.01, smoothing="alone"), queries),
        SMOOTH_PER_FEATURE: loop_posteriors(loop_fit(X, y, 0.01, smoothing="per-feature"), queries),
    }
    expected = loop_posteriors(loop_fit(X, y, 0.01), queries)
    got = model.predict_proba(backend.asarray(queries, dtype))
    rtol = 1e-5 if dtype == "float32" else None  # float32 log joints of size ~100
    assert_close(got, expected, backend, what="predict_proba", input_dtype=dtype, rtol=rtol, mistakes=mistakes)


@pytest.mark.parametrize("dtype", DTYPES)
def test_two_hundred_features_do_not_underflow(impl, backend, dtype):
    # 200 features: each query's joint log-likelihood is about -1260 per class, so the product of the
    # densities is exp(-1260) = 0 even in float64. Only the first four features differ between the
    # classes, so the log odds are moderate (-2.8 .. 2.7) and the posteriors are far from 0 and 1.
    rng = np.random.default_rng(6)
    XA = rng.normal(size=(20, 200))
    XB = XA.copy()
    XB[:, :4] += np.array([0.3, -0.2, 0.25, 0.1])
    X, y = np.vstack([XA, XB]), np.array([4] * 20 + [9] * 20)
    queries = rng.normal(size=(5, 200)) * 0.5 + 3.0 * np.sign(rng.normal(size=(5, 200)))
    model = fit(impl, backend, X, y, dtype)
    X, queries = X.astype(dtype), queries.astype(dtype)  # the oracle sees the inputs as rounded to dtype
    expected = loop_posteriors(loop_fit(X, y), queries)
    loose = dict(rtol=2e-4, atol=2e-5) if dtype == "float32" else dict(rtol=1e-6)  # log joints of ~1250 lose digits
    assert_close(model.predict_proba(backend.asarray(queries, dtype)), expected, backend, what="predict_proba", input_dtype=dtype, **loose)
    assert_equal(model.predict(backend.asarray(queries, dtype)), labels_of({"classes": [4, 9]}, expected), backend, what="predict")


def test_inputs_are_not_modified(impl, backend):
    X, y = blobs(7)
    queries = np.random.default_rng(8).normal(size=(5, 4))
    X_in, y_in, q_in = backend.asarray(X), backend.asarray(y, "int64"), backend.asarray(queries)
    model = impl.GaussianNaiveBayes()
    model.fit(X_in, y_in)
    model.predict_proba(q_in)
    model.predict(q_in)
    assert_unchanged(X, X_in, backend, "X")
    assert_unchanged(y, y_in, backend, "y")
    assert_unchanged(queries, q_in, backend, "X (of predict)")


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_results_keep_input_dtype_and_device(impl, backend, dtype):
    import torch

    X, y = blobs(9)
    X_in = backend.asarray(X, dtype)
    model = fit(impl, backend, X, y, dtype)
    for name in ("means", "variances", "priors"):
        as_result(getattr(model, name), backend, name, dtype=dtype)
    out = model.predict_proba(X_in)
    as_result(out, backend, "predict_proba", dtype=dtype)
    assert out.device == X_in.device, f"predict_proba is on {out.device}; the inputs are on {X_in.device}"
    if torch.cuda.is_available():
        cuda = impl.GaussianNaiveBayes()
        cuda.fit(X_in.cuda(), backend.asarray(y, "int64").cuda())
        for name, got in (("predict_proba", cuda.predict_proba(X_in.cuda())), ("predict", cuda.predict(X_in.cuda()))):
            assert got.device == X_in.cuda().device, f"{name} is on {got.device}; the inputs are on cuda"


@pytest.mark.backend("torch")
def test_matches_torch_normal_log_densities(impl, backend):
    import torch
    from torch.distributions import Normal

    X, y = blobs(10, d=3)
    queries = torch.from_numpy(np.random.default_rng(11).normal(scale=3.0, size=(10, 3)))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    classes = torch.unique(yt)
    eps = 1e-9 * Xt.var(dim=0, correction=0).max()
    joint = []
    for c in classes:
        rows = Xt[yt == c]
        dist = Normal(rows.mean(dim=0), (rows.var(dim=0, correction=0) + eps).sqrt())
        joint.append(dist.log_prob(queries[:, None, :]).sum(dim=(1, 2)) + math.log(len(rows) / len(yt)))
    joint = torch.stack(joint, dim=1)  # (m, k)
    expected = torch.exp(joint - torch.logsumexp(joint, dim=1, keepdim=True))
    model = fit(impl, backend, X, y)
    assert_close(model.predict_proba(queries), expected.numpy(), backend, what="predict_proba")
