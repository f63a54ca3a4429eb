"""Scaled dot-product attention (NumPy).

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V

Q: (..., Lq, d_k), K: (..., Lk, d_k), V: (..., Lk, d_v); returns (..., Lq, d_v).
mask: optional boolean array broadcastable to (..., Lq, Lk); True means "may attend".
A query row whose mask allows no key returns zeros.
"""

import numpy as np


def scaled_dot_product_attention(Q, K, V, mask=None):
    raise NotImplementedError
