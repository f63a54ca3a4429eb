# mistake: eps is left out or added outside the square root
def layer_norm(X, gamma, beta, eps=1e-5):
    dims = tuple(range(X.ndim - gamma.ndim, X.ndim))
    mean = X.mean(dim=dims, keepdim=True)
    std = X.std(dim=dims, keepdim=True, correction=0)
    return gamma * (X - mean) / (std + eps) + beta
