# mistake: non-finite
import torch


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    def fit(self, X, y):
        y = y.to(X.dtype)
        w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
        b = torch.zeros((), dtype=X.dtype, requires_grad=True)
        for _ in range(self.num_iterations):
            p = torch.sigmoid(X @ w + b)
            loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()  # log(0) once p rounds to 0 or 1
            loss.backward()
            with torch.no_grad():
                w -= self.learning_rate * w.grad
                b -= self.learning_rate * b.grad
                w.grad.zero_()
                b.grad.zero_()
        self.weights, self.bias = w.detach(), b.detach()
        return self

    def predict_proba(self, X):
        return torch.sigmoid(X @ self.weights + self.bias)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).long()
