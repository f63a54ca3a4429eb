"""Scaled dot-product attention (PyTorch).

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V

Q: (..., Lq, d_k), K: (..., Lk, d_k), V: (..., Lk, d_v); returns (..., Lq, d_v) with Q's dtype and device.
mask: optional boolean tensor broadcastable to (..., Lq, Lk); True means "may attend".
A query row whose mask allows no key returns zeros.
Write it with tensor operations: F.scaled_dot_product_attention is not allowed.
"""

import torch


def scaled_dot_product_attention(Q, K, V, mask=None):
    raise NotImplementedError
