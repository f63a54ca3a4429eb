# mistake: x.grad is never zeroed, so each step uses the sum of all gradients so far
import torch


def gradient_descent(loss_fn, starting_point, learning_rate, num_iterations):
    x = starting_point.detach().clone().requires_grad_(True)
    for _ in range(num_iterations):
        loss = loss_fn(x)
        loss.backward()
        with torch.no_grad():
            x -= learning_rate * x.grad
    return x.detach()
