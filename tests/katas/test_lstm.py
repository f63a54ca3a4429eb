"""Hidden suite: LSTM forward pass (one suite, both backends).

Oracles: a hand-worked cell step; `loop_cell`, an independent loop over samples and hidden units in
float64 with scalar math (one dot product per gate and unit); values stored from torch.nn.LSTM; for the
torch backend, torch.nn.LSTM / torch.nn.LSTMCell with the weights copied in (weight_ih = W[:D].T,
weight_hh = W[D:].T, two biases that add up to b) and autograd through nn.LSTM.
"""

import math

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]

IFOG = "the gate blocks are read as i, f, o, g; PyTorch's order is i, f, g, o"
H_FIRST = "W is applied to [h_prev, x]; the convention is [x, h_prev] (x first)"
NO_TANH = "h = o * c: the tanh of the new cell state is missing"
C_NOT_CARRIED = "the cell state is not carried: every step starts again from c0"
H_NOT_CARRIED = "the hidden state is not carried: every step starts again from h0"
BATCH_FIRST = "h_all is batch-first (N, T, H); this kata is time-major (T, N, H), as nn.LSTM"


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def loop_cell(x, h, c, W, b, order="ifgo", h_first=False, tanh_c=True):
    """Oracle: one sample and one hidden unit at a time in float64; the options give known mistakes."""
    x, h, c, W, b = (np.asarray(a, np.float64) for a in (x, h, c, W, b))
    N, H = h.shape
    h_new, c_new = np.zeros((N, H)), np.zeros((N, H))
    for n in range(N):
        v = np.concatenate([h[n], x[n]]) if h_first else np.concatenate([x[n], h[n]])  # the vector W multiplies
        for k in range(H):
            z = {gate: float(np.dot(v, W[:, block * H + k]) + b[block * H + k]) for block, gate in enumerate(order)}
            i, f, g, o = sigmoid(z["i"]), sigmoid(z["f"]), math.tanh(z["g"]), sigmoid(z["o"])
            c_new[n, k] = f * c[n, k] + i * g
            h_new[n, k] = o * (math.tanh(c_new[n, k]) if tanh_c else c_new[n, k])
    return h_new, c_new


def loop_lstm(x, h0, c0, W, b, carry_h=True, carry_c=True, **mistake):
    """Oracle: the sequence one step at a time; carry_h / carry_c=False restart a state every step (mistakes)."""
    h, c, states, cells = h0, c0, [], []
    for t in range(len(x)):
        h, c = loop_cell(x[t], h if carry_h else h0, c if carry_c else c0, W, b, **mistake)
        states.append(h)
        cells.append(c)
    return np.stack(states), np.stack(cells)


def cell_mistakes(x, h, c, W, b):
    return {
        IFOG: loop_cell(x, h, c, W, b, order="ifog"),
        H_FIRST: loop_cell(x, h, c, W, b, h_first=True),
        NO_TANH: loop_cell(x, h, c, W, b, tanh_c=False),
    }


def pair_of(got, what, names):
    """An attempt's (a, b) result: a tuple or list of exactly two."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        kind = type(got).__name__ if not isinstance(got, (tuple, list)) else f"a {type(got).__name__} of {len(got)}"
        raise ResultMismatch(f"{what} should return a pair {names}; got {kind}")
    return got


def forward_result(got):
    h_all, last = pair_of(got, "lstm_forward", "(h_all, (h_last, c_last))")
    h_last, c_last = pair_of(last, "lstm_forward's second item", "(h_last, c_last)")
    return h_all, h_last, c_last


def random_case(seed, T, N, D, H, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(T, N, D)) * scale
    h0 = rng.uniform(-0.9, 0.9, size=(N, H))
    c0 = rng.normal(size=(N, H))
    W = rng.normal(size=(D + H, 4 * H)) / math.sqrt(D + H) * scale
    b = rng.normal(size=4 * H) * 0.5
    return x, h0, c0, W, b


def check_cell(impl, backend, x, h, c, W, b, dtype="float64"):
    got = pair_of(impl.lstm_cell_forward(*(backend.asarray(a, dtype) for a in (x, h, c, W, b))), "lstm_cell_forward", "(h, c)")
    x, h, c, W, b = (a.astype(dtype) for a in (x, h, c, W, b))  # the oracle sees the inputs as rounded to dtype
    h_new, c_new = loop_cell(x, h, c, W, b)
    mistakes = cell_mistakes(x, h, c, W, b)
    assert_close(got[1], c_new, backend, what="c", input_dtype=dtype, mistakes={k: v[1] for k, v in mistakes.items()})
    assert_close(got[0], h_new, backend, what="h", input_dtype=dtype, mistakes={k: v[0] for k, v in mistakes.items()})


def check_forward(impl, backend, x, h0, c0, W, b, dtype="float64"):
    h_all, h_last, c_last = forward_result(impl.lstm_forward(*(backend.asarray(a, dtype) for a in (x, h0, c0, W, b))))
    x, h0, c0, W, b = (a.astype(dtype) for a in (x, h0, c0, W, b))
    states, cells = loop_lstm(x, h0, c0, W, b)
    wrong = {
        C_NOT_CARRIED: loop_lstm(x, h0, c0, W, b, carry_c=False),
        H_NOT_CARRIED: loop_lstm(x, h0, c0, W, b, carry_h=False),
        IFOG: loop_lstm(x, h0, c0, W, b, order="ifog"),
        H_FIRST: loop_lstm(x, h0, c0, W, b, h_first=True),
    }
    h_mistakes = {**{k: v[0] for k, v in wrong.items()}, BATCH_FIRST: states.transpose(1, 0, 2)}
    assert_close(h_all, states, backend, what="h_all", input_dtype=dtype, mistakes=h_mistakes)
    assert_close(h_last, states[-1], backend, what="h_last", input_dtype=dtype, mistakes={k: v[0][-1] for k, v in wrong.items()})
    assert_close(c_last, cells[-1], backend, what="c_last", input_dtype=dtype, mistakes={k: v[1][-1] for k, v in wrong.items()})


# -- lstm_cell_forward --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_cell_matches_hand_worked_example(impl, backend, dtype):
    # D = H = 1: x = 2, h_prev = -1, c_prev = 0.5, W = [[0.5, 1, 0, 0], [1, 0, -1, 1]], b = 0
    # z = 2 * W[0] - 1 * W[1] = [0, 2, 1, -1]      (blocks i, f, g, o)
    # i = sigmoid(0) = 0.5, f = sigmoid(2) = 0.8807970780, g = tanh(1) = 0.7615941560, o = sigmoid(-1) = 0.2689414214
    # c = 0.8807970780 * 0.5 + 0.5 * 0.7615941560 = 0.8211956170
    # h = 0.2689414214 * tanh(0.8211956170) = 0.2689414214 * 0.6757201009 = 0.1817291244
    # Read as i, f, o, g: o = sigmoid(1), g = tanh(-1): c = 0.4403985390 - 0.3807970780 = 0.0596014610,
    # h = 0.7310585786 * tanh(0.0596014610) = 0.0435206383.
    x, h, c = np.array([[2.0]]), np.array([[-1.0]]), np.array([[0.5]])
    W, b = np.array([[0.5, 1.0, 0.0, 0.0], [1.0, 0.0, -1.0, 1.0]]), np.zeros(4)
    got = pair_of(impl.lstm_cell_forward(*(backend.asarray(a, dtype) for a in (x, h, c, W, b))), "lstm_cell_forward", "(h, c)")
    mistakes = cell_mistakes(x, h, c, W, b)
    assert_close(got[1], [[0.8211956169668235]], backend, what="c", input_dtype=dtype, mistakes={k: v[1] for k, v in mistakes.items()})
    assert_close(got[0], [[0.18172912438748334]], backend, what="h", input_dtype=dtype, mistakes={k: v[0] for k, v in mistakes.items()})


@pytest.mark.parametrize("dtype", DTYPES)
def test_cell_with_a_batch(impl, backend, dtype):
    # N = 3, D = 4, H = 5. The seed's cell computes its gates as (H, N) columns and multiplies them with
    # c_prev (N, H): an outer product for N = 1 and a broadcasting error for N > 1.
    x, h0, c0, W, b = random_case(1, 1, 3, 4, 5)
    check_cell(impl, backend, x[0], h0, c0, W, b, dtype)


def test_cell_with_batch_of_one(impl, backend):
    # N = 1: c must come back as (1, H), not the (H, H) outer product of the seed's cell.
    x, h0, c0, W, b = random_case(2, 1, 1, 3, 4)
    check_cell(impl, backend, x[0], h0, c0, W, b)


def test_cell_with_saturated_gates(impl, backend):
    # Pre-activations of size ~40: the gates are 0 or 1 and nothing may overflow into NaN (float32 too).
    x, h0, c0, W, b = random_case(3, 1, 4, 3, 3, scale=8.0)
    check_cell(impl, backend, x[0], h0, c0, W, b, "float32")


# -- lstm_forward -------------------------------------------------------------------------------
STORED_X = np.array([[[1.0, -0.5], [0.0, 2.0]], [[-1.5, 0.5], [0.75, -0.25]]])
STORED_H0 = np.array([[0.5, -1.0], [0.0, 0.25]])
STORED_C0 = np.array([[1.0, -0.5], [0.25, 2.0]])
STORED_W = np.array(
    [
        [0.2, -0.4, 0.6, 0.1, -0.3, 0.5, 0.7, -0.2],
        [0.3, 0.9, -0.6, 0.4, 0.8, -0.1, 0.2, 0.5],
        [-0.5, 0.1, 0.3, -0.7, 0.6, 0.2, -0.4, 0.9],
        [0.4, -0.8, 0.1, 0.5, -0.2, 0.7, 0.3, -0.6],
    ]
)
STORED_B = np.array([0.1, -0.2, 0.3, 0.0, -0.1, 0.2, 0.0, 0.4])


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_matches_values_from_nn_lstm(impl, backend, dtype):
    # Stored from torch.nn.LSTM(2, 2, dtype=float64) with weight_ih = W[:2].T, weight_hh = W[2:].T,
    # bias_ih = b, bias_hh = 0 (torch 2.13): T = 2, N = 2, D = 2, H = 2.
    h_expected = np.array(
        [
            [[0.306174461653, -0.052850485486], [0.369312593077, 0.712938141637]],
            [[0.122747731804, -0.298865536119], [0.171656945417, 0.385743125373]],
        ]
    )
    c_expected = np.array([[0.532411239517, -0.404592871776], [0.278562498374, 0.99675667988]])
    arrays = (STORED_X, STORED_H0, STORED_C0, STORED_W, STORED_B)
    h_all, h_last, c_last = forward_result(impl.lstm_forward(*(backend.asarray(a, dtype) for a in arrays)))
    stale_c = loop_lstm(*arrays, carry_c=False)
    h_mistakes = {C_NOT_CARRIED: stale_c[0], BATCH_FIRST: h_expected.transpose(1, 0, 2)}
    assert_close(h_all, h_expected, backend, what="h_all", input_dtype=dtype, mistakes=h_mistakes)
    assert_close(h_last, h_expected[-1], backend, what="h_last", input_dtype=dtype, mistakes={C_NOT_CARRIED: stale_c[0][-1]})
    assert_close(c_last, c_expected, backend, what="c_last", input_dtype=dtype, mistakes={C_NOT_CARRIED: stale_c[1][-1]})


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_batch_and_longer_sequence(impl, backend, dtype):
    # T = 5, N = 3, D = 4, H = 3: both states must carry through five steps.
    check_forward(impl, backend, *random_case(4, 5, 3, 4, 3), dtype=dtype)


def test_forward_single_time_step(impl, backend):
    # T = 1: h_all is (1, N, H) and h_last equals its only step.
    check_forward(impl, backend, *random_case(5, 1, 2, 3, 2))


def test_matches_seed_shape_example(impl, backend):
    # The seed's shape test: 5 steps, batch 1, 10 inputs, 20 hidden units -> h_all (5, 1, 20),
    # h_last (1, 20), c_last (1, 20) (nn.LSTM's h_n and c_n carry an extra layer axis: (1, 1, 20)).
    check_forward(impl, backend, *random_case(6, 5, 1, 10, 20))


def test_inputs_are_not_modified(impl, backend):
    arrays = random_case(7, 3, 2, 3, 4)
    inputs = [backend.asarray(a) for a in arrays]
    impl.lstm_forward(*inputs)
    impl.lstm_cell_forward(inputs[0][0], *inputs[1:])
    for name, before, after in zip(("x", "h0", "c0", "W", "b"), arrays, inputs):
        assert_unchanged(before, after, backend, name)


# -- torch: against the built-ins ---------------------------------------------------------------
def torch_lstm(W, b, D, cell=False):
    """nn.LSTM (or nn.LSTMCell) holding the kata's weights; b is split over PyTorch's two biases."""
    import torch

    H = W.shape[1] // 4
    module = torch.nn.LSTMCell(D, H, dtype=torch.float64) if cell else torch.nn.LSTM(D, H, dtype=torch.float64)
    params = dict(module.named_parameters())
    b_hh = np.linspace(-0.5, 0.5, 4 * H)  # any split of b into bias_ih + bias_hh gives the same result
    with torch.no_grad():
        for name, value in (("weight_ih", W[:D].T), ("weight_hh", W[D:].T), ("bias_ih", b - b_hh), ("bias_hh", b_hh)):
            params[name if cell else f"{name}_l0"].copy_(torch.from_numpy(np.ascontiguousarray(value)))
    return module


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_outputs_keep_input_dtype_and_device(impl, backend, dtype):
    import torch

    inputs = [backend.asarray(a, dtype) for a in random_case(8, 3, 2, 3, 4)]
    h_all, h_last, c_last = forward_result(impl.lstm_forward(*inputs))
    h, c = pair_of(impl.lstm_cell_forward(inputs[0][0], *inputs[1:]), "lstm_cell_forward", "(h, c)")
    for what, got in (("h_all", h_all), ("h_last", h_last), ("c_last", c_last), ("h", h), ("c", c)):
        as_result(got, backend, what, dtype=dtype)
        assert got.device == inputs[0].device, f"{what} is on {got.device}; the inputs are on {inputs[0].device}"
    if torch.cuda.is_available():
        cuda = [a.cuda() for a in inputs]
        out = forward_result(impl.lstm_forward(*cuda))
        for what, got, cpu in zip(("h_all", "h_last", "c_last"), out, (h_all, h_last, c_last)):
            assert got.device == cuda[0].device, f"{what} is on {got.device}; the inputs are on {cuda[0].device}"
            assert_close(got.cpu(), backend.to_numpy(cpu), backend, what=f"{what} on cuda", input_dtype=dtype)


@pytest.mark.backend("torch")
def test_forward_matches_nn_lstm(impl, backend):
    import torch

    x, h0, c0, W, b = random_case(9, 6, 4, 5, 3)
    module = torch_lstm(W, b, D=5)
    with torch.no_grad():
        out, (hn, cn) = module(torch.from_numpy(x), (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None]))
    h_all, h_last, c_last = forward_result(impl.lstm_forward(*(backend.asarray(a) for a in (x, h0, c0, W, b))))
    assert_close(h_all, out.numpy(), backend, what="h_all")
    assert_close(h_last, hn[0].numpy(), backend, what="h_last")
    assert_close(c_last, cn[0].numpy(), backend, what="c_last")


@pytest.mark.backend("torch")
def test_cell_matches_nn_lstm_cell(impl, backend):
    import torch

    x, h0, c0, W, b = random_case(10, 1, 5, 3, 4)
    module = torch_lstm(W, b, D=3, cell=True)
    with torch.no_grad():
        h_expected, c_expected = module(torch.from_numpy(x[0]), (torch.from_numpy(h0), torch.from_numpy(c0)))
    got = pair_of(impl.lstm_cell_forward(*(backend.asarray(a) for a in (x[0], h0, c0, W, b))), "lstm_cell_forward", "(h, c)")
    mistakes = cell_mistakes(x[0], h0, c0, W, b)
    assert_close(got[1], c_expected.numpy(), backend, what="c", mistakes={k: v[1] for k, v in mistakes.items()})
    assert_close(got[0], h_expected.numpy(), backend, what="h", mistakes={k: v[0] for k, v in mistakes.items()})


@pytest.mark.backend("torch")
def test_gradients_match_autograd_through_nn_lstm(impl, backend):
    import torch

    arrays = random_case(11, 4, 3, 2, 3)
    D = 2
    rng = np.random.default_rng(12)
    up_all, up_h, up_c = (torch.from_numpy(rng.normal(size=s)) for s in ((4, 3, 3), (3, 3), (3, 3)))

    leaves = [torch.tensor(a, requires_grad=True) for a in arrays]
    h_all, h_last, c_last = forward_result(impl.lstm_forward(*leaves))
    if not isinstance(h_all, torch.Tensor) or not h_all.requires_grad:
        raise AssertionError("h_all does not require grad: gradients do not flow back (no .detach(), .numpy() or in-place tricks)")
    ((h_all * up_all).sum() + (h_last * up_h).sum() + (c_last * up_c).sum()).backward()

    # The same loss through nn.LSTM: its weights are transposed blocks of W, so their gradients are too.
    module = torch_lstm(arrays[3], arrays[4], D=D)
    x, h0, c0 = (torch.tensor(a, requires_grad=True) for a in arrays[:3])
    out, (hn, cn) = module(x, (h0[None], c0[None]))
    ((out * up_all).sum() + (hn[0] * up_h).sum() + (cn[0] * up_c).sum()).backward()
    gold = {
        "x": x.grad,
        "h0": h0.grad,
        "c0": c0.grad,
        "W": torch.cat([module.weight_ih_l0.grad.T, module.weight_hh_l0.grad.T]),
        "b": module.bias_ih_l0.grad,
    }
    for (name, expected), leaf in zip(gold.items(), leaves):
        assert leaf.grad is not None, f"no gradient reached {name}"
        assert_close(leaf.grad, expected.numpy(), backend, what=f"gradient of {name}")
