# mistake: the variance 2 / fan_in is used as the standard deviation
import torch


def ann_forward(X, W1, b1, W2, b2):
    return torch.relu(X @ W1 + b1) @ W2 + b2


def he_init(fan_in, fan_out, seed=None):
    generator = torch.Generator()
    generator.manual_seed(seed) if seed is not None else generator.seed()
    return torch.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out), generator=generator)
