"""Gradient descent, NumPy reference.

    x_{k+1} = x_k - learning_rate * grad_fn(x_k),   k = 0, ..., num_iterations - 1

Inputs: grad_fn (x -> gradient of f at x, same shape as x), starting_point (float array of any shape),
learning_rate (step size), num_iterations (number of updates). Output: x after the updates, same shape
and dtype as starting_point.
Conventions: exactly num_iterations updates (zero updates return a copy of the start); the caller's
starting_point is never modified.
"""

import numpy as np

# Legend: (...) = the shape of starting_point, whatever it is


def gradient_descent(grad_fn, starting_point, learning_rate, num_iterations):
    x = np.array(starting_point, copy=True)  # (...) our own copy: the caller's array is never touched
    for _ in range(num_iterations):  # exactly num_iterations updates
        grad = grad_fn(x)  # (...) gradient of f at the current point
        x = x - learning_rate * grad  # (...) one step against the gradient
    return x  # (...) the point reached
