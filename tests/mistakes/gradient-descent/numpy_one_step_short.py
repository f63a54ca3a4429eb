# mistake: one update too few (num_iterations - 1 steps)
import numpy as np


def gradient_descent(grad_fn, starting_point, learning_rate, num_iterations):
    x = np.array(starting_point, copy=True)
    for i in range(1, num_iterations):
        x = x - learning_rate * grad_fn(x)
    return x
