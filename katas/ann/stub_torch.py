"""Two-layer neural network: forward pass and He initialisation (PyTorch).

    logits = ReLU(X W1 + b1) W2 + b2,        ReLU(z) = max(z, 0)
    he_init: W ~ N(0, 2 / fan_in), shape (fan_in, fan_out)

ann_forward: X (n, d_in), W1 (d_in, h), b1 (h,), W2 (h, c), b2 (c,); returns the logits (n, c) with X's
dtype and device. Weights are stored (fan_in, fan_out): a layer is X @ W + b (nn.Linear stores the transpose).
he_init: a float tensor of shape (fan_in, fan_out) (the default dtype is fine) drawn from a normal with
mean 0 and variance 2 / fan_in; the same seed gives the same weights, seed=None gives fresh ones.
Write them with tensor operations: nn.Linear, F.linear and nn.init.kaiming_normal_ are not allowed.
"""

import torch


def ann_forward(X, W1, b1, W2, b2):
    raise NotImplementedError


def he_init(fan_in, fan_out, seed=None):
    raise NotImplementedError
