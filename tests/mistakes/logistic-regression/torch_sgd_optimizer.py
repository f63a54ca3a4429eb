# mistake: is not allowed in this kata
import torch


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    def fit(self, X, y):
        y = y.to(X.dtype)
        w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
        b = torch.zeros((), dtype=X.dtype, requires_grad=True)
        optimizer = torch.optim.SGD([w, b], lr=self.learning_rate)
        for _ in range(self.num_iterations):
            optimizer.zero_grad()
            z = X @ w + b
            loss = (torch.clamp(z, min=0) - z * y + torch.log1p(torch.exp(-z.abs()))).mean()
            loss.backward()
            optimizer.step()
        self.weights, self.bias = w.detach(), b.detach()
        return self

    def predict_proba(self, X):
        return torch.sigmoid(X @ self.weights + self.bias)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).long()
