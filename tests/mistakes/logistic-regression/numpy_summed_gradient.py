# mistake: the gradient is summed over the samples instead of averaged
import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    def fit(self, X, y):
        self.weights = np.zeros(X.shape[1])
        self.bias = 0.0
        for _ in range(self.num_iterations):
            error = sigmoid(X @ self.weights + self.bias) - y
            self.weights = self.weights - self.learning_rate * X.T @ error  # forgot / n
            self.bias = self.bias - self.learning_rate * error.sum()
        return self

    def predict_proba(self, X):
        return sigmoid(X @ self.weights + self.bias)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(int)
