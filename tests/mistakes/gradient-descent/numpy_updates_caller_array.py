# mistake: modified its input
def gradient_descent(grad_fn, starting_point, learning_rate, num_iterations):
    x = starting_point
    for _ in range(num_iterations):
        x -= learning_rate * grad_fn(x)
    return x
