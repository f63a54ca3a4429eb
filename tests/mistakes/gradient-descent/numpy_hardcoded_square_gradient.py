# mistake: the gradient is hard-coded as 2 * x
import numpy as np


def gradient_descent(grad_fn, starting_point, learning_rate, num_iterations):
    x = np.array(starting_point, copy=True)
    for _ in range(num_iterations):
        grad = 2 * x  # derivative of x^2, as in the seed's code
        x = x - learning_rate * grad
    return x
