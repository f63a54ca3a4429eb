# mistake: non-finite
import numpy as np


def scaled_dot_product_attention(Q, K, V, mask=None):
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    weights = np.exp(scores)  # no max subtraction: overflows for large scores
    if mask is not None:
        weights = weights * mask
    return weights / weights.sum(axis=-1, keepdims=True) @ V
