# mistake: the hidden state is not carried: every step starts again from h0
import torch


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    return torch.tanh(x @ Wx + prev_h @ Wh + b)


def rnn_forward(x, h0, Wx, Wh, b):
    h_all = torch.stack([rnn_step_forward(x_t, h0, Wx, Wh, b) for x_t in x])  # each step from h0
    return h_all, h_all[-1]
