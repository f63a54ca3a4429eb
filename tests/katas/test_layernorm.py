"""Hidden suite: layer normalisation (one suite, both backends).

Oracles: `loop_layer_norm`, an explicit loop over the samples in float64 that flattens each sample's
trailing block and takes np.var(ddof=0); the seed's mean-0 / variance-1 property; hand-worked rows;
for the torch backend, nn.LayerNorm and F.layer_norm's autograd. Known mistakes are computed by small
wrong oracles.
"""

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]

NO_GRAD = "the output does not require grad: gradients do not flow back to X, gamma, beta (no .detach(), .numpy() or in-place tricks)"

# Known mistakes, as the failure message names them.
UNBIASED = "the variance is unbiased (n - 1); layer norm uses the biased one (divide by n)"
EPS_OUTSIDE = "eps is left out or added outside the square root; it belongs inside: sqrt(var + eps)"
SEED_AXIS_1 = "the statistics run over axis 1 (as the seed's code does) instead of the last axis, which gamma covers"
LAST_AXIS_ONLY = "the statistics run over the last axis only, not over every trailing dimension that gamma covers"
OVER_BATCH = "each feature is normalised over the batch (that is batch norm), not each sample over its features"
NAIVE_VARIANCE = (
    "the variance is computed as E[x^2] - E[x]^2, which loses its digits when the values sit far from zero; take the mean of (x - mean)^2"
)


# -- oracles -------------------------------------------------------------------------------------
def loop_layer_norm(X, gamma, beta, eps=1e-5, k=None, ddof=0, eps_outside=False):
    """Sample by sample over the leading dims: flatten the trailing k dims (k = gamma.ndim), normalise."""
    X, gamma, beta = (np.asarray(a, dtype=np.float64) for a in (X, gamma, beta))
    k = gamma.ndim if k is None else k
    lead = X.shape[: X.ndim - k]
    out = np.empty_like(X)
    for idx in np.ndindex(*lead):
        block = X[idx]
        values = block.ravel()
        m = values.sum() / values.size
        v = np.var(values, ddof=ddof)
        scale = np.sqrt(v) + eps if eps_outside else np.sqrt(v + eps)
        out[idx] = (block - m) / scale
    return gamma * out + beta


def over_axes(X, gamma, beta, axes, eps=1e-5):
    """A wrong choice of axes for the statistics (the seed's axis=1, batch norm's axis=0, ...)."""
    X = np.asarray(X, dtype=np.float64)
    X_hat = (X - X.mean(axis=axes, keepdims=True)) / np.sqrt(X.var(axis=axes, keepdims=True) + eps)
    return gamma * X_hat + beta


def naive_variance_layer_norm(X, gamma, beta, eps=1e-5):
    """The mistake var = E[x^2] - E[x]^2, computed in the input's dtype (where it loses its digits)."""
    axes = tuple(range(X.ndim - np.ndim(gamma), X.ndim))
    mean = X.mean(axis=axes, keepdims=True)
    var = np.maximum((X**2).mean(axis=axes, keepdims=True) - mean**2, 0)
    return gamma * (X - mean) / np.sqrt(var + eps) + beta


def mistakes_for(X, gamma, beta, eps=1e-5):
    X = np.asarray(X, dtype=np.float64)
    found = {
        UNBIASED: loop_layer_norm(X, gamma, beta, eps, ddof=1),
        EPS_OUTSIDE: loop_layer_norm(X, gamma, beta, eps, eps_outside=True),
    }
    k = np.ndim(gamma)
    if X.ndim >= 3 and k == 1:
        found[SEED_AXIS_1] = over_axes(X, gamma, beta, 1, eps)
    if k >= 2:
        found[LAST_AXIS_ONLY] = loop_layer_norm(X, gamma, beta, eps, k=1)
    if X.ndim > k:
        found[OVER_BATCH] = over_axes(X, gamma, beta, 0, eps)
    return found


def make_case(seed, shape, k=1):
    """Samples with different means and scales; gamma and beta far from 1 and 0, both of shape shape[-k:]."""
    rng = np.random.default_rng(seed)
    lead = shape[: len(shape) - k] + (1,) * k
    X = rng.normal(size=shape) * rng.uniform(0.5, 3.0, size=lead) + rng.uniform(-4, 4, size=lead)
    gamma = rng.uniform(0.5, 2.0, size=shape[-k:]) * rng.choice([-1.0, 1.0], size=shape[-k:])
    beta = rng.normal(size=shape[-k:])
    return X, gamma, beta


def check(impl, backend, X, gamma, beta, dtype="float64", eps=None, **tol):
    kwargs = {} if eps is None else {"eps": eps}
    got = impl.layer_norm(*(backend.asarray(a, dtype) for a in (X, gamma, beta)), **kwargs)
    X, gamma, beta = (np.asarray(a).astype(dtype).astype(np.float64) for a in (X, gamma, beta))  # as the attempt sees them
    eps = 1e-5 if eps is None else eps
    expected = loop_layer_norm(X, gamma, beta, eps)
    assert_close(got, expected, backend, what="layer_norm output", input_dtype=dtype, mistakes=mistakes_for(X, gamma, beta, eps), **tol)
    return got


# -- the seed example ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_example_mean_zero_variance_one(impl, backend, dtype):
    # The seed: 10 samples of 100 features, gamma = 1, beta = 0; every sample of the output has mean ~0
    # and variance ~1 (exactly var / (var + eps)). The seed's rows were already standard normal; these
    # have means up to 4 and scales up to 3, so skipping a step shows.
    X, _, _ = make_case(0, (10, 100))
    got = impl.layer_norm(backend.asarray(X, dtype), backend.asarray(np.ones(100), dtype), backend.asarray(np.zeros(100), dtype))
    out = as_result(got, backend, "layer_norm output", dtype=dtype if backend.keeps_dtype else None).astype(np.float64)
    if out.shape != X.shape:
        raise ResultMismatch(f"layer_norm output has shape {out.shape}; expected {X.shape}")
    mean, var = backend.asarray(out.mean(axis=1)), backend.asarray(out.var(axis=1))  # float64, in the backend's type
    assert_close(mean, np.zeros(10), backend, what="mean of each sample of the output", atol=1e-5, rtol=0)
    assert_close(var, np.ones(10), backend, what="variance of each sample of the output", atol=1e-3, rtol=0)


def test_hand_worked_row(impl, backend):
    # Row [1, 2, 3, 6]: mean 3, deviations [-2, -1, 0, 3], biased variance (4 + 1 + 0 + 9) / 4 = 3.5,
    # so x_hat = [-2, -1, 0, 3] / sqrt(3.50001) = [-1.069043, -0.534522, 0, 1.603565];
    # with gamma = [1, 2, 1, -1] and beta = [0, 0, 1, 0.5]: [-1.069043, -1.069043, 1, -1.103565].
    X = np.array([[1.0, 2.0, 3.0, 6.0]])
    gamma, beta = np.array([1.0, 2.0, 1.0, -1.0]), np.array([0.0, 0.0, 1.0, 0.5])
    got = impl.layer_norm(*(backend.asarray(a) for a in (X, gamma, beta)))
    expected = [[-1.0690434, -1.0690434, 1.0, -1.1035650]]
    assert_close(got, expected, backend, what="layer_norm output", atol=1e-6, mistakes=mistakes_for(X, gamma, beta))


# -- shapes --------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_two_dimensional_input_matches_row_loop(impl, backend, dtype):
    check(impl, backend, *make_case(1, (6, 8)), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_time_channel_input_normalises_over_channels(impl, backend, dtype):
    # (B, T, C) = (2, 5, 4): the seed's axis=1 would normalise over time, and T != C keeps the shapes honest.
    check(impl, backend, *make_case(2, (2, 5, 4)), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 4, 5)], ids=["B-T-C", "B-H-T-C"])
def test_two_dimensional_normalized_shape(impl, backend, shape, dtype):
    # gamma of shape (4, 5): each sample's statistics run over its last two axes, 20 values.
    check(impl, backend, *make_case(3, shape, k=2), dtype=dtype)


def test_single_vector_without_batch(impl, backend):
    # X of shape (C,) and gamma (C,): the whole input is one sample.
    check(impl, backend, *make_case(4, (7,)))


# -- numerics ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_eps_sits_inside_the_square_root(impl, backend, dtype):
    # Rows with variances ~1e-6, ~1e-4 and ~1: next to eps = 1e-5, sqrt(var + eps) and sqrt(var) + eps
    # differ by a factor of up to 3 on the first row.
    rng = np.random.default_rng(5)
    X = rng.normal(size=(3, 6)) * np.array([[1e-3], [1e-2], [1.0]]) + np.array([[0.002], [-0.01], [0.5]])
    gamma, beta = np.array([1.5, -1.0, 0.7, 1.0, 2.0, 0.5]), np.array([0.1, 0.2, -0.3, 0.0, 0.4, -0.1])
    check(impl, backend, X, gamma, beta, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_constant_row_stays_finite(impl, backend, dtype):
    # Rows 1 and 2 are constant: their variance is 0 and (x - mean) / sqrt(0 + eps) = 0, so their output
    # is beta; without eps (or with eps outside the root) it is 0 / 0 = NaN. 3.0 sums exactly in float32.
    X = np.array([[1.0, -2.0, 4.0, 0.5], [3.0, 3.0, 3.0, 3.0], [0.0, 0.0, 0.0, 0.0]])
    gamma, beta = np.array([2.0, -1.0, 0.5, 1.0]), np.array([0.25, -0.5, 1.0, 0.0])
    check(impl, backend, X, gamma, beta, dtype=dtype)


@pytest.mark.parametrize("dtype,offset", [("float64", 1e7), ("float32", 1e3)], ids=["float64", "float32"])
def test_rows_far_from_zero_are_normalised_stably(impl, backend, dtype, offset):
    # Unit-variance rows around 1e3 (float32) or 1e7 (float64): E[x^2] - E[x]^2 cancels away every digit
    # of the variance there, while the variance taken around the mean keeps them. In float32 even
    # PyTorch's own layer_norm is off by ~1e-4 here, hence the tolerance of 1e-3.
    X, gamma, beta = make_case(6, (4, 6, 16))
    X = X - X.mean(axis=-1, keepdims=True) + offset
    got = impl.layer_norm(*(backend.asarray(a, dtype) for a in (X, gamma, beta)))
    X, gamma, beta = (a.astype(dtype).astype(np.float64) for a in (X, gamma, beta))
    naive = naive_variance_layer_norm(X.astype(dtype), gamma.astype(dtype), beta.astype(dtype))
    tol = {"rtol": 1e-3, "atol": 1e-3} if dtype == "float32" else {"atol": 1e-6}
    mistakes = {NAIVE_VARIANCE: naive}
    assert_close(got, loop_layer_norm(X, gamma, beta), backend, what="layer_norm output", input_dtype=dtype, mistakes=mistakes, **tol)


# -- inputs, types -------------------------------------------------------------------------------
def test_inputs_are_not_modified(impl, backend):
    X, gamma, beta = make_case(7, (2, 3, 4))
    args = [backend.asarray(a) for a in (X, gamma, beta)]
    impl.layer_norm(*args)
    for name, before, after in zip(("X", "gamma", "beta"), (X, gamma, beta), args):
        assert_unchanged(before, after, backend, name)


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_output_keeps_input_dtype_and_device(impl, backend, dtype):
    import torch

    args = [backend.asarray(a, dtype) for a in make_case(8, (2, 3, 4))]
    got = impl.layer_norm(*args)
    as_result(got, backend, "layer_norm output", dtype=dtype)
    assert got.device == args[0].device, f"output is on {got.device}; the inputs are on {args[0].device}"
    if torch.cuda.is_available():
        cuda = [a.cuda() for a in args]
        out = impl.layer_norm(*cuda)
        assert out.device == cuda[0].device, f"output is on {out.device}; the inputs are on {cuda[0].device}"


# -- against PyTorch's own layer (torch backend) -------------------------------------------------
@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,k", [((2, 5, 8), 1), ((2, 5, 8), 2)], ids=["B-T-C-normalized-C", "B-T-C-normalized-T-C"])
def test_matches_pytorch_layernorm(impl, backend, shape, k, dtype):
    import torch

    X, gamma, beta = make_case(9, shape, k)
    layer = torch.nn.LayerNorm(shape[-k:], eps=1e-4, dtype=getattr(torch, dtype))
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(gamma))
        layer.bias.copy_(torch.from_numpy(beta))
        x = backend.asarray(X, dtype)
        expected = layer(x).double().numpy()
    got = impl.layer_norm(x, layer.weight.detach().clone(), layer.bias.detach().clone(), eps=1e-4)
    mistakes = mistakes_for(x.double().numpy(), gamma.astype(dtype), beta.astype(dtype), eps=1e-4)
    assert_close(got, expected, backend, what="layer_norm output", input_dtype=dtype, mistakes=mistakes)


@pytest.mark.backend("torch")
def test_gradients_match_autograd_through_builtin(impl, backend):
    import torch
    import torch.nn.functional as F

    X, gamma, beta = make_case(10, (3, 4, 6), k=2)
    upstream = torch.from_numpy(np.random.default_rng(11).normal(size=X.shape))

    def grads(fn):
        leaves = [torch.tensor(a, requires_grad=True) for a in (X, gamma, beta)]
        out = fn(*leaves)
        if not isinstance(out, torch.Tensor) or not out.requires_grad:
            raise AssertionError(NO_GRAD)
        (out * upstream).sum().backward()
        return [leaf.grad for leaf in leaves]

    mine = grads(impl.layer_norm)
    gold = grads(lambda x, g, b: F.layer_norm(x, g.shape, g, b))
    for name, g, e in zip(("X", "gamma", "beta"), mine, gold):
        assert g is not None, f"no gradient reached {name}"
        assert_close(g, e.numpy(), backend, what=f"gradient of {name}")


def test_eps_argument_is_used(impl, backend):
    # eps = 1e-2 next to row variances ~1e-2: an attempt that hard-codes 1e-5 is off by up to ~40%.
    rng = np.random.default_rng(11)
    X = rng.normal(size=(3, 6)) * 0.1
    gamma, beta = np.full(6, 1.5), np.full(6, 0.25)
    check(impl, backend, X, gamma, beta, eps=1e-2)
