"""Batch normalisation (PyTorch), with PyTorch's rules.

    BN(x) = gamma * (x - mean) / sqrt(var + eps) + beta

X: (N, C) or (N, C, L) or (N, C, H, W), channels on dim 1; gamma, beta, running_mean, running_var: (C,).
Each channel's mean and variance run over every dim but dim 1 (batch and spatial positions);
n = number of values per channel. Results keep X's dtype and device.

batch_norm(X, gamma, beta, eps)                 training mode: normalise with the batch's statistics
                                                -> (N, C, ...)
batch_norm_train(X, gamma, beta, running_mean, running_var, momentum, eps)
                                                -> (out, new_running_mean, new_running_var)
    out as batch_norm; new running = (1 - momentum) * running + momentum * batch statistic
batch_norm_eval(X, gamma, beta, running_mean, running_var, eps)
                                                normalise with the running statistics -> (N, C, ...)

Conventions: the biased variance (divide by n) normalises; the unbiased one (n - 1) goes into the
running variance; eps sits inside the square root. Return new tensors: the inputs (running statistics
included) must not be modified, unlike nn.BatchNorm's buffers.
Write it with tensor operations: F.batch_norm and nn.BatchNorm1d/2d/3d are not allowed.
"""

import torch


def batch_norm(X, gamma, beta, eps=1e-5):
    raise NotImplementedError


def batch_norm_train(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    raise NotImplementedError


def batch_norm_eval(X, gamma, beta, running_mean, running_var, eps=1e-5):
    raise NotImplementedError
