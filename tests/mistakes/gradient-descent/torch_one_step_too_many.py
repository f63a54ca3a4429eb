# mistake: one update too many (num_iterations + 1 steps)
import torch


def gradient_descent(loss_fn, starting_point, learning_rate, num_iterations):
    x = starting_point.detach().clone()
    step = 0
    while step <= num_iterations:
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(x), x)
        x = (x - learning_rate * grad).detach()
        step += 1
    return x
