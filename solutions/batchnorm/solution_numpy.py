"""Batch normalisation, NumPy reference, with PyTorch's rules.

    BN(x) = gamma * (x - mean) / sqrt(var + eps) + beta
    running = (1 - momentum) * running + momentum * batch statistic

Inputs: X (N, C, ...) with channels on axis 1 ((N, C), (N, C, L), (N, C, H, W)); gamma, beta,
running_mean, running_var (C,). Outputs: batch_norm and batch_norm_eval -> (N, C, ...);
batch_norm_train -> (out (N, C, ...), new running_mean (C,), new running_var (C,)).
Conventions (PyTorch's): statistics per channel over every axis but axis 1; the biased variance
(divide by n) normalises, the unbiased one (n - 1) goes into running_var; eps inside the square root;
new arrays are returned and the inputs are never modified.
"""

import numpy as np

# Legend: N = batch, C = channels (axis 1), ... = positions (none, L, or H, W), n = N * positions = values per channel


def _batch_statistics(X):
    axes = (0,) + tuple(range(2, X.ndim))  # every axis but the channel axis 1
    mean = X.mean(axis=axes)  # (C,) mean of each channel over the batch and all positions
    var = X.var(axis=axes)  # (C,) biased variance of each channel (divides by n)
    return mean, var  # (C,), (C,)


def _normalize(X, gamma, beta, mean, var, eps):
    shape = (1, -1) + (1,) * (X.ndim - 2)  # (1, C, 1, ...) lines a (C,) vector up with axis 1 of X
    X_hat = (X - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)  # (N, C, ...) standardised per channel; eps inside the root
    return gamma.reshape(shape) * X_hat + beta.reshape(shape)  # (N, C, ...) scaled and shifted per channel


def batch_norm(X, gamma, beta, eps=1e-5):
    mean, var = _batch_statistics(X)  # (C,), (C,) statistics of this batch
    return _normalize(X, gamma, beta, mean, var, eps)  # (N, C, ...) normalised with the batch's statistics


def batch_norm_train(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    mean, var = _batch_statistics(X)  # (C,), (C,) statistics of this batch, biased variance
    n = X.size // X.shape[1]  # values per channel
    unbiased_var = var * n / (n - 1)  # (C,) unbiased variance (divides by n - 1), what running_var tracks
    new_mean = (1 - momentum) * running_mean + momentum * mean  # (C,) moving average of the means, a new array
    new_var = (1 - momentum) * running_var + momentum * unbiased_var  # (C,) moving average of the variances, a new array
    out = _normalize(X, gamma, beta, mean, var, eps)  # (N, C, ...) training output uses the batch's own statistics
    return out, new_mean, new_var  # (N, C, ...), (C,), (C,)


def batch_norm_eval(X, gamma, beta, running_mean, running_var, eps=1e-5):
    return _normalize(X, gamma, beta, running_mean, running_var, eps)  # (N, C, ...) normalised with the running statistics
