"""Vanilla (Elman) RNN forward pass, NumPy reference.

    h_t = tanh(x_t Wx + h_{t-1} Wh + b)

Inputs: rnn_step_forward takes x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H,) and returns h_next
(N, H); rnn_forward takes x (T, N, D), h0 (N, H) and the same weights, and returns h_all (T, N, H), the
state after every step, and h_last (N, H), the state after the final step. In the input's dtype.
Conventions: rows are samples, the weights multiply from the right (nn.RNN stores their transposes,
weight_ih = Wx.T, weight_hh = Wh.T, and two biases whose sum is b); tanh nonlinearity; time-major.
Vectorised over the batch; the loop over time is inherent (each step needs the previous state).
"""

import numpy as np

# Legend: T = time steps, N = batch, D = input size, H = hidden size


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    pre = x @ Wx + prev_h @ Wh + b  # (N, H) input and previous state mixed, plus the bias
    return np.tanh(pre)  # (N, H) squashed into (-1, 1)


def rnn_forward(x, h0, Wx, Wh, b):
    h = h0  # (N, H) the state before the first step
    states = []  # will hold T states of (N, H)
    for x_t in x:  # x_t: (N, D), the inputs at step t, in time order
        h = rnn_step_forward(x_t, h, Wx, Wh, b)  # (N, H) the new state feeds the next step
        states.append(h)  # keep every step's state
    h_all = np.stack(states)  # (T, N, H) time-major, as nn.RNN's output
    return h_all, h_all[-1]  # (T, N, H), (N, H) the state after the final step
