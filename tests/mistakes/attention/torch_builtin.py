# mistake: is not allowed in this kata
from torch.nn.functional import scaled_dot_product_attention as sdpa


def scaled_dot_product_attention(Q, K, V, mask=None):
    return sdpa(Q, K, V, attn_mask=mask)
