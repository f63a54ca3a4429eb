# mistake: the output error is multiplied by sigmoid'(z2) as for squared error
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


class SimpleMLP:
    def __init__(self, input_size, hidden_size, output_size, seed=None):
        rng = np.random.default_rng(seed)
        self.w1 = rng.standard_normal((input_size, hidden_size))
        self.b1 = np.zeros(hidden_size)
        self.w2 = rng.standard_normal((hidden_size, output_size))
        self.b2 = np.zeros(output_size)

    def forward(self, X):
        return sigmoid(sigmoid(X @ self.w1 + self.b1) @ self.w2 + self.b2)

    def backward(self, X, y):
        a1 = sigmoid(X @ self.w1 + self.b1)
        a2 = sigmoid(a1 @ self.w2 + self.b2)
        dz2 = (a2 - y) / a2.size * a2 * (1 - a2)
        dz1 = (dz2 @ self.w2.T) * a1 * (1 - a1)
        return {"w1": X.T @ dz1, "b1": dz1.sum(axis=0), "w2": a1.T @ dz2, "b2": dz2.sum(axis=0)}

    def step(self, grads, learning_rate):
        for name in ("w1", "b1", "w2", "b2"):
            setattr(self, name, getattr(self, name) - learning_rate * grads[name])
