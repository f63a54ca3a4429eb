# mistake: the variance is unbiased (n - 1)
import torch


def layer_norm(X, gamma, beta, eps=1e-5):
    dims = tuple(range(X.ndim - gamma.ndim, X.ndim))
    mean = X.mean(dim=dims, keepdim=True)
    var = X.var(dim=dims, keepdim=True)  # torch.var divides by n - 1 unless told otherwise
    return gamma * (X - mean) / torch.sqrt(var + eps) + beta
