# mistake: the statistics run over axis 1 (as the seed's code does)
import numpy as np


def layer_norm(X, gamma, beta, eps=1e-5):
    mu = np.mean(X, axis=1, keepdims=True)
    var = np.var(X, axis=1, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
