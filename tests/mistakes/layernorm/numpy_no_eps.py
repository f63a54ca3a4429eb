# mistake: non-finite
def layer_norm(X, gamma, beta, eps=1e-5):
    axes = tuple(range(X.ndim - gamma.ndim, X.ndim))
    mu = X.mean(axis=axes, keepdims=True)
    sigma = X.std(axis=axes, keepdims=True)
    return gamma * (X - mu) / sigma + beta
