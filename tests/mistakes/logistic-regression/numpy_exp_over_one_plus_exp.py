# mistake: non-finite
import numpy as np


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    def _sigmoid(self, z):
        return np.exp(z) / (1 + np.exp(z))  # inf / inf = NaN once z passes ~710

    def fit(self, X, y):
        n, d = X.shape
        self.weights = np.zeros(d)
        self.bias = 0.0
        for _ in range(self.num_iterations):
            error = self._sigmoid(X @ self.weights + self.bias) - y
            self.weights -= self.learning_rate * X.T @ error / n
            self.bias -= self.learning_rate * error.mean()
        return self

    def predict_proba(self, X):
        return self._sigmoid(X @ self.weights + self.bias)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(int)
