# mistake: h = o * c: the tanh of the new cell state is missing
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    z = np.concatenate((x, h_prev), axis=1) @ W + b
    i, f, g, o = np.split(z, 4, axis=1)
    c = sigmoid(f) * c_prev + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * c
    return h, c


def lstm_forward(x, h0, c0, W, b):
    h, c, hs = h0, c0, []
    for t in range(x.shape[0]):
        h, c = lstm_cell_forward(x[t], h, c, W, b)
        hs.append(h)
    return np.stack(hs), (h, c)
