"""Hidden suite: a two-layer network (Linear, ReLU, Linear) and He-normal initialisation (one suite, both backends).

Oracles: a hand-worked example (the working is in the comments); `loop_ann`, a per-sample, per-unit loop
of dot products in float64; for He init, the statistics of a large draw against N(0, 2 / fan_in) (mean,
standard deviation, the share of draws beyond two standard deviations); for the torch backend,
torch.nn.Linear / torch.nn.ReLU layers holding the same weights, and autograd through them.
"""

import math

import numpy as np
import pytest

from mlkata.testing import as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]


def loop_ann(X, W1, b1, W2, b2, mistake=None):
    """Oracle: one sample and one unit at a time, in float64; `mistake` gives the classic wrong versions."""
    X, W1, b1, W2, b2 = (np.asarray(a, dtype=np.float64) for a in (X, W1, b1, W2, b2))
    if mistake == "transposed":
        W1, W2 = W1.T, W2.T
    act = {"sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)), "no_relu": lambda z: z}.get(mistake, lambda z: max(z, 0.0))
    out = np.zeros((X.shape[0], W2.shape[1]))
    for i, x in enumerate(X):
        pre = [sum(x[k] * W1[k, j] for k in range(len(x))) for j in range(W1.shape[1])]
        if mistake == "bias_after":
            hidden = [act(z) + b for z, b in zip(pre, b1)]
        else:
            hidden = [act(z + b) for z, b in zip(pre, b1)]
        for j in range(W2.shape[1]):
            logit = sum(hidden[k] * W2[k, j] for k in range(len(hidden))) + b2[j]
            out[i, j] = max(logit, 0.0) if mistake == "relu_out" else logit
    if mistake == "softmax":
        out = np.exp(out - out.max(axis=1, keepdims=True))
        out /= out.sum(axis=1, keepdims=True)
    return out


def mistakes_for(*params):
    wrong = {
        "ReLU is missing between the layers": "no_relu",
        "ReLU is also applied to the output: the logits must be able to go negative": "relu_out",
        "b1 is added after the ReLU instead of before it": "bias_after",
        "a sigmoid is used between the layers instead of ReLU": "sigmoid",
        "a softmax was applied: ann_forward returns raw logits": "softmax",
    }
    found = {description: loop_ann(*params, mistake=kind) for description, kind in wrong.items()}
    X, W1, b1, W2, b2 = params
    if W1.shape[0] == W1.shape[1] and W2.shape[0] == W2.shape[1]:
        found["the weights are used transposed (X @ W.T): here W is stored (fan_in, fan_out), not (out, in) as in nn.Linear"] = loop_ann(
            *params, mistake="transposed"
        )
    return found


def random_params(seed, n, d_in, hidden, out):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(n, d_in)),
        rng.normal(size=(d_in, hidden)) / math.sqrt(d_in),
        rng.normal(size=hidden) * 0.5,  # biases of both signs: some units switch off, some on
        rng.normal(size=(hidden, out)),
        rng.normal(size=out),
    )


def check_forward(impl, backend, params, dtype="float64"):
    got = impl.ann_forward(*(backend.asarray(a, dtype) for a in params))
    params = tuple(np.asarray(a, dtype) for a in params)  # the oracle sees the inputs as rounded to dtype
    assert_close(got, loop_ann(*params), backend, what="logits", input_dtype=dtype, mistakes=mistakes_for(*params))
    return got


def draw(impl, backend, fan_in, fan_out, seed=None):
    got = impl.he_init(fan_in, fan_out, seed=seed)
    W = as_result(got, backend, f"he_init({fan_in}, {fan_out})")
    if W.shape != (fan_in, fan_out):
        raise AssertionError(f"he_init({fan_in}, {fan_out}) has shape {W.shape}; expected ({fan_in}, {fan_out}): (fan_in, fan_out)")
    if W.dtype.kind != "f":
        raise AssertionError(f"he_init({fan_in}, {fan_out}) has dtype {W.dtype}; expected floating-point weights")
    return W.astype(np.float64)


# -- ann_forward ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_matches_hand_worked_example(impl, backend, dtype):
    # By hand. Sample 1, x = [1, -2]: x W1 = [1 - 1, -1 - 2, 0.5 + 2] = [0, -3, 2.5]; + b1 = [0, -2.5, 2];
    #   ReLU -> [0, 0, 2]; @ W2 = [1, -2]; + b2 = [1.1, -2.2].
    # Sample 2, x = [0.5, 1]: x W1 = [1, 0.5, -0.75]; + b1 = [1, 1, -1.25]; ReLU -> [1, 1, 0];
    #   @ W2 = [0, 2.5]; + b2 = [0.1, 2.3].
    X = np.array([[1.0, -2.0], [0.5, 1.0]])
    W1 = np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]])
    b1 = np.array([0.0, 0.5, -0.5])
    W2 = np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.0]])
    b2 = np.array([0.1, -0.2])
    params = (X, W1, b1, W2, b2)
    got = impl.ann_forward(*(backend.asarray(a, dtype) for a in params))
    assert_close(got, [[1.1, -2.2], [0.1, 2.3]], backend, what="logits", input_dtype=dtype, mistakes=mistakes_for(*params))


@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_shape_example(impl, backend, dtype):
    # The seed's test: input_size 10, hidden_size 5, num_classes 3, a batch of one -> logits (1, 3).
    check_forward(impl, backend, random_params(0, 1, 10, 5, 3), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_on_a_batch(impl, backend, dtype):
    check_forward(impl, backend, random_params(1, 6, 4, 7, 3), dtype)


def test_square_weights_are_not_transposed(impl, backend):
    # d_in = h = c = 4: X @ W.T has the right shape, only the values show the mistake.
    check_forward(impl, backend, random_params(2, 5, 4, 4, 4))


def test_forward_inputs_are_not_modified(impl, backend):
    params = random_params(3, 4, 3, 5, 2)
    args = [backend.asarray(a) for a in params]
    impl.ann_forward(*args)
    for name, before, after in zip(["X", "W1", "b1", "W2", "b2"], params, args):
        assert_unchanged(before, after, backend, name)


# -- he_init --------------------------------------------------------------------------------------
def test_he_init_has_shape_fan_in_by_fan_out(impl, backend):
    draw(impl, backend, 7, 3, seed=0)  # fan_in != fan_out: a transposed draw has shape (3, 7)


def test_he_init_has_mean_0_and_std_sqrt_2_over_fan_in(impl, backend):
    # 400 x 500 = 200,000 draws: the sample mean is within ~1.6e-4 of 0, the sample std within ~0.2 %
    # of sqrt(2 / 400) = 0.0707107; the tolerances below are about ten times wider.
    fan_in, fan_out = 400, 500
    W = draw(impl, backend, fan_in, fan_out, seed=1)
    assert_close(W.mean(), 0.0, backend, what="mean of the weights", atol=0.002, rtol=0.0)
    assert_close(W.std(), math.sqrt(2.0 / fan_in), backend, what="standard deviation of the weights", rtol=0.02, atol=0.0, mistakes={
        "the std is sqrt(2 / fan_out): He uses fan_in (the rows of W)": math.sqrt(2.0 / fan_out),
        "the std is sqrt(1 / fan_in) (LeCun / Xavier-style): He uses 2 / fan_in for ReLU": math.sqrt(1.0 / fan_in),
        "the std is sqrt(2 / (fan_in + fan_out)) (Glorot): He uses 2 / fan_in": math.sqrt(2.0 / (fan_in + fan_out)),
        "the variance 2 / fan_in is used as the standard deviation: take its square root": 2.0 / fan_in,
        "the draws are not scaled: N(0, 1) instead of N(0, 2 / fan_in)": 1.0,
    })  # fmt: skip


def test_he_init_draws_from_a_normal_not_a_uniform(impl, backend):
    # A normal puts erfc(2 / sqrt(2)) = 4.55 % of its draws more than two standard deviations from its mean;
    # a uniform (He-uniform) or a normal truncated at 2 std puts none there. Measured in the draw's own
    # standard deviation, so that only the shape counts; 200,000 draws: within ~0.05 % of 4.55 %.
    W = draw(impl, backend, 400, 500, seed=2)
    share = float(np.mean(np.abs(W - W.mean()) > 2 * W.std()))
    assert_close(share, math.erfc(2 / math.sqrt(2)), backend, what="share of weights beyond two standard deviations", atol=0.005, rtol=0.0,
                 mistakes={"the weights are uniform (or truncated): he_init draws from a normal N(0, 2 / fan_in)": 0.0})  # fmt: skip


def test_he_init_is_reproducible_with_a_seed(impl, backend):
    first, again, other = draw(impl, backend, 6, 4, seed=123), draw(impl, backend, 6, 4, seed=123), draw(impl, backend, 6, 4, seed=7)
    assert np.array_equal(first, again), "he_init(6, 4, seed=123) gave different weights on two calls: a seed must fix the weights"
    assert not np.array_equal(first, other), "he_init gave the same weights for seed=123 and seed=7: use the seed to seed the generator"


def test_he_init_without_seed_gives_fresh_weights(impl, backend):
    first, second = draw(impl, backend, 6, 4), draw(impl, backend, 6, 4)
    assert not np.array_equal(first, second), "two calls of he_init(6, 4) without a seed gave the same weights: seed=None means fresh draws"


# -- torch only -----------------------------------------------------------------------------------
@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_keeps_input_dtype_and_device(impl, backend, dtype):
    import torch

    args = [backend.asarray(a, dtype) for a in random_params(4, 3, 4, 5, 2)]
    got = impl.ann_forward(*args)
    as_result(got, backend, "logits", dtype=dtype)
    assert got.device == args[0].device, f"logits are on {got.device}; the inputs are on {args[0].device}"
    if torch.cuda.is_available():
        cuda = [a.cuda() for a in args]
        out = impl.ann_forward(*cuda)
        assert out.device == cuda[0].device, f"logits are on {out.device}; the inputs are on {cuda[0].device}"


def _torch_layers(params):
    import torch
    from torch import nn

    X, W1, b1, W2, b2 = params
    first, second = nn.Linear(*W1.shape).double(), nn.Linear(*W2.shape).double()
    with torch.no_grad():  # nn.Linear stores (out, in): the transpose of this kata's weights
        first.weight.copy_(torch.from_numpy(W1.T.copy()))
        first.bias.copy_(torch.from_numpy(b1))
        second.weight.copy_(torch.from_numpy(W2.T.copy()))
        second.bias.copy_(torch.from_numpy(b2))
    return nn.Sequential(first, nn.ReLU(), second)


@pytest.mark.backend("torch")
def test_matches_torch_linear_relu_linear(impl, backend):
    params = random_params(5, 8, 6, 10, 4)
    expected = _torch_layers(params)(backend.asarray(params[0])).detach()
    got = impl.ann_forward(*(backend.asarray(a) for a in params))
    assert_close(got, backend.to_numpy(expected), backend, what="logits", input_dtype="float64", mistakes=mistakes_for(*params))


@pytest.mark.backend("torch")
def test_gradients_match_autograd_through_torch_layers(impl, backend):
    import torch

    params = random_params(6, 5, 3, 6, 2)
    upstream = torch.from_numpy(np.random.default_rng(7).normal(size=(5, 2)))
    leaves = [torch.tensor(a, requires_grad=True) for a in params]
    out = impl.ann_forward(*leaves)
    if not isinstance(out, torch.Tensor) or not out.requires_grad:
        raise AssertionError("the logits do not require grad: gradients do not flow back to X and the weights (no .detach(), .numpy())")
    (out * upstream).sum().backward()
    layers = _torch_layers(params)
    x = torch.tensor(params[0], requires_grad=True)
    (layers(x) * upstream).sum().backward()
    first, second = layers[0], layers[2]
    gold = [x.grad, first.weight.grad.T, first.bias.grad, second.weight.grad.T, second.bias.grad]
    for name, leaf, expected in zip(["X", "W1", "b1", "W2", "b2"], leaves, gold):
        assert leaf.grad is not None, f"no gradient reached {name}"
        assert_close(leaf.grad, expected.numpy(), backend, what=f"gradient of {name}")
