# mistake: W is applied to [h_prev, x]; the convention is [x, h_prev] (x first)
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    combined = np.concatenate((h_prev, x), axis=1)  # as the seed: previous state first
    z = combined @ W + b
    i, f, g, o = np.split(z, 4, axis=1)
    c = sigmoid(f) * c_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def lstm_forward(x, h0, c0, W, b):
    h, c, hs = h0, c0, []
    for t in range(x.shape[0]):
        h, c = lstm_cell_forward(x[t], h, c, W, b)
        hs.append(h)
    return np.stack(hs), (h, c)
