"""Hidden suite: a one-hidden-layer MLP with sigmoid units and hand-written backprop (one suite, both backends).

Oracles: a hand-worked example (forward and gradients, the working in the comments); `loop_forward`, a
per-sample, per-unit loop with math.exp in float64; central finite differences of the mean binary
cross-entropy of that loop for every gradient; for the torch backend, autograd through
torch.sigmoid and torch.nn.functional.binary_cross_entropy. Training on XOR runs the suite's own loop.
The suite sets the weights it tests explicitly, so nothing depends on the attempt's random stream.
"""

import math

import numpy as np
import pytest

from mlkata.testing import as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]
NAMES = ["w1", "b1", "w2", "b2"]
E = math.e


def sig(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def loop_forward(X, params, hidden_act=sig, output_act=sig, transposed=False):
    """Oracle: one sample and one unit at a time, in float64; the keywords give the classic mistakes."""
    w1, b1, w2, b2 = (np.asarray(params[k], dtype=np.float64) for k in NAMES)
    if transposed:
        w1, w2 = w1.T, w2.T
    X = np.asarray(X, dtype=np.float64)
    out = np.zeros((X.shape[0], w2.shape[1]))
    for i, x in enumerate(X):
        hidden = [hidden_act(sum(x[k] * w1[k, j] for k in range(len(x))) + b1[j]) for j in range(w1.shape[1])]
        for j in range(w2.shape[1]):
            out[i, j] = output_act(sum(hidden[k] * w2[k, j] for k in range(len(hidden))) + b2[j])
    return out


def mean_bce(X, y, params):
    p = loop_forward(X, params).ravel()
    return -sum(t * math.log(max(q, 1e-300)) + (1 - t) * math.log(max(1 - q, 1e-300)) for t, q in zip(np.ravel(y), p)) / p.size


def finite_difference_grads(X, y, params, h=1e-6):
    """Central differences of the oracle's mean BCE, one parameter entry at a time (float64)."""
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    grads = {}
    for name in NAMES:
        grad = np.zeros_like(params[name])
        for idx in np.ndindex(*grad.shape):
            saved = params[name][idx]
            params[name][idx] = saved + h
            up = mean_bce(X, y, params)
            params[name][idx] = saved - h
            down = mean_bce(X, y, params)
            params[name][idx] = saved
            grad[idx] = (up - down) / (2 * h)
        grads[name] = grad
    return grads


def wrong_grads(X, y, params, kind):
    """Deliberately wrong analytic gradients: what each classic backprop mistake returns."""
    X, y = np.asarray(X, np.float64), np.asarray(y, np.float64)
    w1, b1, w2, b2 = (np.asarray(params[k], np.float64) for k in NAMES)
    a1 = 1.0 / (1.0 + np.exp(-(X @ w1 + b1)))
    a2 = 1.0 / (1.0 + np.exp(-(a1 @ w2 + b2)))
    scale = {"sum": 1.0, "per_sample": 1.0 / len(X)}.get(kind, 1.0 / a2.size)
    d2 = (a2 - y) * scale
    if kind == "mse_style":
        d2 = d2 * a2 * (1 - a2)
    if kind == "sign":
        d2 = -d2
    d1 = d2 @ w2.T if kind == "no_hidden_derivative" else (d2 @ w2.T) * a1 * (1 - a1)
    return {"w1": X.T @ d1, "b1": d1.sum(axis=0), "w2": a1.T @ d2, "b2": d2.sum(axis=0)}


GRAD_MISTAKES = {
    "the gradient of the summed loss: divide by N = n * output_size, the loss is a mean": "sum",
    "divided by the number of samples only: the loss is the mean over all n * output_size outputs": "per_sample",
    "the output error is multiplied by sigmoid'(z2) as for squared error: with cross-entropy dL/dz2 = (yhat - y) / N": "mse_style",
    "the hidden layer's sigmoid derivative a1 * (1 - a1) is missing": "no_hidden_derivative",
    "the gradients have the wrong sign (y - yhat instead of yhat - y)": "sign",
}


def random_params(seed, d_in, hidden, out, scale=1.0):
    rng = np.random.default_rng(seed)
    return {
        "w1": rng.normal(size=(d_in, hidden)) * scale,
        "b1": rng.normal(size=hidden) * 0.5,
        "w2": rng.normal(size=(hidden, out)) * scale,
        "b2": rng.normal(size=out) * 0.5,
    }


def model(impl, backend, params, dtype="float64"):
    """A SimpleMLP holding the suite's parameters (its own random ones are replaced)."""
    d_in, hidden = np.shape(params["w1"])
    net = impl.SimpleMLP(d_in, hidden, np.shape(params["w2"])[1], seed=0)
    for name in NAMES:
        setattr(net, name, backend.asarray(params[name], dtype))
    return net


def rounded(params, dtype):
    return {k: np.asarray(v, dtype) for k, v in params.items()}


def get_grads(net, backend, X, y, dtype):
    grads = net.backward(backend.asarray(X, dtype), backend.asarray(y, dtype))
    if not isinstance(grads, dict):
        raise AssertionError(f"backward returned {type(grads).__name__}; expected a dict with keys 'w1', 'b1', 'w2', 'b2'")
    missing = [k for k in NAMES if k not in grads]
    if missing:
        raise AssertionError(f"the gradients lack {', '.join(repr(k) for k in missing)}; expected keys 'w1', 'b1', 'w2', 'b2'")
    return grads


def check_grads(grads, expected, backend, dtype, X, y, params):
    mistakes = {name: wrong_grads(X, y, params, kind) for name, kind in GRAD_MISTAKES.items()}
    for name in NAMES:
        assert_close(grads[name], expected[name], backend, what=f"gradient of {name}", input_dtype=dtype,
                     mistakes={description: found[name] for description, found in mistakes.items()})  # fmt: skip


def hand_params():
    # Chosen so that every sigmoid comes out in closed form: s(ln 3) = 0.75, s(-ln 3) = 0.25, s(ln 4) = 0.8.
    ln3 = math.log(3.0)
    return {
        "w1": np.array([[ln3, 0.0], [0.0, -ln3]]),
        "b1": np.array([0.0, ln3]),
        "w2": np.array([[2.0], [-2.0]]),
        "b2": np.array([math.log(4.0) - 1.0]),
    }


HAND_X = np.array([[1.0, 2.0], [0.0, 1.0]])
HAND_Y = np.array([[1.0], [0.0]])
Q = 4.0 / (4.0 + E)  # s(ln 4 - 1) = 1 / (1 + e / 4): the second sample's output


# -- construction and forward ---------------------------------------------------------------------
def test_matches_seed_shape_example(impl, backend):
    # The seed's test: SimpleMLP(3, 5, 1).forward(one sample of 3 features) has shape (1, 1).
    net = impl.SimpleMLP(input_size=3, hidden_size=5, output_size=1)
    shapes = {"w1": (3, 5), "b1": (5,), "w2": (5, 1), "b2": (1,)}
    params = {}
    for name, shape in shapes.items():
        params[name] = as_result(getattr(net, name, None), backend, f"the attribute {name}")
        if params[name].shape != shape:
            raise AssertionError(f"SimpleMLP(3, 5, 1).{name} has shape {params[name].shape}; expected {shape}")
    X = np.random.default_rng(0).normal(size=(1, 3))
    dtype = backend.dtype_name(net.w1)  # the model's own dtype (torch: the default dtype)
    got = net.forward(backend.asarray(X, dtype))
    assert_close(got, loop_forward(X.astype(dtype), params), backend, what="forward output", input_dtype=dtype)


def test_the_same_seed_gives_the_same_initial_weights(impl, backend):
    first, again, other = (impl.SimpleMLP(4, 6, 2, seed=s) for s in (11, 11, 12))
    for name in ("w1", "w2"):
        a, b = as_result(getattr(first, name), backend, name), as_result(getattr(again, name), backend, name)
        assert np.array_equal(a, b), f"two SimpleMLP(4, 6, 2, seed=11) have different {name}: the same seed must give the same weights"
    assert not np.array_equal(backend.to_numpy(first.w1), backend.to_numpy(other.w1)), "seed=11 and seed=12 give the same w1: use the seed"


def test_initial_hidden_units_start_different(impl, backend):
    # With identical columns of w1 every hidden unit computes the same thing and gets the same gradient: no learning.
    w1 = as_result(impl.SimpleMLP(4, 6, 2, seed=3).w1, backend, "w1")
    columns = np.unique(w1.round(12), axis=1)
    assert columns.shape[1] == w1.shape[1], (
        f"only {columns.shape[1]} of the {w1.shape[1]} hidden units start with distinct weights: "
        "draw every column of w1 at random to break the symmetry"
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_matches_hand_worked_example(impl, backend, dtype):
    # By hand. Sample 1, x = [1, 2]: z1 = [ln 3, -2 ln 3 + ln 3] = [ln 3, -ln 3], a1 = [0.75, 0.25];
    #   z2 = 2 * 0.75 - 2 * 0.25 + ln 4 - 1 = ln 4, yhat = 0.8.
    # Sample 2, x = [0, 1]: z1 = [0, -ln 3 + ln 3] = [0, 0], a1 = [0.5, 0.5]; z2 = ln 4 - 1, yhat = 4 / (4 + e) = 0.5954428.
    params = hand_params()
    got = model(impl, backend, params, dtype).forward(backend.asarray(HAND_X, dtype))
    assert_close(got, [[0.8], [Q]], backend, what="forward output", input_dtype=dtype, mistakes={
        "the output layer has no sigmoid: forward returns probabilities": loop_forward(HAND_X, params, output_act=lambda z: z),
        "the hidden layer has no sigmoid": loop_forward(HAND_X, params, hidden_act=lambda z: z),
    })  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_on_a_batch_with_two_outputs(impl, backend, dtype):
    params = random_params(1, 3, 5, 2)
    X = np.random.default_rng(2).normal(size=(6, 3))
    got = model(impl, backend, params, dtype).forward(backend.asarray(X, dtype))
    X, params = X.astype(dtype), rounded(params, dtype)  # the oracle sees the inputs as rounded to dtype
    assert_close(got, loop_forward(X, params), backend, what="forward output", input_dtype=dtype, mistakes={
        "the output layer has no sigmoid: forward returns probabilities": loop_forward(X, params, output_act=lambda z: z),
        "the hidden layer has no sigmoid": loop_forward(X, params, hidden_act=lambda z: z),
        "the hidden layer uses ReLU: this MLP uses sigmoid in both layers": loop_forward(X, params, hidden_act=lambda z: max(z, 0.0)),
    })  # fmt: skip


def test_square_weights_are_not_transposed(impl, backend):
    params = random_params(3, 4, 4, 4)  # d_in = h = c: X @ W.T has the right shape, only the values differ
    X = np.random.default_rng(4).normal(size=(3, 4))
    got = model(impl, backend, params).forward(backend.asarray(X))
    assert_close(got, loop_forward(X, params), backend, what="forward output", mistakes={
        "the weights are used transposed (X @ W.T): here w1 is (input_size, hidden_size)": loop_forward(X, params, transposed=True),
    })  # fmt: skip


def test_large_inputs_saturate_without_nan(impl, backend):
    # Pre-activations of +-hundreds: the sigmoid saturates to 0 or 1 and must never give NaN.
    params = random_params(5, 3, 4, 2, scale=60.0)
    X = np.random.default_rng(6).normal(size=(4, 3)) * 3
    got = model(impl, backend, params).forward(backend.asarray(X))
    assert_close(got, loop_forward(X, params), backend, what="forward output")


# -- backward -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_gradients_of_hand_worked_example(impl, backend, dtype):
    # By hand, N = 2 outputs, yhat = [0.8, q] with q = 4 / (4 + e), y = [1, 0]:
    #   dz2 = (yhat - y) / 2 = [-0.1, q / 2];  db2 = q / 2 - 0.1;  dw2 = a1^T dz2 = [0.75 * -0.1 + 0.5 * q / 2,
    #   0.25 * -0.1 + 0.5 * q / 2].  da1 = dz2 w2^T: [-0.2, 0.2] and [q, -q];  times a1 (1 - a1) = 0.1875 and 0.25:
    #   dz1 = [-0.0375, 0.0375] and [q / 4, -q / 4];  db1 = [q / 4 - 0.0375, 0.0375 - q / 4];
    #   dw1 = X^T dz1 = [[-0.0375, 0.0375], [2 * -0.0375 + q / 4, 2 * 0.0375 - q / 4]].
    params = hand_params()
    expected = {
        "w1": [[-0.0375, 0.0375], [-0.075 + Q / 4, 0.075 - Q / 4]],
        "b1": [Q / 4 - 0.0375, 0.0375 - Q / 4],
        "w2": [[-0.075 + Q / 4], [-0.025 + Q / 4]],
        "b2": [Q / 2 - 0.1],
    }
    grads = get_grads(model(impl, backend, params, dtype), backend, HAND_X, HAND_Y, dtype)
    check_grads(grads, expected, backend, dtype, HAND_X, HAND_Y, params)


@pytest.mark.parametrize("dtype", DTYPES)
def test_gradients_match_finite_differences(impl, backend, dtype):
    # Two outputs, so "mean over n" and "mean over n * outputs" differ; asymmetric random weights.
    rng = np.random.default_rng(7)
    params = random_params(8, 3, 4, 2)
    X = rng.normal(size=(5, 3))
    y = (rng.random((5, 2)) < 0.5).astype(float)
    grads = get_grads(model(impl, backend, params, dtype), backend, X, y, dtype)
    X, params = X.astype(dtype), rounded(params, dtype)
    check_grads(grads, finite_difference_grads(X, y, params), backend, dtype, X, y, params)


def test_backward_leaves_parameters_and_inputs_unchanged(impl, backend):
    params = random_params(9, 3, 4, 2)
    rng = np.random.default_rng(10)
    X, y = rng.normal(size=(4, 3)), (rng.random((4, 2)) < 0.5).astype(float)
    net = model(impl, backend, params)
    Xt, yt = backend.asarray(X), backend.asarray(y)
    net.forward(Xt)
    net.backward(Xt, yt)
    for name in NAMES:
        now = as_result(getattr(net, name), backend, f"self.{name}")
        if not np.array_equal(now, params[name]):
            raise AssertionError(f"forward or backward changed self.{name}: backward returns gradients, only step updates parameters")
    assert_unchanged(X, Xt, backend, "X")
    assert_unchanged(y, yt, backend, "y")


# -- step and training ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_step_moves_each_parameter_against_its_gradient(impl, backend, dtype):
    params = random_params(11, 3, 4, 2)
    steps = random_params(12, 3, 4, 2)  # arbitrary "gradients" of the right shapes
    net = model(impl, backend, params, dtype)
    net.step({k: backend.asarray(v, dtype) for k, v in steps.items()}, 0.1)
    params, steps = rounded(params, dtype), rounded(steps, dtype)
    for name in NAMES:
        expected = params[name].astype(np.float64) - 0.1 * steps[name].astype(np.float64)
        assert_close(getattr(net, name), expected, backend, what=f"{name} after step", input_dtype=dtype, mistakes={
            "step adds the gradient: gradient descent subtracts learning_rate * gradient": params[name] + 0.1 * steps[name],
            "the learning rate is ignored": params[name] - steps[name],
        })  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
def test_training_on_xor_drives_the_loss_down(impl, backend, dtype):
    # The suite's own loop: 300 full-batch steps of backward + step at learning rate 5 from fixed weights.
    # With the right gradients the mean BCE falls from 0.79 to below 0.01 and the outputs round to XOR.
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    rng = np.random.default_rng(3)
    start = {"w1": rng.normal(size=(2, 4)), "b1": np.zeros(4), "w2": rng.normal(size=(4, 1)), "b2": np.zeros(1)}
    net = model(impl, backend, start, dtype)
    Xt, yt = backend.asarray(X, dtype), backend.asarray(y, dtype)
    for _ in range(300):
        net.step(net.backward(Xt, yt), 5.0)
    trained = {name: as_result(getattr(net, name), backend, name) for name in NAMES}
    before, after = mean_bce(X, y, start), mean_bce(X, y, trained)
    assert after < 0.05, f"after 300 steps on XOR the mean BCE is {after:.4g} (from {before:.4g}); correct gradients take it below 0.05"
    predictions = (loop_forward(X, trained) > 0.5).astype(int).ravel()
    assert predictions.tolist() == [0, 1, 1, 0], f"after training on XOR the network predicts {predictions.tolist()}; expected [0, 1, 1, 0]"


# -- torch only -----------------------------------------------------------------------------------
@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_and_gradients_keep_the_dtype(impl, backend, dtype):
    params = random_params(13, 3, 4, 2)
    X = np.random.default_rng(14).normal(size=(5, 3))
    y = (X[:, :2] > 0).astype(float)
    net = model(impl, backend, params, dtype)
    as_result(net.forward(backend.asarray(X, dtype)), backend, "forward output", dtype=dtype)
    grads = get_grads(net, backend, X, y, dtype)
    for name in NAMES:
        as_result(grads[name], backend, f"gradient of {name}", dtype=dtype)


@pytest.mark.backend("torch")
def test_gradients_match_autograd(impl, backend):
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(15)
    params = random_params(16, 4, 6, 3)
    X = rng.normal(size=(7, 4))
    y = (rng.random((7, 3)) < 0.5).astype(float)
    leaves = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    hidden = torch.sigmoid(Xt @ leaves["w1"] + leaves["b1"])
    loss = F.binary_cross_entropy(torch.sigmoid(hidden @ leaves["w2"] + leaves["b2"]), yt)  # mean over all 7 * 3 outputs
    loss.backward()
    grads = get_grads(model(impl, backend, params), backend, X, y, "float64")
    check_grads(grads, {k: leaves[k].grad.numpy() for k in NAMES}, backend, "float64", X, y, params)
