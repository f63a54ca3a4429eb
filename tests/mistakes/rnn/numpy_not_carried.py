# mistake: the hidden state is not carried: every step starts again from h0
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + prev_h @ Wh + b)


def rnn_forward(x, h0, Wx, Wh, b):
    h_all = np.zeros((x.shape[0], h0.shape[0], h0.shape[1]), dtype=x.dtype)
    for t in range(x.shape[0]):
        h_all[t] = rnn_step_forward(x[t], h0, Wx, Wh, b)  # always from h0
    return h_all, h_all[-1]
