# mistake: is not allowed in this kata
import torch.nn.functional as F


def layer_norm(X, gamma, beta, eps=1e-5):
    return F.layer_norm(X, gamma.shape, gamma, beta, eps)
