"""Gradient descent (NumPy).

    x_{k+1} = x_k - learning_rate * grad_fn(x_k),   k = 0, ..., num_iterations - 1

grad_fn: a function that takes x and returns the gradient of f at x (same shape as x).
starting_point: float array of any shape (a 0-d array for a scalar); returns x after the updates,
with the same shape and dtype.
Exactly num_iterations updates (none when num_iterations is 0). The caller's starting_point must not
be modified.
"""

import numpy as np


def gradient_descent(grad_fn, starting_point, learning_rate, num_iterations):
    raise NotImplementedError
