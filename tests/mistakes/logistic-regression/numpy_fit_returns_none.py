# mistake: it should return self
import numpy as np


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    @staticmethod
    def _sigmoid(z):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    def fit(self, X, y):  # as in the seed: trains, but returns None
        n, d = X.shape
        self.weights = np.zeros(d)
        self.bias = 0.0
        for _ in range(self.num_iterations):
            error = self._sigmoid(X @ self.weights + self.bias) - y
            self.weights = self.weights - self.learning_rate * X.T @ error / n
            self.bias = self.bias - self.learning_rate * error.mean()

    def predict_proba(self, X):
        return self._sigmoid(X @ self.weights + self.bias)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(int)
