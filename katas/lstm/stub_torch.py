"""LSTM forward pass (PyTorch).

    z = [x, h_prev] W + b, split into four blocks of H columns: z_i, z_f, z_g, z_o
    i = sigmoid(z_i), f = sigmoid(z_f), g = tanh(z_g), o = sigmoid(z_o)
    c = f * c_prev + i * g
    h = o * tanh(c)

lstm_cell_forward(x (N, D), h_prev (N, H), c_prev (N, H), W (D + H, 4H), b (4H,)) -> (h (N, H), c (N, H))
lstm_forward(x (T, N, D), h0 (N, H), c0 (N, H), W, b) -> (h_all (T, N, H), (h_last (N, H), c_last (N, H)))
W multiplies the concatenation [x, h_prev] (x first) from the right; the gate blocks are in PyTorch's
order i, f, g, o. (nn.LSTM stores weight_ih = W[:D].T, weight_hh = W[D:].T and two biases that add up to b.)
Results keep the input's dtype and device; the inputs are left unchanged; gradients flow back.
Write it with tensor operations: nn.LSTM, nn.LSTMCell and torch.lstm(_cell) are not allowed.
"""

import torch


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    raise NotImplementedError


def lstm_forward(x, h0, c0, W, b):
    raise NotImplementedError
