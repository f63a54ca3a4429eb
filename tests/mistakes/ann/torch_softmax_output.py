# mistake: a softmax was applied: ann_forward returns raw logits
import math

import torch


def ann_forward(X, W1, b1, W2, b2):
    return torch.softmax(torch.relu(X @ W1 + b1) @ W2 + b2, dim=-1)


def he_init(fan_in, fan_out, seed=None):
    generator = torch.Generator()
    if seed is not None:
        generator.manual_seed(seed)
    else:
        generator.seed()
    return torch.randn(fan_in, fan_out, generator=generator) * math.sqrt(2.0 / fan_in)
