"""Vanilla (Elman) RNN forward pass (PyTorch).

    h_t = tanh(x_t Wx + h_{t-1} Wh + b)

rnn_step_forward(x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H,)) -> h_next (N, H): one time step.
rnn_forward(x (T, N, D), h0 (N, H), Wx, Wh, b) -> (h_all (T, N, H), h_last (N, H)): the whole sequence,
    time first; h_all[t] is the state after step t, h_last the state after the final step.
Rows are samples: the weights multiply from the right (x @ Wx), unlike nn.RNN, which stores
weight_ih = Wx.T and weight_hh = Wh.T and two biases that add up to b.
Results keep the input's dtype and device; the inputs are left unchanged; gradients flow back.
Write it with tensor operations: nn.RNN, nn.RNNCell and torch.rnn_tanh(_cell) are not allowed.
"""

import torch


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    raise NotImplementedError


def rnn_forward(x, h0, Wx, Wh, b):
    raise NotImplementedError
