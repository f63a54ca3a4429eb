# mistake: modified its input
import torch


def _stats(X):
    dims = (0,) + tuple(range(2, X.ndim))
    return X.mean(dim=dims), X.var(dim=dims, unbiased=False)


def _norm(X, gamma, beta, mean, var, eps):
    s = (1, -1) + (1,) * (X.ndim - 2)
    return gamma.reshape(s) * (X - mean.reshape(s)) / torch.sqrt(var.reshape(s) + eps) + beta.reshape(s)


def batch_norm(X, gamma, beta, eps=1e-5):
    return _norm(X, gamma, beta, *_stats(X), eps)


def batch_norm_train(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    mean, var = _stats(X)
    n = X.numel() // X.shape[1]
    with torch.no_grad():  # nn.BatchNorm updates its buffers in place; here they belong to the caller
        running_mean.mul_(1 - momentum).add_(momentum * mean)
        running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    return _norm(X, gamma, beta, mean, var, eps), running_mean, running_var


def batch_norm_eval(X, gamma, beta, running_mean, running_var, eps=1e-5):
    return _norm(X, gamma, beta, running_mean, running_var, eps)
