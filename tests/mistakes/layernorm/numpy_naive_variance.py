# mistake: the variance is computed as E[x^2] - E[x]^2
import numpy as np


def layer_norm(X, gamma, beta, eps=1e-5):
    axes = tuple(range(X.ndim - gamma.ndim, X.ndim))
    mu = X.mean(axis=axes, keepdims=True)
    var = (X**2).mean(axis=axes, keepdims=True) - mu**2  # one pass over the data
    return gamma * (X - mu) / np.sqrt(np.maximum(var, 0) + eps) + beta
