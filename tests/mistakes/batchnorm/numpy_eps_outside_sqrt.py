# mistake: eps is left out or added outside the square root
import numpy as np


def _stats(X):
    axes = (0,) + tuple(range(2, X.ndim))
    return X.mean(axis=axes), X.var(axis=axes)


def _norm(X, gamma, beta, mean, var, eps):
    s = (1, -1) + (1,) * (X.ndim - 2)
    return gamma.reshape(s) * (X - mean.reshape(s)) / (np.sqrt(var.reshape(s)) + eps) + beta.reshape(s)


def batch_norm(X, gamma, beta, eps=1e-5):
    return _norm(X, gamma, beta, *_stats(X), eps)


def batch_norm_train(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    mean, var = _stats(X)
    n = X.size // X.shape[1]
    new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    return _norm(X, gamma, beta, mean, var, eps), (1 - momentum) * running_mean + momentum * mean, new_var


def batch_norm_eval(X, gamma, beta, running_mean, running_var, eps=1e-5):
    return _norm(X, gamma, beta, running_mean, running_var, eps)
