# mistake: is a numpy.ndarray; the torch backend takes and returns torch.Tensor
import numpy as np


def scaled_dot_product_attention(Q, K, V, mask=None):
    q, k, v = (t.detach().numpy() for t in (Q, K, V))
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask.numpy(), scores, -np.inf)
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True) @ v
