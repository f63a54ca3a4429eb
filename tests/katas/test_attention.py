"""Hidden suite: scaled dot-product attention (one suite, both backends).

Oracles: a hand-worked example; `loop_attention`, an independent per-query loop in float64 with
log-sum-exp; for the torch backend, torch.nn.functional.scaled_dot_product_attention and its autograd.
"""

import math

import numpy as np
import pytest

from mlkata.testing import as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]


def loop_attention(Q, K, V, mask=None, scale=True, axis=-1):
    """Oracle: one query row at a time, in float64; axis=-2 or scale=False give the classic mistakes."""
    Q, K, V = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    lead = np.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    Lq, Lk = Q.shape[-2], K.shape[-2]
    Q, K, V = (np.broadcast_to(a, lead + a.shape[-2:]) for a in (Q, K, V))
    allowed = np.ones(lead + (Lq, Lk), bool) if mask is None else np.broadcast_to(mask, lead + (Lq, Lk))
    out = np.zeros(lead + (Lq, V.shape[-1]))
    for b in np.ndindex(*lead):
        scores = np.array([[float(np.dot(Q[b][i], K[b][j])) for j in range(Lk)] for i in range(Lq)])
        if scale:
            scores /= math.sqrt(Q.shape[-1])
        scores = np.where(allowed[b], scores, -np.inf)
        if axis == -2:  # softmax down the columns: the wrong-axis mistake
            scores = scores.T
        weights = np.zeros_like(scores)
        for i, row in enumerate(scores):
            if np.isfinite(row).any():
                top = row[np.isfinite(row)].max()
                weights[i] = np.exp(row - top) / np.exp(row - top).sum()
        if axis == -2:
            weights = weights.T
        out[b] = weights @ V[b]
    return out


def mistakes_for(Q, K, V, mask=None):
    return {
        "the scores are not divided by sqrt(d_k)": loop_attention(Q, K, V, mask, scale=False),
        "the softmax runs over the queries (axis -2) instead of the keys (axis -1)": loop_attention(Q, K, V, mask, axis=-2),
    }


def check(impl, backend, Q, K, V, mask=None, dtype="float64"):
    args = [backend.asarray(a, dtype) for a in (Q, K, V)]
    m = None if mask is None else backend.asarray(mask, "bool")
    got = impl.scaled_dot_product_attention(*args, mask=m)
    Q, K, V = (a.astype(dtype) for a in (Q, K, V))  # the oracle sees the inputs as rounded to dtype
    expected = loop_attention(Q, K, V, mask)
    assert_close(got, expected, backend, what="attention output", input_dtype=dtype, mistakes=mistakes_for(Q, K, V, mask))
    return got


def random_case(seed, shape_q, shape_k, d_v, scale=1.0):
    rng = np.random.default_rng(seed)
    Q = rng.normal(size=shape_q) * scale
    K = rng.normal(size=shape_k) * scale
    V = rng.normal(size=shape_k[:-1] + (d_v,))
    return Q, K, V


@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_example(impl, backend, dtype):
    # The seed document expects [[0.1192, 0.8808], [0.8808, 0.1192]], which is softmax without the
    # 1/sqrt(d_k) scale. By hand: scores = [[1, 2], [2, 1]] / sqrt(2), so row 0 weights are
    # softmax([0.7071, 1.4142]) = [0.3302, 0.6698], and with V = I the output is the weights.
    Q = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    K = np.array([[[1.0, 2.0], [2.0, 1.0]]])
    V = np.eye(2)[None]
    expected = np.array([[[0.33023845, 0.66976155], [0.66976155, 0.33023845]]])
    got = impl.scaled_dot_product_attention(*(backend.asarray(a, dtype) for a in (Q, K, V)))
    assert_close(got, expected, backend, what="attention output", input_dtype=dtype, mistakes={"the scores are not divided by sqrt(d_k)": [[[0.26894142, 0.73105858], [0.73105858, 0.26894142]]]})


def test_two_dimensional_inputs_without_batch(impl, backend):
    Q, K, V = random_case(1, (3, 4), (3, 4), 4)
    check(impl, backend, Q, K, V)


@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_and_head_dimensions(impl, backend, dtype):
    Q, K, V = random_case(2, (2, 3, 5, 8), (2, 3, 5, 8), 8)
    check(impl, backend, Q, K, V, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_more_keys_than_queries_and_value_size_differs(impl, backend, dtype):
    # Lq = 3, Lk = 7, d_k = 5, d_v = 2: an attempt that mixes up the axes cannot get the shapes right.
    Q, K, V = random_case(3, (2, 3, 5), (2, 7, 5), 2)
    check(impl, backend, Q, K, V, dtype=dtype)


def test_softmax_runs_over_the_keys(impl, backend):
    # Asymmetric scores, Lq == Lk, so a softmax over the wrong axis still has the right shape.
    Q = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    K = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
    V = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    check(impl, backend, Q, K, V)


def test_scores_are_scaled_by_sqrt_of_key_size(impl, backend):
    Q, K, V = random_case(4, (4, 16), (6, 16), 3, scale=1.5)
    check(impl, backend, Q, K, V)


@pytest.mark.parametrize("dtype", DTYPES)
def test_causal_mask(impl, backend, dtype):
    Q, K, V = random_case(5, (2, 4, 3), (2, 4, 3), 3)
    mask = np.tril(np.ones((4, 4), bool))  # query i may attend to keys 0..i
    check(impl, backend, Q, K, V, mask, dtype=dtype)


def test_padding_mask_broadcasts_over_queries_and_heads(impl, backend):
    Q, K, V = random_case(6, (2, 2, 3, 4), (2, 2, 5, 4), 4)
    mask = np.ones((2, 1, 1, 5), bool)
    mask[0, ..., 3:] = False  # the first sequence has two padding keys
    mask[1, ..., 4:] = False
    check(impl, backend, Q, K, V, mask)


def test_fully_masked_query_row_gives_zeros(impl, backend):
    Q, K, V = random_case(7, (3, 2), (4, 2), 3)
    mask = np.ones((3, 4), bool)
    mask[1] = False  # query 1 may attend to nothing: its output is zeros (as PyTorch's built-in)
    check(impl, backend, Q, K, V, mask)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rows_with_huge_scores_stay_finite(impl, backend, dtype):
    # Scores of magnitude ~1e4: exp overflows unless each row's maximum is subtracted first.
    Q, K, V = random_case(8, (2, 3, 4), (2, 5, 4), 3, scale=100.0)
    got = check(impl, backend, Q, K, V, dtype=dtype)
    assert np.isfinite(backend.to_numpy(got)).all()


def test_inputs_are_not_modified(impl, backend):
    Q, K, V = random_case(9, (2, 3, 4), (2, 3, 4), 4)
    mask = np.tril(np.ones((3, 3), bool))
    inputs = [backend.asarray(a) for a in (Q, K, V)] + [backend.asarray(mask, "bool")]
    impl.scaled_dot_product_attention(*inputs[:3], mask=inputs[3])
    for name, before, after in zip("QKV", (Q, K, V), inputs):
        assert_unchanged(before, after, backend, name)
    assert_unchanged(mask, inputs[3], backend, "mask")


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_output_keeps_input_dtype_and_device(impl, backend, dtype):
    import torch

    Q, K, V = random_case(10, (2, 3, 4), (2, 5, 4), 6)
    args = [backend.asarray(a, dtype) for a in (Q, K, V)]
    got = impl.scaled_dot_product_attention(*args)
    as_result(got, backend, "attention output", dtype=dtype)
    assert got.device == args[0].device, f"output is on {got.device}; the inputs are on {args[0].device}"
    if torch.cuda.is_available():
        cuda = [a.cuda() for a in args]
        out = impl.scaled_dot_product_attention(*cuda)
        assert out.device == cuda[0].device, f"output is on {out.device}; the inputs are on {cuda[0].device}"


@pytest.mark.backend("torch")
def test_matches_pytorch_builtin(impl, backend):
    import torch.nn.functional as F

    Q, K, V = random_case(11, (2, 4, 6, 8), (2, 4, 9, 8), 5)
    mask = np.random.default_rng(0).random((6, 9)) > 0.3
    mask[:, 0] = True  # every query may attend to something
    args = [backend.asarray(a) for a in (Q, K, V)]
    m = backend.asarray(mask, "bool")
    expected = F.scaled_dot_product_attention(*args, attn_mask=m)
    assert_close(impl.scaled_dot_product_attention(*args, mask=m), backend.to_numpy(expected), backend, what="attention output")


@pytest.mark.backend("torch")
def test_gradients_match_autograd_through_builtin(impl, backend):
    import torch
    import torch.nn.functional as F

    Q, K, V = random_case(12, (2, 3, 4), (2, 5, 4), 3)
    mask = np.ones((3, 5), bool)
    mask[0, 2:] = False
    upstream = torch.from_numpy(np.random.default_rng(1).normal(size=(2, 3, 3)))

    def grads(fn, **kw):
        leaves = [torch.tensor(a, requires_grad=True) for a in (Q, K, V)]
        out = fn(*leaves, **kw)
        if not isinstance(out, torch.Tensor) or not out.requires_grad:
            raise AssertionError("the output does not require grad: gradients do not flow back to Q, K, V (no .detach(), .numpy() or in-place tricks)")
        (out * upstream).sum().backward()
        return [leaf.grad for leaf in leaves]

    mine = grads(impl.scaled_dot_product_attention, mask=torch.from_numpy(mask))
    gold = grads(F.scaled_dot_product_attention, attn_mask=torch.from_numpy(mask))
    for name, g, e in zip("QKV", mine, gold):
        assert g is not None, f"no gradient reached {name}"
        assert_close(g, e.numpy(), backend, what=f"gradient of {name}")
