# mistake: b1 is added after the ReLU instead of before it
import numpy as np


def ann_forward(X, W1, b1, W2, b2):
    hidden = np.maximum(X @ W1, 0) + b1
    return hidden @ W2 + b2


def he_init(fan_in, fan_out, seed=None):
    return np.random.default_rng(seed).normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
