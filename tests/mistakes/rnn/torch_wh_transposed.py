# mistake: Wh is applied transposed (h @ Wh.T instead of h @ Wh)
import torch


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    # as nn.RNN writes it: W_hh h, i.e. h @ W_hh.T
    return torch.tanh(x @ Wx + prev_h @ Wh.T + b)


def rnn_forward(x, h0, Wx, Wh, b):
    h, states = h0, []
    for x_t in x:
        h = rnn_step_forward(x_t, h, Wx, Wh, b)
        states.append(h)
    return torch.stack(states), h
