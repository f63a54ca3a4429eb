"""Gradient descent with autograd (PyTorch).

    x_{k+1} = x_k - learning_rate * d loss_fn(x_k) / d x,   k = 0, ..., num_iterations - 1

loss_fn: a function that takes a tensor x and returns a scalar tensor f(x); take its gradient with
autograd (torch.autograd.grad or .backward()).
starting_point: float tensor of any shape; returns x after the updates, with the same shape, dtype
and device.
Exactly num_iterations updates (none when num_iterations is 0). The caller's starting_point must not
be modified.
Write the update yourself: torch.optim (SGD, Adam, ...) is not allowed.
"""

import torch


def gradient_descent(loss_fn, starting_point, learning_rate, num_iterations):
    raise NotImplementedError
