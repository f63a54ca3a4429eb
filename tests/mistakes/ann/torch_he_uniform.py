# mistake: the weights are uniform (or truncated)
import math

import torch


def ann_forward(X, W1, b1, W2, b2):
    return torch.relu(X @ W1 + b1) @ W2 + b2


def he_init(fan_in, fan_out, seed=None):
    generator = torch.Generator()
    generator.manual_seed(seed) if seed is not None else generator.seed()
    bound = math.sqrt(6.0 / fan_in)  # He-uniform: the right variance, the wrong distribution
    return (torch.rand(fan_in, fan_out, generator=generator) * 2 - 1) * bound
