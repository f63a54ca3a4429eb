# mistake: is not allowed in this kata
import torch


def gradient_descent(loss_fn, starting_point, learning_rate, num_iterations):
    x = starting_point.detach().clone().requires_grad_(True)
    optimizer = torch.optim.SGD([x], lr=learning_rate)
    for _ in range(num_iterations):
        optimizer.zero_grad()
        loss_fn(x).backward()
        optimizer.step()
    return x.detach()
