# mistake: h_last is the state after the first step, not the last
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + prev_h @ Wh + b)


def rnn_forward(x, h0, Wx, Wh, b):
    h, states = h0, []
    for x_t in x:
        h = rnn_step_forward(x_t, h, Wx, Wh, b)
        states.append(h)
    h_all = np.stack(states)
    return h_all, h_all[0]
