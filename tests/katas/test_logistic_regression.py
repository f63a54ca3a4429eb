"""Hidden suite: logistic regression by gradient descent (one suite, both backends).

Oracles: a hand-worked first step from zero weights; `loop_gradient_descent`, an independent
per-sample loop in float64 Python floats with a two-sided sigmoid from `math`; Fisher's iris data
(versicolor vs. virginica, shipped as katas/logistic-regression/iris.csv) for accuracy; for the torch
backend, gradient steps with autograd through F.binary_cross_entropy_with_logits.
The seed's version returns nothing from `fit` (the contract returns self), has no `predict_proba`, and
its sigmoid 1 / (1 + exp(-z)) overflows for large negative z; its PyTorch version is an untrained
nn.Linear with random initial weights, not gradient descent from zero.
"""

import math

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_equal, assert_unchanged

DTYPES = ["float64", "float32"]
ASCENT = "the update goes up the gradient (w + lr * grad) instead of down"
SUMMED = "the gradient is summed over the samples instead of averaged (no division by n)"
BIAS_FROZEN = "the bias is never updated"
STRICT = "predict sends p = 0.5 to class 0 (p > 0.5 or rounding); p >= 0.5 means class 1"


def sigmoid(z):
    """Oracle sigmoid: exp only ever sees -|z|."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def loop_gradient_descent(X, y, learning_rate, num_iterations, sign=1.0, scale=None):
    """Oracle: gradient descent on the mean cross-entropy, one sample at a time, in Python floats.

    sign=-1 (ascent) and scale=1 (summed gradient) give the classic mistakes.
    """
    X = [[float(v) for v in row] for row in np.asarray(X)]
    y = [float(v) for v in np.asarray(y)]
    n, d = len(X), len(X[0])
    scale = 1.0 / n if scale is None else scale
    w, b = [0.0] * d, 0.0
    for _ in range(num_iterations):
        grad_w, grad_b = [0.0] * d, 0.0
        for xi, yi in zip(X, y):
            residual = sigmoid(sum(wj * xj for wj, xj in zip(w, xi)) + b) - yi  # d(-log-likelihood)/dz
            grad_w = [g + scale * residual * xj for g, xj in zip(grad_w, xi)]
            grad_b += scale * residual
        w = [wj - sign * learning_rate * g for wj, g in zip(w, grad_w)]
        b -= sign * learning_rate * grad_b
    return np.array(w), b


def probabilities(X, w, b):
    return np.array([sigmoid(float(np.dot(row, w)) + b) for row in np.asarray(X, dtype=np.float64)])


def fit(impl, backend, X, y, dtype, learning_rate, num_iterations, label_dtype=None):
    model = impl.LogisticRegression(learning_rate=learning_rate, num_iterations=num_iterations)
    returned = model.fit(backend.asarray(X, dtype), backend.asarray(y, label_dtype or dtype))
    if returned is not model:
        raise ResultMismatch(f"fit returned {type(returned).__name__}; it should return self (the fitted model)")
    return model


def check_parameters(model, backend, w, b, dtype, mistakes=None, rtol=None, atol=None):
    """mistakes: {description: (weights, bias) that mistake gives}."""
    mistakes = mistakes or {}
    tolerance = dict(input_dtype=dtype, rtol=rtol, atol=atol)
    assert_close(model.weights, w, backend, what="weights", mistakes={k: v[0] for k, v in mistakes.items()}, **tolerance)
    assert_close(model.bias, b, backend, what="bias", mistakes={k: v[1] for k, v in mistakes.items()}, **tolerance)


def classification_data(seed, n=30, d=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.array([1.0, 2.0, 0.5])[:d] + np.array([0.5, -1.0, 2.0])[:d]
    y = (X @ np.array([1.5, -1.0, 2.0])[:d] - 1.0 + rng.normal(size=n) > 0).astype(np.int64)
    return X, y


def load_iris(kata):
    lines = [line for line in (kata.folder / "iris.csv").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    data = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])  # lines[0] is the header
    X, y = data[:, :4], data[:, 4].astype(np.int64)
    return (X - X.mean(axis=0)) / X.std(axis=0), y  # standardised: every feature has mean 0, std 1


@pytest.mark.parametrize("dtype", DTYPES)
def test_one_step_from_zero_is_the_analytic_gradient_step(impl, backend, dtype):
    # From w = 0, b = 0 every p is 0.5, so p - y = [-0.5, 0.5, -0.5] and
    #   grad_w = X^T (p - y) / 3 = [1*-0.5 + 3*0.5 + 0*-0.5, 2*-0.5 - 1*0.5 + 4*-0.5] / 3 = [1.0, -3.5] / 3
    #   grad_b = mean(p - y) = -0.5 / 3
    # so with learning_rate 0.1: w = [-1/30, 3.5/30] = [-0.0333.., 0.11666..], b = 0.05 / 3 = 0.01666..
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 4.0]])
    y = np.array([1, 0, 1])
    model = fit(impl, backend, X, y, dtype, learning_rate=0.1, num_iterations=1)
    mistakes = {
        ASCENT: ([1 / 30, -3.5 / 30], -0.05 / 3),
        SUMMED: ([-0.1, 0.35], 0.05),
        BIAS_FROZEN: ([-1 / 30, 3.5 / 30], 0.0),
    }
    check_parameters(model, backend, [-1 / 30, 3.5 / 30], 0.05 / 3, dtype, mistakes)


@pytest.mark.parametrize("dtype", DTYPES)
def test_full_run_matches_gradient_descent_oracle(impl, backend, dtype):
    X, y = classification_data(1)
    model = fit(impl, backend, X, y, dtype, learning_rate=0.2, num_iterations=150)
    X = X.astype(dtype)  # the oracle sees the inputs as rounded to dtype
    w, b = loop_gradient_descent(X, y, 0.2, 150)
    mistakes = {ASCENT: loop_gradient_descent(X, y, 0.2, 150, sign=-1.0), SUMMED: loop_gradient_descent(X, y, 0.2, 150, scale=1.0)}
    loose = dict(rtol=2e-5, atol=2e-5) if dtype == "float32" else {}  # 150 float32 steps drift a little
    check_parameters(model, backend, w, b, dtype, mistakes, **loose)
    queries = np.random.default_rng(2).normal(size=(8, 3)) * 2.0
    got = model.predict_proba(backend.asarray(queries, dtype))
    assert_close(got, probabilities(queries.astype(dtype), w, b), backend, what="predict_proba", input_dtype=dtype, **loose)


def test_default_hyperparameters_are_learning_rate_001_and_1000_iterations(impl, backend):
    X, y = classification_data(3, n=20, d=2)
    model = impl.LogisticRegression()
    model.fit(backend.asarray(X), backend.asarray(y))
    w, b = loop_gradient_descent(X, y, 0.01, 1000)
    check_parameters(model, backend, w, b, "float64")


def test_labels_may_come_as_integers(impl, backend):
    X, y = classification_data(4, n=12)
    model = fit(impl, backend, X, y, "float64", learning_rate=0.5, num_iterations=50, label_dtype="int64")
    check_parameters(model, backend, *loop_gradient_descent(X, y, 0.5, 50), "float64")


@pytest.mark.parametrize("dtype", DTYPES)
def test_probability_one_half_predicts_class_one(impl, backend, dtype):
    # No iterations: w = 0 and b = 0, so every probability is exactly 0.5, and p >= 0.5 means class 1.
    X = np.array([[1.0, -2.0], [0.0, 3.0], [-4.0, 0.5]])
    model = fit(impl, backend, X, np.array([0, 1, 0]), dtype, learning_rate=0.1, num_iterations=0)
    check_parameters(model, backend, [0.0, 0.0], 0.0, dtype)
    assert_close(model.predict_proba(backend.asarray(X, dtype)), [0.5, 0.5, 0.5], backend, what="predict_proba", input_dtype=dtype)
    assert_equal(model.predict(backend.asarray(X, dtype)), [1, 1, 1], backend, what="predict", mistakes={STRICT: [0, 0, 0]})


@pytest.mark.parametrize("dtype", DTYPES)
def test_predict_thresholds_the_probabilities(impl, backend, dtype):
    X, y = classification_data(5)
    model = fit(impl, backend, X, y, dtype, learning_rate=0.1, num_iterations=200)
    queries = np.random.default_rng(6).normal(size=(40, 3)) * 3.0
    p = backend.to_numpy(model.predict_proba(backend.asarray(queries, dtype))).astype(np.float64)
    w, b = loop_gradient_descent(X.astype(dtype), y, 0.1, 200)
    expected = (probabilities(queries.astype(dtype), w, b) >= 0.5).astype(np.int64)
    assert 0 < expected.sum() < len(expected), "the case needs both classes"
    swapped = {"predict returns 1 - label (the classes are swapped)": 1 - expected}
    assert_equal(model.predict(backend.asarray(queries, dtype)), expected, backend, what="predict", mistakes=swapped)
    assert ((p >= 0.5) == expected.astype(bool)).all(), "predict_proba and predict disagree"


@pytest.mark.parametrize("dtype", DTYPES)
def test_very_large_scores_stay_finite(impl, backend, dtype):
    # |X| ~ 1000: after one step w = 42.5 (grad_w = (-500 - 500 - 400 - 300) / 4, b stays 0), so the
    # next scores are ~ +-4e4, where exp(z) overflows. Every p is then exactly 0 or 1, the gradient is
    # 0, and w stays 42.5. Queries at +-1e6 must give exactly 1 and 0; x = 0 gives 0.5.
    X = np.array([[1000.0], [-1000.0], [800.0], [-600.0]])
    y = np.array([1, 0, 1, 0])
    model = fit(impl, backend, X, y, dtype, learning_rate=0.1, num_iterations=5)
    check_parameters(model, backend, [42.5], 0.0, dtype)
    queries = backend.asarray([[1e6], [-1e6], [0.0], [1000.0]], dtype)
    assert_close(model.predict_proba(queries), [1.0, 0.0, 0.5, 1.0], backend, what="predict_proba", input_dtype=dtype)
    assert_equal(model.predict(queries), [1, 0, 1, 1], backend, what="predict", mistakes={STRICT: [1, 0, 0, 1]})


def test_good_accuracy_on_iris_versicolor_vs_virginica(impl, backend, kata):
    # Standardised iris, train on the even rows, test on the odd rows. Gradient descent (lr 0.5, 200
    # steps) classifies 48 of the 50 held-out flowers correctly; any fit from zero that works gets >= 46.
    X, y = load_iris(kata)
    train = np.arange(len(y)) % 2 == 0
    model = fit(impl, backend, X[train], y[train], "float64", learning_rate=0.5, num_iterations=200)
    labels = as_result(model.predict(backend.asarray(X[~train])), backend, "predict").astype(np.float64)
    assert labels.shape == (50,), f"predict has shape {labels.shape}; expected (50,)"
    accuracy = float((labels == y[~train]).mean())
    assert accuracy >= 0.92, f"held-out accuracy on iris is {accuracy:.2f}; gradient descent from zero reaches 0.96"
    w, b = loop_gradient_descent(X[train], y[train], 0.5, 200)
    check_parameters(model, backend, w, b, "float64")


def test_inputs_are_not_modified(impl, backend):
    X, y = classification_data(7, n=10)
    y = y.astype(np.float64)
    X_in, y_in = backend.asarray(X), backend.asarray(y)
    model = impl.LogisticRegression(learning_rate=0.1, num_iterations=20)
    model.fit(X_in, y_in)
    model.predict_proba(X_in)
    model.predict(X_in)
    assert_unchanged(X, X_in, backend, "X")
    assert_unchanged(y, y_in, backend, "y")


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_results_keep_input_dtype_and_device(impl, backend, dtype):
    import torch

    X, y = classification_data(8, n=10)
    X_in = backend.asarray(X, dtype)
    model = fit(impl, backend, X, y, dtype, learning_rate=0.1, num_iterations=5)
    as_result(model.weights, backend, "weights", dtype=dtype)
    for name, out in (("weights", model.weights), ("predict_proba", model.predict_proba(X_in))):
        as_result(out, backend, name, dtype=dtype)
        assert out.device == X_in.device, f"{name} is on {out.device}; the inputs are on {X_in.device}"
    if torch.cuda.is_available():
        model = impl.LogisticRegression(learning_rate=0.1, num_iterations=5).fit(X_in.cuda(), backend.asarray(y, dtype).cuda())
        out = model.predict_proba(X_in.cuda())
        assert out.device == X_in.cuda().device, f"predict_proba is on {out.device}; the inputs are on cuda"


@pytest.mark.backend("torch")
def test_matches_autograd_through_builtin_cross_entropy(impl, backend):
    import torch
    import torch.nn.functional as F

    X, y = classification_data(9, n=25)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.float64))
    w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    for _ in range(30):
        F.binary_cross_entropy_with_logits(Xt @ w + b, yt).backward()  # mean BCE over the samples
        with torch.no_grad():
            for leaf in (w, b):
                leaf -= 1.0 * leaf.grad
                leaf.grad = None
    model = fit(impl, backend, X, y, "float64", learning_rate=1.0, num_iterations=30)
    check_parameters(model, backend, w.detach().numpy(), float(b.detach()), "float64")
