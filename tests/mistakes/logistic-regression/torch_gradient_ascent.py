# mistake: the update goes up the gradient (w + lr * grad) instead of down
import torch


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    def fit(self, X, y):
        n, d = X.shape
        y = y.to(X.dtype)
        self.weights = torch.zeros(d, dtype=X.dtype)
        self.bias = torch.zeros((), dtype=X.dtype)
        for _ in range(self.num_iterations):
            error = torch.sigmoid(X @ self.weights + self.bias) - y
            self.weights = self.weights + self.learning_rate * X.T @ error / n  # wrong sign
            self.bias = self.bias + self.learning_rate * error.mean()
        return self

    def predict_proba(self, X):
        return torch.sigmoid(X @ self.weights + self.bias)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).long()
