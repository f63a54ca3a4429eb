"""Gradient descent with autograd, PyTorch reference.

    x_{k+1} = x_k - learning_rate * d loss_fn(x_k) / d x,   k = 0, ..., num_iterations - 1

Inputs: loss_fn (x -> scalar tensor f(x)), starting_point (float tensor of any shape), learning_rate
(step size), num_iterations (number of updates). Output: x after the updates, same shape, dtype and
device as starting_point, detached from any graph.
Conventions: exactly num_iterations updates (zero updates return a copy of the start); the caller's
starting_point is never modified; gradients come from autograd, fresh at every step (nothing accumulates
in .grad), and no torch.optim.
"""

import torch

# Legend: (...) = the shape of starting_point, whatever it is


def gradient_descent(loss_fn, starting_point, learning_rate, num_iterations):
    x = starting_point.detach().clone()  # (...) our own copy, cut from any graph: the caller's tensor is never touched
    for _ in range(num_iterations):  # exactly num_iterations updates
        x.requires_grad_(True)  # record the operations on x so that autograd can differentiate f
        loss = loss_fn(x)  # () f at the current point
        (grad,) = torch.autograd.grad(loss, x)  # (...) gradient of f at the current point, fresh each step
        x = (x - learning_rate * grad).detach()  # (...) one step against the gradient, as a new leaf
    return x  # (...) the point reached
