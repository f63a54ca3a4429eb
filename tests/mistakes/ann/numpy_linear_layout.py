# mistake: the weights are used transposed (X @ W.T)
import numpy as np


def ann_forward(X, W1, b1, W2, b2):
    hidden = np.maximum(X @ W1.T + b1, 0)  # as nn.Linear: weight (out, in)
    return hidden @ W2.T + b2


def he_init(fan_in, fan_out, seed=None):
    return np.random.default_rng(seed).normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
