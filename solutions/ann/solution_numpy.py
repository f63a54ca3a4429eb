"""Two-layer neural network: forward pass and He initialisation, NumPy reference.

    logits = ReLU(X W1 + b1) W2 + b2,        ReLU(z) = max(z, 0)
    he_init: W ~ N(0, 2 / fan_in), shape (fan_in, fan_out)

Inputs: X (n, d_in), W1 (d_in, h), b1 (h,), W2 (h, c), b2 (c,). Output: logits (n, c), in X's dtype.
Conventions: weights are stored (fan_in, fan_out), so a layer is X @ W + b; the output layer has no
activation (logits). He-normal draws from N(0, 2 / fan_in): the variance that keeps the scale of ReLU
activations from layer to layer (ReLU zeroes half of them); a private generator, seeded by `seed`.
"""

import numpy as np

# Legend: n = samples, d_in = input features, h = hidden units, c = outputs (classes)


def ann_forward(X, W1, b1, W2, b2):
    hidden = np.maximum(X @ W1 + b1, 0)  # (n, h) first layer, then ReLU: bias before the activation
    return hidden @ W2 + b2  # (n, c) second layer: raw logits, no activation


def he_init(fan_in, fan_out, seed=None):
    rng = np.random.default_rng(seed)  # a private generator: reproducible with a seed, the global RNG untouched
    std = np.sqrt(2.0 / fan_in)  # He: variance 2 / fan_in, so the standard deviation is its square root
    return rng.normal(0.0, std, size=(fan_in, fan_out))  # (fan_in, fan_out) float64 draws from N(0, 2 / fan_in)
