"""Scaled dot-product attention, PyTorch reference.

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V

Inputs: Q (..., Lq, d_k), K (..., Lk, d_k), V (..., Lk, d_v); optional boolean mask broadcastable to
(..., Lq, Lk) where True means "may attend". Output: (..., Lq, d_v), on Q's device and in Q's dtype.
Conventions: the softmax subtracts each row's maximum (stable for scores of any size); masked scores
are -inf; a query row with no allowed key gets all-zero weights, as F.scaled_dot_product_attention does.
"""

import math

import torch

# Legend: ... = any batch / head dims, Lq = queries, Lk = keys, d_k = key size, d_v = value size


def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]  # size of each query / key vector
    scores = Q @ K.transpose(-1, -2) / math.sqrt(d_k)  # (..., Lq, Lk) similarity of every query to every key
    if mask is not None:  # only keys with mask True may be attended to
        scores = scores.masked_fill(~mask, float("-inf"))  # (..., Lq, Lk) masked scores can never win the softmax
    row_max = scores.amax(dim=-1, keepdim=True)  # (..., Lq, 1) largest score per query row
    row_max = torch.where(torch.isfinite(row_max), row_max, torch.zeros_like(row_max))  # (..., Lq, 1) a fully masked row has max -inf: use 0
    weights = torch.exp(scores - row_max)  # (..., Lq, Lk) exp of shifted scores, all <= 1: no overflow
    total = weights.sum(dim=-1, keepdim=True)  # (..., Lq, 1) softmax denominator per row
    weights = weights / torch.where(total > 0, total, torch.ones_like(total))  # (..., Lq, Lk) rows sum to 1, fully masked rows stay 0
    return weights @ V  # (..., Lq, d_v) weighted sum of the values
