"""Layer normalisation (PyTorch).

    LN(x) = gamma * (x - mean) / sqrt(var + eps) + beta

X: (..., *S), gamma and beta: S, the normalized shape (as nn.LayerNorm's normalized_shape): e.g. X of
shape (B, T, C) with gamma (C,), or X (B, T, C) with gamma (T, C). The mean and variance of each sample
run over the trailing len(S) dims of X. Returns a tensor of X's shape, dtype and device.

Conventions: the biased variance (divide by n); eps inside the square root.
The input must not be modified.
Write it with tensor operations: F.layer_norm and nn.LayerNorm are not allowed.
"""

import torch


def layer_norm(X, gamma, beta, eps=1e-5):
    raise NotImplementedError
