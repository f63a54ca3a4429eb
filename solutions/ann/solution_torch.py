"""Two-layer neural network: forward pass and He initialisation, PyTorch reference.

    logits = ReLU(X W1 + b1) W2 + b2,        ReLU(z) = max(z, 0)
    he_init: W ~ N(0, 2 / fan_in), shape (fan_in, fan_out)

Inputs: X (n, d_in), W1 (d_in, h), b1 (h,), W2 (h, c), b2 (c,). Output: logits (n, c), in X's dtype and on its device.
Conventions: weights are stored (fan_in, fan_out), so a layer is X @ W + b; the output layer has no
activation (logits). He-normal draws from N(0, 2 / fan_in): the variance that keeps the scale of ReLU
activations from layer to layer (ReLU zeroes half of them); a private generator, seeded by `seed`.
"""

import math

import torch

# Legend: n = samples, d_in = input features, h = hidden units, c = outputs (classes)


def ann_forward(X, W1, b1, W2, b2):
    hidden = torch.relu(X @ W1 + b1)  # (n, h) first layer, then ReLU: bias before the activation
    return hidden @ W2 + b2  # (n, c) second layer: raw logits, no activation


def he_init(fan_in, fan_out, seed=None):
    generator = torch.Generator()  # a private generator: reproducible with a seed, the global RNG untouched
    if seed is None:  # no seed: fresh weights at every call
        generator.seed()  # seed it from a non-deterministic source
    else:
        generator.manual_seed(seed)  # the same seed gives the same weights
    std = math.sqrt(2.0 / fan_in)  # He: variance 2 / fan_in, so the standard deviation is its square root
    return torch.randn(fan_in, fan_out, generator=generator) * std  # (fan_in, fan_out) default dtype, draws from N(0, 2 / fan_in)
