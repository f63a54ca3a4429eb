"""Hidden suite: binary cross-entropy, from probabilities and from logits (one suite, both backends).

Oracles: hand-worked examples (the working is in the comments); `loop_bce` and `loop_bce_logits`,
element-by-element loops with Python's math module in float64 (the logits one through a softplus that
branches on the sign, a different route from max(z, 0) - z y + log1p(exp(-|z|))); for the torch backend,
torch.nn.functional.binary_cross_entropy and binary_cross_entropy_with_logits.
"""

import math

import numpy as np
import pytest

from mlkata.testing import as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]
LN_2 = math.log(2.0)
NEG_LOG_EPS = -math.log(1e-15)  # 34.538776394910684: the loss of a prediction clipped at eps = 1e-15


def loop_bce(y, p, eps=1e-15, sign=-1.0, reduce="mean", swapped=False, hard=False):
    """Oracle, one element at a time in float64; the keyword arguments give the classic mistakes."""
    y, p = np.asarray(y, dtype=np.float64).ravel(), np.asarray(p, dtype=np.float64).ravel()
    total = 0.0
    for t, q in zip(y, p):
        log_p, log_not_p = math.log(max(q, eps)), math.log(max(1.0 - q, eps))
        if swapped:  # y paired with log(1 - p) and 1 - y with log p
            log_p, log_not_p = log_not_p, log_p
        if hard:  # only the term of the "true class", chosen by y == 1
            total += log_p if t == 1 else log_not_p
        else:
            total += t * log_p + (1.0 - t) * log_not_p
    return sign * total / (len(y) if reduce == "mean" else 1)


def softplus(t):
    """log(1 + e^t) without overflow, branching on the sign of t."""
    return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))


def loop_bce_logits(y, z, flip=False, clip_eps=None, reduce="mean"):
    """Oracle from logits: -log s(z) = softplus(-z) and -log(1 - s(z)) = softplus(z), element by element."""
    y, z = np.asarray(y, dtype=np.float64).ravel(), np.asarray(z, dtype=np.float64).ravel()
    total = 0.0
    for t, v in zip(y, z):
        v = -v if flip else v
        if clip_eps is None:
            total += t * softplus(-v) + (1.0 - t) * softplus(v)
        else:  # sigmoid first, then the clipped probability loss: saturates at -log(eps)
            p = 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))
            total += -(t * math.log(max(p, clip_eps)) + (1.0 - t) * math.log(max(1.0 - p, clip_eps)))
    return total / (len(y) if reduce == "mean" else 1)


def mistakes_for(y, p, eps=1e-15):
    return {
        "the losses are summed instead of averaged": loop_bce(y, p, eps, reduce="sum"),
        "the minus sign is missing (the loss of a good prediction must be small and positive)": loop_bce(y, p, eps, sign=1.0),
        "y is paired with log(1 - p) and 1 - y with log(p): the two terms are swapped": loop_bce(y, p, eps, swapped=True),
        "only one term per element is used (chosen by y == 1): soft labels need both, weighted by y and 1 - y": loop_bce(
            y, p, eps, hard=True
        ),
    }


def logit_mistakes_for(y, z):
    return {
        "the losses are summed instead of averaged": loop_bce_logits(y, z, reduce="sum"),
        "the sign of the logits is flipped: a large positive logit should mean p close to 1": loop_bce_logits(y, z, flip=True),
        "sigmoid first, then the clipped probability loss: a confidently wrong logit z should cost |z|, not -log(eps)": loop_bce_logits(
            y, z, clip_eps=1e-15
        ),
    }


def check_probs(impl, backend, y, p, dtype, eps=None, rtol=None):
    yt, pt = backend.asarray(y, dtype), backend.asarray(p, dtype)
    got = impl.binary_cross_entropy_loss(yt, pt) if eps is None else impl.binary_cross_entropy_loss(yt, pt, eps=eps)
    y, p = np.asarray(y, dtype), np.asarray(p, dtype)  # the oracle sees the inputs as rounded to dtype
    e = 1e-15 if eps is None else eps
    assert_close(got, loop_bce(y, p, e), backend, what="loss", input_dtype=dtype, rtol=rtol, mistakes=mistakes_for(y, p, e))
    return got


def check_logits(impl, backend, y, z, dtype):
    got = impl.binary_cross_entropy_with_logits(backend.asarray(y, dtype), backend.asarray(z, dtype))
    y, z = np.asarray(y, dtype), np.asarray(z, dtype)
    assert_close(got, loop_bce_logits(y, z), backend, what="loss from logits", input_dtype=dtype, mistakes=logit_mistakes_for(y, z))
    return got


# -- from probabilities ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_example(impl, backend, dtype):
    # The seed document expects 0.371, which is wrong. By hand:
    #   -[ln 0.9 + ln(1 - 0.1) + ln 0.8 + ln 0.3] / 4 = (0.1053605 + 0.1053605 + 0.2231436 + 1.2039728) / 4
    #   = 1.6378374 / 4 = 0.4094593 (torch.nn.functional.binary_cross_entropy gives the same).
    y = np.array([1.0, 0.0, 1.0, 1.0])
    p = np.array([0.9, 0.1, 0.8, 0.3])
    got = impl.binary_cross_entropy_loss(backend.asarray(y, dtype), backend.asarray(p, dtype))
    assert_close(got, 0.40945934673894957, backend, what="loss", input_dtype=dtype, mistakes=mistakes_for(y, p))


def test_labels_may_be_integers(impl, backend):
    # The seed passes y_true = np.array([1, 0, 1, 1]), an integer array; the loss is the same 0.4094593.
    y = np.array([1, 0, 1, 1])
    p = np.array([0.9, 0.1, 0.8, 0.3])
    got = impl.binary_cross_entropy_loss(backend.asarray(y, "int64"), backend.asarray(p, "float64"))
    assert_close(got, 0.40945934673894957, backend, what="loss with integer labels", input_dtype="float64", mistakes=mistakes_for(y, p))


@pytest.mark.parametrize("dtype", DTYPES)
def test_loss_is_the_mean_over_every_element_of_a_matrix(impl, backend, dtype):
    rng = np.random.default_rng(0)
    y = (rng.random((3, 5)) < 0.4).astype(float)  # (3, 5) hard labels, more 0s than 1s
    p = rng.uniform(0.05, 0.95, size=(3, 5))  # (3, 5) probabilities
    check_probs(impl, backend, y, p, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_soft_labels_use_both_terms(impl, backend, dtype):
    # Labels such as 0.3 weight log p by 0.3 and log(1 - p) by 0.7: an if/where on y == 1 gets them wrong.
    y = np.array([0.3, 0.8, 0.5, 1.0, 0.0, 0.1])
    p = np.array([0.2, 0.6, 0.9, 0.7, 0.4, 0.05])
    check_probs(impl, backend, y, p, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_predictions_of_exactly_0_and_1_stay_finite(impl, backend, dtype):
    # By hand, eps = 1e-15: the right predictions (p = 1 for y = 1, p = 0 for y = 0) cost -log(1) = 0; the
    # wrong ones (p = 0 for y = 1, p = 1 for y = 0) cost -log(eps) = 34.5387764; p = 0.5 costs ln 2.
    # Mean = (0 + 0 + 2 * 34.5387764 + 0.6931472) / 5 = 13.9541400. In float32 1 - 1e-15 == 1, so
    # clip(p, eps, 1 - eps) leaves p = 1 and log(1 - p) = log(0): clip what goes into each log instead.
    # rtol 1e-4: clipping p at 1 - eps in float64 gives log(9.992e-16) for the last wrong term, also fine.
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    p = np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    expected = (2 * NEG_LOG_EPS + LN_2) / 5
    got = impl.binary_cross_entropy_loss(backend.asarray(y, dtype), backend.asarray(p, dtype))
    assert_close(got, expected, backend, what="loss with predictions of exactly 0 and 1", input_dtype=dtype, rtol=1e-4)


def test_eps_argument_is_used(impl, backend):
    # eps = 1e-3: each confidently wrong prediction costs -ln(0.001) = 6.9077553, and so does the mean.
    y = np.array([1.0, 0.0])
    p = np.array([0.0, 1.0])
    got = impl.binary_cross_entropy_loss(backend.asarray(y), backend.asarray(p), eps=1e-3)
    assert_close(got, -math.log(1e-3), backend, what="loss with eps=1e-3", input_dtype="float64", rtol=1e-6,
                 mistakes={"the eps argument is ignored (the default 1e-15 was used)": NEG_LOG_EPS})  # fmt: skip


def test_probability_inputs_are_not_modified(impl, backend):
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.5]])
    p = np.array([[1.0, 0.0, 0.3], [1.0, 0.0, 0.5]])  # values that a clip in place would change
    yt, pt = backend.asarray(y), backend.asarray(p)
    impl.binary_cross_entropy_loss(yt, pt)
    assert_unchanged(y, yt, backend, "y_true")
    assert_unchanged(p, pt, backend, "y_pred")


# -- from logits ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_logits_of_zero_cost_ln_2(impl, backend, dtype):
    # By hand: s(0) = 0.5, so every element costs -[y ln 0.5 + (1 - y) ln 0.5] = ln 2 = 0.6931472, whatever y is.
    y = np.array([1.0, 0.0, 0.5])
    got = impl.binary_cross_entropy_with_logits(backend.asarray(y, dtype), backend.asarray(np.zeros(3), dtype))
    assert_close(got, LN_2, backend, what="loss from logits", input_dtype=dtype,
                 mistakes={"the log1p(exp(-|z|)) term is missing": 0.0})  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
def test_logits_match_the_probability_form(impl, backend, dtype):
    rng = np.random.default_rng(1)
    z = rng.normal(scale=3.0, size=(4, 6))  # (4, 6) logits of both signs, some large
    y = (rng.random((4, 6)) < 0.5).astype(float)
    y[0] = [0.2, 0.9, 0.5, 0.0, 1.0, 0.7]  # one row of soft labels
    check_logits(impl, backend, y, z, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_logits_of_plus_minus_1000_stay_finite_and_exact(impl, backend, dtype):
    # By hand: a right logit (z = +1000 for y = 1, z = -1000 for y = 0) costs log(1 + e^-1000) = 0 (to
    # double precision); a wrong one costs |z| + log(1 + e^-1000) = 1000. Mean = (0 + 0 + 1000 + 1000) / 4 = 500.
    # exp(1000) overflows: forming sigmoid(z) or log(1 + exp(z)) first gives inf, or -log(eps) after a clip.
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = np.array([1000.0, -1000.0, -1000.0, 1000.0])
    got = impl.binary_cross_entropy_with_logits(backend.asarray(y, dtype), backend.asarray(z, dtype))
    assert_close(got, 500.0, backend, what="loss from logits of +-1000", input_dtype=dtype, mistakes=logit_mistakes_for(y, z))


@pytest.mark.parametrize("dtype", DTYPES)
def test_moderately_large_logits_are_exact(impl, backend, dtype):
    # z = +-40: s(40) rounds to 1 in float64, so 1 - s(z) = 0; the exact wrong-side cost is 40 + log1p(e^-40).
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    z = np.array([40.0, -40.0, -40.0, 40.0, 30.0])
    check_logits(impl, backend, y, z, dtype)


def test_logit_inputs_are_not_modified(impl, backend):
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = np.array([2.0, -3.0, -1.0, 0.5])
    yt, zt = backend.asarray(y), backend.asarray(z)
    impl.binary_cross_entropy_with_logits(yt, zt)
    assert_unchanged(y, yt, backend, "y_true")
    assert_unchanged(z, zt, backend, "logits")


# -- torch only -----------------------------------------------------------------------------------
@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_losses_keep_the_prediction_dtype(impl, backend, dtype):
    y, p = backend.asarray([1.0, 0.0, 1.0], dtype), backend.asarray([0.7, 0.2, 0.4], dtype)
    for what, got in (("loss", impl.binary_cross_entropy_loss(y, p)), ("loss from logits", impl.binary_cross_entropy_with_logits(y, p))):
        if not isinstance(got, (int, float)):  # a Python number is accepted; a tensor keeps the dtype
            as_result(got, backend, what, dtype=dtype, scalar=True)


@pytest.mark.backend("torch")
def test_matches_pytorch_builtins(impl, backend):
    import torch.nn.functional as F

    rng = np.random.default_rng(2)
    z = rng.normal(scale=2.0, size=(5, 7))
    y = rng.random((5, 7))  # soft labels in [0, 1)
    p = 1.0 / (1.0 + np.exp(-z))  # probabilities well inside (0, 1): the built-in's log clamp at -100 plays no part
    yt, zt, pt = backend.asarray(y), backend.asarray(z), backend.asarray(p)
    assert_close(impl.binary_cross_entropy_loss(yt, pt), F.binary_cross_entropy(pt, yt).item(), backend, what="loss")
    expected = F.binary_cross_entropy_with_logits(zt, yt).item()
    assert_close(impl.binary_cross_entropy_with_logits(yt, zt), expected, backend, what="loss from logits")
