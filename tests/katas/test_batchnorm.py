"""Hidden suite: batch normalisation (one suite, both backends).

Oracles: `loop_batch_norm`, an explicit loop over channels in float64 with np.var(ddof=0) to normalise
and np.var(ddof=1) for the running variance; the seed's mean-0 / variance-1 property; for the torch
backend, nn.BatchNorm1d / nn.BatchNorm2d in training and eval mode, and F.batch_norm's autograd.
Known mistakes are computed by the same loop with one rule changed.
"""

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]

NO_GRAD = "the output does not require grad: gradients do not flow back to X, gamma, beta (no .detach(), .numpy() or in-place tricks)"

# Known mistakes, as the failure message names them.
UNBIASED = "the variance used to normalise is unbiased (n - 1); batch norm normalises with the biased one (divide by n)"
EPS_OUTSIDE = "eps is left out or added outside the square root; it belongs inside: sqrt(var + eps)"
PER_POSITION = "the statistics run over axis 0 only (one per channel and position), not over the batch and every spatial axis"
PER_SAMPLE = "each sample is normalised over its features (that is layer norm), not each channel over the batch"
TRAIN_WITH_RUNNING = "the training output is normalised with the running statistics; training uses the batch's own"
FLIPPED = "the momentum weights the old running value instead of the new batch statistic"
BIASED_RUNNING = "running_var takes the biased variance; PyTorch stores the unbiased one (n - 1) in running_var"
EVAL_WITH_BATCH = "eval mode normalises with the batch's own statistics instead of running_mean and running_var"
DETACHED = "the batch mean and variance are detached (computed without grad), so the gradient of X misses their terms"
WRONG_N = "the running variance is averaged per position over the batch only, not over every value of the channel"


# -- oracles -------------------------------------------------------------------------------------
def channel_values(X, c):
    """Every value of channel c (batch and positions), as a flat float64 vector."""
    return np.asarray(X, dtype=np.float64)[:, c].ravel()


def loop_batch_norm(X, gamma, beta, eps=1e-5, mean=None, var=None, ddof=0, eps_outside=False):
    """Normalise channel by channel; mean / var given means eval mode (running statistics)."""
    X = np.asarray(X, dtype=np.float64)
    out = np.empty_like(X)
    for c in range(X.shape[1]):
        values = channel_values(X, c)
        m = values.sum() / values.size if mean is None else float(mean[c])
        v = np.var(values, ddof=ddof) if var is None else float(var[c])
        scale = np.sqrt(v) + eps if eps_outside else np.sqrt(v + eps)
        out[:, c] = gamma[c] * (X[:, c] - m) / scale + beta[c]
    return out


def loop_running(X, running_mean, running_var, momentum=0.1, ddof=1, flipped=False):
    """New running statistics, channel by channel: (1 - m) * running + m * batch statistic."""
    new_mean, new_var = [], []
    for c in range(X.shape[1]):
        values = channel_values(X, c)
        keep, take = (momentum, 1 - momentum) if flipped else (1 - momentum, momentum)
        new_mean.append(keep * running_mean[c] + take * values.mean())
        new_var.append(keep * running_var[c] + take * np.var(values, ddof=ddof))
    return np.array(new_mean), np.array(new_var)


def per_position_batch_norm(X, gamma, beta, eps=1e-5):
    """The mistake of the seed's code on images: statistics over axis 0 only, one pair per (c, h, w)."""
    X = np.asarray(X, dtype=np.float64)
    shape = (1, -1) + (1,) * (X.ndim - 2)
    X_hat = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    return np.reshape(gamma, shape) * X_hat + np.reshape(beta, shape)


def per_sample_batch_norm(X, gamma, beta, eps=1e-5):
    """The mistake of normalising each sample over its features (layer norm) instead of each feature over the batch."""
    X = np.asarray(X, dtype=np.float64)
    axes = tuple(range(1, X.ndim))
    X_hat = (X - X.mean(axis=axes, keepdims=True)) / np.sqrt(X.var(axis=axes, keepdims=True) + eps)
    shape = (1, -1) + (1,) * (X.ndim - 2)
    return np.reshape(gamma, shape) * X_hat + np.reshape(beta, shape)


def output_mistakes(X, gamma, beta, eps=1e-5):
    return {
        UNBIASED: loop_batch_norm(X, gamma, beta, eps, ddof=1),
        EPS_OUTSIDE: loop_batch_norm(X, gamma, beta, eps, eps_outside=True),
        PER_POSITION: per_position_batch_norm(X, gamma, beta, eps),
        PER_SAMPLE: per_sample_batch_norm(X, gamma, beta, eps),
    }


# -- cases ---------------------------------------------------------------------------------------
def make_case(seed, shape):
    """Channels with different means and scales; gamma and beta far from 1 and 0."""
    rng = np.random.default_rng(seed)
    C = shape[1]
    channel = (1, C) + (1,) * (len(shape) - 2)
    X = rng.normal(size=shape) * rng.uniform(0.5, 3.0, size=C).reshape(channel) + rng.uniform(-4, 4, size=C).reshape(channel)
    gamma = rng.uniform(0.5, 2.0, size=C) * rng.choice([-1.0, 1.0], size=C)
    beta = rng.normal(size=C)
    running_mean = rng.normal(size=C)
    running_var = rng.uniform(0.5, 2.0, size=C)
    return X, gamma, beta, running_mean, running_var


def rounded(dtype, *arrays):
    """The arrays as the attempt sees them: rounded to dtype, then widened for the oracle."""
    return [np.asarray(a).astype(dtype).astype(np.float64) for a in arrays]


def unpack_train(got):
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        kind = type(got).__name__ + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else "")
        raise ResultMismatch(f"batch_norm_train should return a tuple (out, running_mean, running_var); got a {kind}")
    return got


SHAPES = {"N-C": (8, 5), "N-C-L": (3, 4, 7), "N-C-H-W": (4, 3, 5, 6)}


# -- batch_norm (training mode) ------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_example_mean_zero_variance_one(impl, backend, dtype):
    # The seed: 100 samples of 10 features, gamma = 1, beta = 0; every feature of the output has mean
    # ~0 and variance ~1 (exactly var / (var + eps) = 1 - ~1e-5 here). The seed's features were already
    # standard normal; these have means up to 4 and scales up to 3, so skipping a step shows.
    X, *_ = make_case(0, (100, 10))
    got = impl.batch_norm(backend.asarray(X, dtype), backend.asarray(np.ones(10), dtype), backend.asarray(np.zeros(10), dtype))
    out = as_result(got, backend, "batch_norm output", dtype=dtype if backend.keeps_dtype else None).astype(np.float64)
    if out.shape != X.shape:
        raise ResultMismatch(f"batch_norm output has shape {out.shape}; expected {X.shape}")
    mean, var = backend.asarray(out.mean(axis=0)), backend.asarray(out.var(axis=0))  # float64, in the backend's type
    assert_close(mean, np.zeros(10), backend, what="mean of each feature of the output", atol=1e-5, rtol=0)
    assert_close(var, np.ones(10), backend, what="variance of each feature of the output", atol=1e-3, rtol=0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", list(SHAPES.values()), ids=list(SHAPES))
def test_matches_per_channel_loop(impl, backend, shape, dtype):
    X, gamma, beta, *_ = make_case(1, shape)
    got = impl.batch_norm(*(backend.asarray(a, dtype) for a in (X, gamma, beta)))
    X, gamma, beta = rounded(dtype, X, gamma, beta)
    expected = loop_batch_norm(X, gamma, beta)
    assert_close(got, expected, backend, what="batch_norm output", input_dtype=dtype, mistakes=output_mistakes(X, gamma, beta))


def test_small_batch_normalises_with_the_biased_variance(impl, backend):
    # Three samples: the unbiased variance is 3/2 of the biased one, so the outputs differ by sqrt(3/2).
    # Channel 0 by hand: [1, 2, 6] has mean 3 and biased variance (4 + 1 + 9) / 3 = 14/3, so with
    # gamma = 1, beta = 0 the output is [-2, -1, 3] / sqrt(14/3 + 1e-5) = [-0.92582, -0.46291, 1.38873].
    X = np.array([[1.0, 0.0], [2.0, 10.0], [6.0, -4.0]])
    gamma, beta = np.array([1.0, 0.5]), np.array([0.0, 1.0])
    got = impl.batch_norm(*(backend.asarray(a) for a in (X, gamma, beta)))
    expected = loop_batch_norm(X, gamma, beta)
    assert np.allclose(expected[:, 0], [-0.9258191, -0.4629095, 1.3887286], atol=1e-6)  # the oracle agrees with the hand working
    assert_close(got, expected, backend, what="batch_norm output", mistakes=output_mistakes(X, gamma, beta))


@pytest.mark.parametrize("dtype", DTYPES)
def test_eps_sits_inside_the_square_root(impl, backend, dtype):
    # Channels with variances ~1e-6, ~1e-4 and ~1: next to eps = 1e-5, sqrt(var + eps) and
    # sqrt(var) + eps differ by a factor of up to 3 on the first channel.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(6, 3)) * np.array([1e-3, 1e-2, 1.0]) + np.array([0.002, -0.01, 0.5])
    gamma, beta = np.array([1.5, -1.0, 0.7]), np.array([0.1, 0.2, -0.3])
    got = impl.batch_norm(*(backend.asarray(a, dtype) for a in (X, gamma, beta)))
    X, gamma, beta = rounded(dtype, X, gamma, beta)
    expected = loop_batch_norm(X, gamma, beta)
    assert_close(got, expected, backend, what="batch_norm output", input_dtype=dtype, mistakes=output_mistakes(X, gamma, beta))


def test_a_constant_channel_gives_beta(impl, backend):
    # Channel 1 is constant: its variance is 0 and (x - mean) / sqrt(0 + eps) = 0, so the output is beta.
    X = np.array([[1.0, 3.0], [2.0, 3.0], [4.0, 3.0], [-1.0, 3.0]])
    gamma, beta = np.array([2.0, 2.0]), np.array([-1.0, 0.25])
    got = impl.batch_norm(*(backend.asarray(a) for a in (X, gamma, beta)))
    assert_close(got, loop_batch_norm(X, gamma, beta), backend, what="batch_norm output", mistakes=output_mistakes(X, gamma, beta))


# -- batch_norm_train ----------------------------------------------------------------------------
def train_mistakes(X, running_mean, running_var, momentum):
    biased = loop_running(X, running_mean, running_var, momentum, ddof=0)
    flipped = loop_running(X, running_mean, running_var, momentum, flipped=True)
    return {
        "mean": {FLIPPED: flipped[0]},
        "var": {
            BIASED_RUNNING: biased[1],
            FLIPPED: flipped[1],
        },
    }


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 4), (4, 3, 5, 6)], ids=["N-C", "N-C-H-W"])
def test_train_returns_output_and_new_running_statistics(impl, backend, shape, dtype):
    X, gamma, beta, rm, rv = make_case(3, shape)
    got = impl.batch_norm_train(*(backend.asarray(a, dtype) for a in (X, gamma, beta, rm, rv)))
    out, new_mean, new_var = unpack_train(got)
    X, gamma, beta, rm, rv = rounded(dtype, X, gamma, beta, rm, rv)
    expected_mean, expected_var = loop_running(X, rm, rv)
    mistakes = train_mistakes(X, rm, rv, 0.1)
    out_mistakes = output_mistakes(X, gamma, beta)
    out_mistakes[TRAIN_WITH_RUNNING] = loop_batch_norm(X, gamma, beta, mean=expected_mean, var=expected_var)
    assert_close(out, loop_batch_norm(X, gamma, beta), backend, what="out", input_dtype=dtype, mistakes=out_mistakes)
    assert_close(new_mean, expected_mean, backend, what="running_mean", input_dtype=dtype, mistakes=mistakes["mean"])
    assert_close(new_var, expected_var, backend, what="running_var", input_dtype=dtype, mistakes=mistakes["var"])


def test_train_uses_the_momentum_given(impl, backend):
    # Momentum 0.3 by hand, channel 0: values [1, 3] have mean 2 and unbiased variance 2, so
    # running_mean = 0.7 * 0.5 + 0.3 * 2 = 0.95 and running_var = 0.7 * 4 + 0.3 * 2 = 3.4.
    X = np.array([[1.0, 0.0], [3.0, -2.0]])
    gamma, beta = np.ones(2), np.zeros(2)
    rm, rv = np.array([0.5, 1.0]), np.array([4.0, 0.25])
    got = impl.batch_norm_train(*(backend.asarray(a) for a in (X, gamma, beta, rm, rv)), momentum=0.3)
    _, new_mean, new_var = unpack_train(got)
    # channel 1: values [0, -2], mean -1, unbiased variance 2: 0.7 * 1 + 0.3 * -1 = 0.4; 0.7 * 0.25 + 0.3 * 2 = 0.775
    mistakes = train_mistakes(X, rm, rv, 0.3)
    assert_close(new_mean, [0.95, 0.4], backend, what="running_mean", mistakes=mistakes["mean"])
    assert_close(new_var, [3.4, 0.775], backend, what="running_var", mistakes=mistakes["var"])


def test_train_three_dimensional_input_counts_every_position(impl, backend):
    # (N, C, L) = (2, 3, 4): n = 8 values per channel, so the unbiased factor is 8/7, not 2/1 (batch only).
    X, gamma, beta, rm, rv = make_case(4, (2, 3, 4))
    got = impl.batch_norm_train(*(backend.asarray(a) for a in (X, gamma, beta, rm, rv)), momentum=0.5, eps=1e-3)
    out, new_mean, new_var = unpack_train(got)
    expected_mean, expected_var = loop_running(X, rm, rv, momentum=0.5)
    wrong_n = 0.5 * rv + 0.5 * np.array([X[:, c].var(axis=0, ddof=1).mean() for c in range(3)])
    assert_close(out, loop_batch_norm(X, gamma, beta, eps=1e-3), backend, what="out", mistakes=output_mistakes(X, gamma, beta, eps=1e-3))
    assert_close(new_mean, expected_mean, backend, what="running_mean", mistakes=train_mistakes(X, rm, rv, 0.5)["mean"])
    mistakes = {WRONG_N: wrong_n, **train_mistakes(X, rm, rv, 0.5)["var"]}
    assert_close(new_var, expected_var, backend, what="running_var", mistakes=mistakes)


# -- batch_norm_eval -----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5, 4), (2, 4, 3, 5)], ids=["N-C", "N-C-H-W"])
def test_eval_uses_the_running_statistics(impl, backend, shape, dtype):
    X, gamma, beta, rm, rv = make_case(5, shape)
    rv[0] = 2e-6  # a tiny running variance: eps must sit inside the square root here too ...
    X[:, 0] = rm[0] + 1e-3 * (X[:, 0] - X[:, 0].mean()) / X[:, 0].std()  # ... for a channel that sits ~1e-3 from its running mean
    got = impl.batch_norm_eval(*(backend.asarray(a, dtype) for a in (X, gamma, beta, rm, rv)))
    X, gamma, beta, rm, rv = rounded(dtype, X, gamma, beta, rm, rv)
    mistakes = {
        EVAL_WITH_BATCH: loop_batch_norm(X, gamma, beta),
        EPS_OUTSIDE: loop_batch_norm(X, gamma, beta, mean=rm, var=rv, eps_outside=True),
    }
    expected = loop_batch_norm(X, gamma, beta, mean=rm, var=rv)
    assert_close(got, expected, backend, what="batch_norm_eval output", input_dtype=dtype, mistakes=mistakes)


def test_eval_normalises_a_single_sample(impl, backend):
    # One sample: its own statistics would be meaningless (variance 0); eval mode needs none of them.
    # By hand, channel 0: 1.5 * (3 - 1) / sqrt(4 + 1e-5) + 0.5 = 1.5 * 2 / 2.0000025 + 0.5 = 1.499998125 + 0.5 = 1.999998125.
    X = np.array([[3.0, -1.0, 0.0]])
    gamma, beta = np.array([1.5, 1.0, -2.0]), np.array([0.5, 0.0, 1.0])
    rm, rv = np.array([1.0, 0.0, 2.0]), np.array([4.0, 1.0, 0.25])
    got = impl.batch_norm_eval(*(backend.asarray(a) for a in (X, gamma, beta, rm, rv)))
    expected = loop_batch_norm(X, gamma, beta, mean=rm, var=rv)
    assert abs(expected[0, 0] - 1.999998125) < 1e-8  # the oracle agrees with the hand working
    assert_close(got, expected, backend, what="batch_norm_eval output")


# -- inputs, types -------------------------------------------------------------------------------
def test_inputs_are_not_modified(impl, backend):
    X, gamma, beta, rm, rv = make_case(6, (4, 3, 2, 2))
    names = ("X", "gamma", "beta", "running_mean", "running_var")
    for call in ("batch_norm", "batch_norm_train", "batch_norm_eval"):
        args = [backend.asarray(a) for a in (X, gamma, beta, rm, rv)]
        n_args = 3 if call == "batch_norm" else 5
        getattr(impl, call)(*args[:n_args])
        for name, before, after in list(zip(names, (X, gamma, beta, rm, rv), args))[:n_args]:
            assert_unchanged(before, after, backend, f"{name} (in {call})")


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_results_keep_input_dtype_and_device(impl, backend, dtype):
    X, gamma, beta, rm, rv = (backend.asarray(a, dtype) for a in make_case(7, (4, 3, 2, 2)))
    results = {"batch_norm output": impl.batch_norm(X, gamma, beta), "batch_norm_eval output": impl.batch_norm_eval(X, gamma, beta, rm, rv)}
    results.update(zip(("out", "running_mean", "running_var"), unpack_train(impl.batch_norm_train(X, gamma, beta, rm, rv))))
    for what, got in results.items():
        as_result(got, backend, what, dtype=dtype)
        assert got.device == X.device, f"{what} is on {got.device}; the inputs are on {X.device}"


# -- against PyTorch's own layers (torch backend) ------------------------------------------------
def torch_layer(kind, gamma, beta, rm, rv, momentum=0.1, eps=1e-5):
    import torch

    layer = getattr(torch.nn, kind)(len(gamma), eps=eps, momentum=momentum, dtype=torch.float64)
    with torch.no_grad():
        for param, value in ((layer.weight, gamma), (layer.bias, beta), (layer.running_mean, rm), (layer.running_var, rv)):
            param.copy_(torch.from_numpy(np.asarray(value, dtype=np.float64)))
    return layer


@pytest.mark.backend("torch")
@pytest.mark.parametrize(
    "kind,shape",
    [("BatchNorm1d", (6, 4)), ("BatchNorm1d", (3, 4, 5)), ("BatchNorm2d", (3, 2, 4, 5))],
    ids=["1d-N-C", "1d-N-C-L", "2d-N-C-H-W"],
)
def test_train_matches_pytorch_batchnorm_in_training_mode(impl, backend, kind, shape):
    import torch

    X, gamma, beta, rm, rv = make_case(8, shape)
    layer = torch_layer(kind, gamma, beta, rm, rv, momentum=0.2).train()
    with torch.no_grad():
        expected = layer(torch.from_numpy(X)).numpy()
    args = [backend.asarray(a) for a in (X, gamma, beta, rm, rv)]
    assert_close(impl.batch_norm(*args[:3]), expected, backend, what="batch_norm output")
    out, new_mean, new_var = unpack_train(impl.batch_norm_train(*args, momentum=0.2))
    assert_close(out, expected, backend, what="out")
    assert_close(new_mean, layer.running_mean.numpy(), backend, what="running_mean")
    biased = loop_running(X, rm, rv, 0.2, ddof=0)[1]
    assert_close(new_var, layer.running_var.numpy(), backend, what="running_var", mistakes={BIASED_RUNNING: biased})


@pytest.mark.backend("torch")
def test_eval_matches_pytorch_batchnorm2d_in_eval_mode(impl, backend):
    import torch

    X, gamma, beta, rm, rv = make_case(9, (3, 4, 3, 3))
    layer = torch_layer("BatchNorm2d", gamma, beta, rm, rv, eps=1e-3).eval()
    with torch.no_grad():
        expected = layer(torch.from_numpy(X)).numpy()
    got = impl.batch_norm_eval(*(backend.asarray(a) for a in (X, gamma, beta, rm, rv)), eps=1e-3)
    with_batch = loop_batch_norm(X, gamma, beta, eps=1e-3)
    assert_close(got, expected, backend, what="batch_norm_eval output", mistakes={EVAL_WITH_BATCH: with_batch})


@pytest.mark.backend("torch")
def test_gradients_match_autograd_through_builtin(impl, backend):
    import torch
    import torch.nn.functional as F

    X, gamma, beta, _, _ = make_case(10, (4, 3, 2, 3))
    upstream = torch.from_numpy(np.random.default_rng(11).normal(size=X.shape))

    def grads(fn):
        leaves = [torch.tensor(a, requires_grad=True) for a in (X, gamma, beta)]
        out = fn(*leaves)
        if not isinstance(out, torch.Tensor) or not out.requires_grad:
            raise AssertionError(NO_GRAD)
        (out * upstream).sum().backward()
        return [leaf.grad for leaf in leaves]

    mine = grads(impl.batch_norm)
    gold = grads(lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True))
    # With the mean and variance treated as constants, dL/dX would be just gamma * upstream / sqrt(var + eps).
    var = np.array([np.var(channel_values(X, c)) for c in range(3)]).reshape(1, 3, 1, 1)
    detached = {DETACHED: gamma.reshape(1, 3, 1, 1) * upstream.numpy() / np.sqrt(var + 1e-5)}
    for name, g, e in zip(("X", "gamma", "beta"), mine, gold):
        assert g is not None, f"no gradient reached {name}"
        assert_close(g, e.numpy(), backend, what=f"gradient of {name}", mistakes=detached if name == "X" else None)


def test_eps_argument_is_used_in_training_and_eval(impl, backend):
    # eps = 1e-2 next to channel variances ~1e-2: an attempt that hard-codes 1e-5 is off by up to ~40%.
    rng = np.random.default_rng(12)
    X = rng.normal(size=(8, 3)) * 0.1
    gamma, beta = np.array([1.5, -1.0, 0.7]), np.array([0.1, 0.2, -0.3])
    rm, rv = np.array([0.01, -0.02, 0.0]), np.array([0.01, 0.02, 0.005])
    got = impl.batch_norm(*(backend.asarray(a) for a in (X, gamma, beta)), eps=1e-2)
    assert_close(got, loop_batch_norm(X, gamma, beta, eps=1e-2), backend, what="batch_norm output with eps=1e-2")
    got = impl.batch_norm_eval(*(backend.asarray(a) for a in (X, gamma, beta, rm, rv)), eps=1e-2)
    assert_close(got, loop_batch_norm(X, gamma, beta, eps=1e-2, mean=rm, var=rv), backend, what="batch_norm_eval output with eps=1e-2")
