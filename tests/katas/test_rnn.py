"""Hidden suite: vanilla RNN forward pass (one suite, both backends).

Oracles: a hand-worked step; `loop_rnn`, an independent loop over time steps, samples and hidden units
in float64 (one dot product per unit); values stored from torch.nn.RNN; for the torch backend,
torch.nn.RNN / torch.nn.RNNCell with the weights copied in (weight_ih = Wx.T, weight_hh = Wh.T, two
biases that add up to b) and autograd through nn.RNN.
"""

import math

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]

NOT_CARRIED = "the hidden state is not carried: every step starts again from h0"
WH_TRANSPOSED = "Wh is applied transposed (h @ Wh.T instead of h @ Wh)"
SWAPPED = "Wx and Wh are swapped (x @ Wh + h @ Wx)"
NO_BIAS = "the bias b is missing"
FIRST_STATE = "h_last is the state after the first step, not the last"
BATCH_FIRST = "h_all is batch-first (N, T, H); this kata is time-major (T, N, H), as nn.RNN"


def loop_step(x, h, Wx, Wh, b):
    """Oracle: one sample and one hidden unit at a time: h'[n, k] = tanh(sum_d x[n, d] Wx[d, k] + sum_j h[n, j] Wh[j, k] + b[k])."""
    N, H = h.shape
    out = np.zeros((N, H))
    for n in range(N):
        for k in range(H):
            out[n, k] = math.tanh(float(np.dot(x[n], Wx[:, k]) + np.dot(h[n], Wh[:, k]) + b[k]))
    return out


def loop_rnn(x, h0, Wx, Wh, b, carry=True):
    """Oracle: the sequence one step at a time in float64; carry=False restarts every step from h0 (a mistake)."""
    x, h0, Wx, Wh, b = (np.asarray(a, np.float64) for a in (x, h0, Wx, Wh, b))
    h, states = h0, []
    for t in range(x.shape[0]):
        h = loop_step(x[t], h if carry else h0, Wx, Wh, b)
        states.append(h)
    return np.stack(states)


def step_mistakes(x, h, Wx, Wh, b):
    x, h, Wx, Wh, b = (np.asarray(a, np.float64) for a in (x, h, Wx, Wh, b))
    found = {WH_TRANSPOSED: loop_step(x, h, Wx, Wh.T, b), NO_BIAS: loop_step(x, h, Wx, Wh, 0 * b)}
    if Wx.shape == Wh.shape:  # D == H: the swapped product still runs
        found[SWAPPED] = loop_step(x, h, Wh, Wx, b)
    return found


def pair_of(got, what):
    """An attempt's (a, b) result: a tuple or list of exactly two."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        kind = type(got).__name__ if not isinstance(got, (tuple, list)) else f"a {type(got).__name__} of {len(got)}"
        raise ResultMismatch(f"{what} should return a pair (h_all, h_last); got {kind}")
    return got


def random_case(seed, T, N, D, H, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(T, N, D)) * scale
    h0 = rng.uniform(-0.9, 0.9, size=(N, H))
    Wx = rng.normal(size=(D, H)) / math.sqrt(D) * scale
    Wh = rng.normal(size=(H, H)) / math.sqrt(H)
    b = rng.normal(size=H) * 0.5
    return x, h0, Wx, Wh, b


def check_step(impl, backend, x, h, Wx, Wh, b, dtype="float64"):
    got = impl.rnn_step_forward(*(backend.asarray(a, dtype) for a in (x, h, Wx, Wh, b)))
    x, h, Wx, Wh, b = (a.astype(dtype) for a in (x, h, Wx, Wh, b))  # the oracle sees the inputs as rounded to dtype
    assert_close(got, loop_step(x, h, Wx, Wh, b), backend, what="h_next", input_dtype=dtype, mistakes=step_mistakes(x, h, Wx, Wh, b))


def check_forward(impl, backend, x, h0, Wx, Wh, b, dtype="float64"):
    got = pair_of(impl.rnn_forward(*(backend.asarray(a, dtype) for a in (x, h0, Wx, Wh, b))), "rnn_forward")
    x, h0, Wx, Wh, b = (a.astype(dtype) for a in (x, h0, Wx, Wh, b))
    expected = loop_rnn(x, h0, Wx, Wh, b)
    stale = loop_rnn(x, h0, Wx, Wh, b, carry=False)
    all_mistakes = {NOT_CARRIED: stale, BATCH_FIRST: expected.transpose(1, 0, 2)}
    assert_close(got[0], expected, backend, what="h_all", input_dtype=dtype, mistakes=all_mistakes)
    mistakes = {NOT_CARRIED: stale[-1]}
    if len(expected) > 1:
        mistakes[FIRST_STATE] = expected[0]
    assert_close(got[1], expected[-1], backend, what="h_last", input_dtype=dtype, mistakes=mistakes)
    return got


# -- rnn_step_forward ---------------------------------------------------------------------------
HAND_X = np.array([[1.0, -0.5, 0.25]])
HAND_H = np.array([[0.5, -1.0]])
HAND_WX = np.array([[0.2, -0.4], [0.6, 0.1], [-0.3, 0.5]])
HAND_WH = np.array([[0.7, -0.2], [0.3, 0.9]])
HAND_B = np.array([0.1, -0.3])


@pytest.mark.parametrize("dtype", DTYPES)
def test_step_matches_hand_worked_example(impl, backend, dtype):
    # x Wx = [0.2 - 0.3 - 0.075, -0.4 - 0.05 + 0.125] = [-0.175, -0.325]
    # h Wh = [0.35 - 0.3, -0.1 - 0.9]               = [0.05, -1.0]
    # + b  -> [-0.025, -1.625];  tanh -> [-0.0249947930, -0.9253462253]
    # With h @ Wh.T instead: h Wh^T = [0.35 + 0.2, 0.15 - 0.9] = [0.55, -0.75] -> tanh([0.475, -1.375]).
    got = impl.rnn_step_forward(*(backend.asarray(a, dtype) for a in (HAND_X, HAND_H, HAND_WX, HAND_WH, HAND_B)))
    mistake = {WH_TRANSPOSED: np.tanh([[0.475, -1.375]])}
    assert_close(got, [[-0.024994792968, -0.925346225312]], backend, what="h_next", input_dtype=dtype, mistakes=mistake)


@pytest.mark.parametrize("dtype", DTYPES)
def test_step_with_a_batch(impl, backend, dtype):
    # N = 4 samples, D = 3 inputs, H = 5 hidden units: every shape differs.
    x, h0, Wx, Wh, b = random_case(1, 1, 4, 3, 5)
    check_step(impl, backend, x[0], h0, Wx, Wh, b, dtype)


def test_step_with_input_size_equal_to_hidden_size(impl, backend):
    # D == H, so swapped or transposed weights still have the right shapes: only the values tell.
    x, h0, Wx, Wh, b = random_case(2, 1, 3, 4, 4)
    check_step(impl, backend, x[0], h0, Wx, Wh, b)


def test_step_with_large_pre_activations_saturates(impl, backend):
    # Pre-activations in the hundreds, in float32: tanh is +-1 there, while a hand-made
    # (e^z - e^-z) / (e^z + e^-z) overflows to inf / inf = NaN.
    x, h0, Wx, Wh, b = random_case(3, 1, 3, 4, 3, scale=10.0)
    check_step(impl, backend, x[0] * 3, h0, Wx, Wh, b, "float32")


# -- rnn_forward --------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_matches_values_from_nn_rnn(impl, backend, dtype):
    # Stored from torch.nn.RNN(3, 2, dtype=float64) with weight_ih = Wx.T, weight_hh = Wh.T,
    # bias_ih = b, bias_hh = 0 (torch 2.13). Step 0, sample 0 is the hand-worked step above.
    x = np.array([[[1.0, -0.5, 0.25], [0.0, 2.0, -1.0]], [[-1.5, 0.5, 1.0], [0.75, -0.25, 0.5]]])
    h0 = np.array([[0.5, -1.0], [0.0, 0.25]])
    expected = np.array(
        [
            [[-0.024994792968, -0.925346225312], [0.932209671682, -0.358357398351]],
            [[-0.458255024479, 0.022183715742], [0.458207092125, -0.708399413871]],
        ]
    )
    got = pair_of(impl.rnn_forward(*(backend.asarray(a, dtype) for a in (x, h0, HAND_WX, HAND_WH, HAND_B))), "rnn_forward")
    stale = loop_rnn(x, h0, HAND_WX, HAND_WH, HAND_B, carry=False)
    all_mistakes = {NOT_CARRIED: stale, BATCH_FIRST: expected.transpose(1, 0, 2)}
    assert_close(got[0], expected, backend, what="h_all", input_dtype=dtype, mistakes=all_mistakes)
    last_mistakes = {FIRST_STATE: expected[0], NOT_CARRIED: stale[-1]}
    assert_close(got[1], expected[-1], backend, what="h_last", input_dtype=dtype, mistakes=last_mistakes)


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_batch_and_longer_sequence(impl, backend, dtype):
    # T = 6, N = 3, D = 4, H = 5: the state must carry through six steps.
    check_forward(impl, backend, *random_case(4, 6, 3, 4, 5), dtype=dtype)


def test_forward_single_time_step(impl, backend):
    # T = 1: h_all is (1, N, H) and h_last equals its only step.
    check_forward(impl, backend, *random_case(5, 1, 2, 3, 4))


def test_matches_seed_shape_example(impl, backend):
    # The seed's shape test: 5 steps, batch 1, 10 inputs, 20 hidden units -> h_all (5, 1, 20), h_last (1, 20)
    # (nn.RNN's h_n carries an extra layer axis, (1, 1, 20); this kata returns the state itself).
    check_forward(impl, backend, *random_case(6, 5, 1, 10, 20))


def test_forward_starts_from_h0(impl, backend):
    # A strong initial state that the first steps must still show.
    x, h0, Wx, Wh, b = random_case(7, 3, 2, 3, 3)
    check_forward(impl, backend, x * 0.1, np.array([[0.95, -0.95, 0.5], [-0.8, 0.9, -0.99]]), Wx, Wh * 2, b)


def test_inputs_are_not_modified(impl, backend):
    arrays = random_case(8, 3, 2, 3, 4)
    inputs = [backend.asarray(a) for a in arrays]
    impl.rnn_forward(*inputs)
    impl.rnn_step_forward(inputs[0][0], *inputs[1:])
    for name, before, after in zip(("x", "h0", "Wx", "Wh", "b"), arrays, inputs):
        assert_unchanged(before, after, backend, name)


# -- torch: against the built-ins ---------------------------------------------------------------
def torch_rnn(arrays, cell=False):
    """nn.RNN (or nn.RNNCell) holding the kata's weights; b is split over PyTorch's two biases."""
    import torch

    x, h0, Wx, Wh, b = arrays
    D, H = Wx.shape
    module = torch.nn.RNNCell(D, H, dtype=torch.float64) if cell else torch.nn.RNN(D, H, dtype=torch.float64)
    params = dict(module.named_parameters())
    b_hh = np.linspace(-0.5, 0.5, H)  # any split of b into bias_ih + bias_hh gives the same result
    with torch.no_grad():
        for name, value in (("weight_ih", Wx.T), ("weight_hh", Wh.T), ("bias_ih", b - b_hh), ("bias_hh", b_hh)):
            params[name if cell else f"{name}_l0"].copy_(torch.from_numpy(np.ascontiguousarray(value)))
    return module


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_outputs_keep_input_dtype_and_device(impl, backend, dtype):
    import torch

    inputs = [backend.asarray(a, dtype) for a in random_case(9, 3, 2, 3, 4)]
    h_all, h_last = pair_of(impl.rnn_forward(*inputs), "rnn_forward")
    step = impl.rnn_step_forward(inputs[0][0], *inputs[1:])
    for what, got in (("h_all", h_all), ("h_last", h_last), ("h_next", step)):
        as_result(got, backend, what, dtype=dtype)
        assert got.device == inputs[0].device, f"{what} is on {got.device}; the inputs are on {inputs[0].device}"
    if torch.cuda.is_available():
        cuda = [a.cuda() for a in inputs]
        out = pair_of(impl.rnn_forward(*cuda), "rnn_forward")[0]
        assert out.device == cuda[0].device, f"h_all is on {out.device}; the inputs are on {cuda[0].device}"
        assert_close(out.cpu(), backend.to_numpy(h_all), backend, what="h_all on cuda", input_dtype=dtype)


@pytest.mark.backend("torch")
def test_forward_matches_nn_rnn(impl, backend):
    import torch

    arrays = random_case(10, 7, 4, 5, 6)
    module = torch_rnn(arrays)
    x, h0 = (torch.from_numpy(a) for a in arrays[:2])
    with torch.no_grad():
        out, hn = module(x, h0[None])
    got = pair_of(impl.rnn_forward(*(backend.asarray(a) for a in arrays)), "rnn_forward")
    assert_close(got[0], out.numpy(), backend, what="h_all")
    assert_close(got[1], hn[0].numpy(), backend, what="h_last")


@pytest.mark.backend("torch")
def test_step_matches_nn_rnn_cell(impl, backend):
    import torch

    arrays = random_case(11, 1, 5, 3, 4)
    module = torch_rnn(arrays, cell=True)
    with torch.no_grad():
        expected = module(torch.from_numpy(arrays[0][0]), torch.from_numpy(arrays[1]))
    got = impl.rnn_step_forward(backend.asarray(arrays[0][0]), *(backend.asarray(a) for a in arrays[1:]))
    assert_close(got, expected.numpy(), backend, what="h_next", mistakes=step_mistakes(arrays[0][0], *arrays[1:]))


@pytest.mark.backend("torch")
def test_gradients_match_autograd_through_nn_rnn(impl, backend):
    import torch

    arrays = random_case(12, 4, 3, 2, 3)
    upstream = torch.from_numpy(np.random.default_rng(13).normal(size=(4, 3, 3)))
    last_upstream = torch.from_numpy(np.random.default_rng(14).normal(size=(3, 3)))

    leaves = [torch.tensor(a, requires_grad=True) for a in arrays]
    h_all, h_last = pair_of(impl.rnn_forward(*leaves), "rnn_forward")
    if not isinstance(h_all, torch.Tensor) or not h_all.requires_grad:
        raise AssertionError("h_all does not require grad: gradients do not flow back (no .detach(), .numpy() or in-place tricks)")
    ((h_all * upstream).sum() + (h_last * last_upstream).sum()).backward()

    # The same loss through nn.RNN: its parameters are the transposes, so their gradients are too.
    module = torch_rnn(arrays)
    x, h0 = (torch.tensor(a, requires_grad=True) for a in arrays[:2])
    out, hn = module(x, h0[None])
    ((out * upstream).sum() + (hn[0] * last_upstream).sum()).backward()
    gold = {
        "x": x.grad,
        "h0": h0.grad,
        "Wx": module.weight_ih_l0.grad.T,
        "Wh": module.weight_hh_l0.grad.T,
        "b": module.bias_ih_l0.grad,
    }
    for (name, expected), leaf in zip(gold.items(), leaves):
        assert leaf.grad is not None, f"no gradient reached {name}"
        assert_close(leaf.grad, expected.numpy(), backend, what=f"gradient of {name}")
