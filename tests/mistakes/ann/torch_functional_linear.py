# mistake: torch.nn.functional.linear is not allowed in this kata
import math

import torch
import torch.nn.functional as F


def ann_forward(X, W1, b1, W2, b2):
    return F.linear(F.relu(F.linear(X, W1.T, b1)), W2.T, b2)


def he_init(fan_in, fan_out, seed=None):
    generator = torch.Generator()
    generator.manual_seed(seed) if seed is not None else generator.seed()
    return torch.randn(fan_in, fan_out, generator=generator) * math.sqrt(2.0 / fan_in)
