"""Layer normalisation, NumPy reference.

    LN(x) = gamma * (x - mean) / sqrt(var + eps) + beta

Inputs: X (..., *S); gamma and beta of shape S, the normalized shape (nn.LayerNorm's normalized_shape).
Output: X's shape. The mean and variance of each sample run over the trailing len(S) axes.
Conventions (nn.LayerNorm's): biased variance (divide by n); eps inside the square root, so a constant
sample gives beta rather than NaN; the variance is taken around the mean (two passes), stable for data
far from zero.
"""

import numpy as np

# Legend: ... = leading dims (batch, time), S = normalized shape = gamma.shape, n = prod(S) values per sample


def layer_norm(X, gamma, beta, eps=1e-5):
    axes = tuple(range(X.ndim - gamma.ndim, X.ndim))  # the trailing axes that gamma covers
    mean = X.mean(axis=axes, keepdims=True)  # (..., 1, ...) mean of each sample over its n values
    var = ((X - mean) ** 2).mean(axis=axes, keepdims=True)  # (..., 1, ...) biased variance (divide by n), around the mean
    X_hat = (X - mean) / np.sqrt(var + eps)  # (..., *S) zero mean, unit variance per sample; eps inside the root
    return gamma * X_hat + beta  # (..., *S) scaled and shifted per feature; gamma, beta broadcast over the leading dims
