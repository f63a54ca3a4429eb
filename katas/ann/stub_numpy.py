"""Two-layer neural network: forward pass and He initialisation (NumPy).

    logits = ReLU(X W1 + b1) W2 + b2,        ReLU(z) = max(z, 0)
    he_init: W ~ N(0, 2 / fan_in), shape (fan_in, fan_out)

ann_forward: X (n, d_in), W1 (d_in, h), b1 (h,), W2 (h, c), b2 (c,); returns the logits (n, c), in X's dtype.
Weights are stored (fan_in, fan_out): a layer is X @ W + b (nn.Linear stores the transpose).
he_init: a float array of shape (fan_in, fan_out) drawn from a normal with mean 0 and variance 2 / fan_in;
the same seed gives the same weights, seed=None gives fresh ones.
"""

import numpy as np


def ann_forward(X, W1, b1, W2, b2):
    raise NotImplementedError


def he_init(fan_in, fan_out, seed=None):
    raise NotImplementedError
