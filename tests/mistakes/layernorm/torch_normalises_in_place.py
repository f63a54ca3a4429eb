# mistake: modified its input
import torch


def layer_norm(X, gamma, beta, eps=1e-5):
    dims = tuple(range(X.ndim - gamma.ndim, X.ndim))
    mean = X.mean(dim=dims, keepdim=True)
    var = X.var(dim=dims, keepdim=True, correction=0)
    X -= mean  # saves memory, but the caller's tensor changes
    X /= torch.sqrt(var + eps)
    return gamma * X + beta
