# mistake: the statistics run over axis 0 only
import numpy as np


def _shape(X):
    return (1, -1) + (1,) * (X.ndim - 2)


def batch_norm(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0, keepdims=True)  # as the seed's code: fine for (N, C), wrong for images
    var = X.var(axis=0, keepdims=True)
    return gamma.reshape(_shape(X)) * (X - mu) / np.sqrt(var + eps) + beta.reshape(_shape(X))


def batch_norm_train(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    axes = (0,) + tuple(range(2, X.ndim))
    n = X.size // X.shape[1]
    mean, var = X.mean(axis=axes), X.var(axis=axes) * n / (n - 1)
    return batch_norm(X, gamma, beta, eps), (1 - momentum) * running_mean + momentum * mean, (1 - momentum) * running_var + momentum * var


def batch_norm_eval(X, gamma, beta, running_mean, running_var, eps=1e-5):
    s = _shape(X)
    return gamma.reshape(s) * (X - running_mean.reshape(s)) / np.sqrt(running_var.reshape(s) + eps) + beta.reshape(s)
