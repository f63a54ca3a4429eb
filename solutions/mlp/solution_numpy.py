"""Multilayer perceptron with one hidden layer, trained by hand-written backprop, NumPy reference.

    A1 = sigmoid(X W1 + b1),  Yhat = sigmoid(A1 W2 + b2)
    L  = -mean( Y log Yhat + (1 - Y) log(1 - Yhat) )       (the mean over all N = n * output_size outputs)
    dL/dZ2 = (Yhat - Y) / N,  dL/dZ1 = (dL/dZ2 W2^T) * A1 (1 - A1)

Inputs: X (n, d_in), labels y (n, c); parameters w1 (d_in, h), b1 (h,), w2 (h, c), b2 (c,). Outputs: forward gives
Yhat (n, c); backward a dict of gradients {"w1", "b1", "w2", "b2"}, each of its parameter's shape.
Conventions: the loss is the mean binary cross-entropy over all n * c outputs; gradients are derived by
hand (sigmoid + cross-entropy simplify to Yhat - Y, so no log is ever taken); backward runs its own forward
pass and leaves the parameters alone; weights start N(0, 1 / fan_in) from a private generator, biases 0.
The sigmoid is written with tanh, which never overflows.
"""

import numpy as np

# Legend: n = samples, d_in = input features, h = hidden units, c = outputs, N = n * c


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow for large |z|


class SimpleMLP:
    def __init__(self, input_size, hidden_size, output_size, seed=None):
        rng = np.random.default_rng(seed)  # a private generator: reproducible with a seed
        self.w1 = rng.normal(0.0, np.sqrt(1.0 / input_size), size=(input_size, hidden_size))  # (d_in, h) random: units differ
        self.b1 = np.zeros(hidden_size)  # (h,) hidden biases start at 0
        self.w2 = rng.normal(0.0, np.sqrt(1.0 / hidden_size), size=(hidden_size, output_size))  # (h, c) random, scaled by 1 / sqrt(fan_in)
        self.b2 = np.zeros(output_size)  # (c,) output biases start at 0

    def forward(self, X):
        hidden = _sigmoid(X @ self.w1 + self.b1)  # (n, h) hidden activations A1
        return _sigmoid(hidden @ self.w2 + self.b2)  # (n, c) output probabilities Yhat

    def backward(self, X, y):
        hidden = _sigmoid(X @ self.w1 + self.b1)  # (n, h) A1, kept for the chain rule
        output = _sigmoid(hidden @ self.w2 + self.b2)  # (n, c) Yhat
        count = output.size  # N = n * c: the loss is the mean over every output
        d_out = (output - y) / count  # (n, c) dL/dZ2: the sigmoid's derivative cancels against the cross-entropy
        d_w2 = hidden.T @ d_out  # (h, c) dL/dW2, summed over the samples by the product
        d_b2 = d_out.sum(axis=0)  # (c,) dL/db2: b2 is added to every sample
        d_hidden = d_out @ self.w2.T  # (n, h) dL/dA1, the error sent back through W2
        d_pre = d_hidden * hidden * (1.0 - hidden)  # (n, h) dL/dZ1: times sigmoid'(Z1) = A1 (1 - A1)
        d_w1 = X.T @ d_pre  # (d_in, h) dL/dW1
        d_b1 = d_pre.sum(axis=0)  # (h,) dL/db1
        return {"w1": d_w1, "b1": d_b1, "w2": d_w2, "b2": d_b2}  # gradients, each of its parameter's shape

    def step(self, grads, learning_rate):
        self.w1 = self.w1 - learning_rate * grads["w1"]  # (d_in, h) a step downhill: against the gradient
        self.b1 = self.b1 - learning_rate * grads["b1"]  # (h,) likewise for every parameter
        self.w2 = self.w2 - learning_rate * grads["w2"]  # (h, c) likewise
        self.b2 = self.b2 - learning_rate * grads["b2"]  # (c,) likewise
