# mistake: the std is sqrt(2 / fan_out)
import numpy as np


def ann_forward(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, 0) @ W2 + b2


def he_init(fan_in, fan_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_out)
