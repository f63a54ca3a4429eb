# mistake: is not allowed in this kata
import torch.nn.functional as F


def batch_norm(X, gamma, beta, eps=1e-5):
    return F.batch_norm(X, None, None, gamma, beta, training=True, eps=eps)


def batch_norm_train(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    rm, rv = running_mean.clone(), running_var.clone()
    out = F.batch_norm(X, rm, rv, gamma, beta, training=True, momentum=momentum, eps=eps)
    return out, rm, rv


def batch_norm_eval(X, gamma, beta, running_mean, running_var, eps=1e-5):
    return F.batch_norm(X, running_mean, running_var, gamma, beta, training=False, eps=eps)
