# mistake: the gate blocks are read as i, f, o, g; PyTorch's order is i, f, g, o
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    z = np.hstack([x, h_prev]) @ W + b
    i = sigmoid(z[:, :H])
    f = sigmoid(z[:, H : 2 * H])
    o = sigmoid(z[:, 2 * H : 3 * H])  # the cs231n layout: i, f, o, g
    g = np.tanh(z[:, 3 * H :])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def lstm_forward(x, h0, c0, W, b):
    h, c, hs = h0, c0, []
    for t in range(x.shape[0]):
        h, c = lstm_cell_forward(x[t], h, c, W, b)
        hs.append(h)
    return np.stack(hs), (h, c)
