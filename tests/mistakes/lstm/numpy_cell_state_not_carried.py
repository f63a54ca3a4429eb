# mistake: the cell state is not carried: every step starts again from c0
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    z = np.concatenate((x, h_prev), axis=1) @ W + b
    i, f, g, o = np.split(z, 4, axis=1)
    c = sigmoid(f) * c_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def lstm_forward(x, h0, c0, W, b):
    h, hs = h0, []
    for t in range(x.shape[0]):
        h, c = lstm_cell_forward(x[t], h, c0, W, b)  # only h is carried
        hs.append(h)
    return np.stack(hs), (h, c)
