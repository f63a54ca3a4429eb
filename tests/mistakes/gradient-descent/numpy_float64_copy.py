# mistake: expected float32 (keep the input's dtype)
import numpy as np


def gradient_descent(grad_fn, starting_point, learning_rate, num_iterations):
    x = np.array(starting_point, dtype=float)
    for _ in range(num_iterations):
        x = x - learning_rate * grad_fn(x)
    return x
