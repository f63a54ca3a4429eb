# mistake: modified its input
import torch


def gradient_descent(loss_fn, starting_point, learning_rate, num_iterations):
    x = starting_point.requires_grad_(True)
    for _ in range(num_iterations):
        (grad,) = torch.autograd.grad(loss_fn(x), x)
        with torch.no_grad():
            x -= learning_rate * grad
    return x.detach()
