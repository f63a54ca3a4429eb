"""Logistic regression by batch gradient descent, PyTorch reference.

    p = sigmoid(X w + b),   L = -mean(y log p + (1 - y) log(1 - p))
    w <- w - learning_rate * X^T (p - y) / n,   b <- b - learning_rate * mean(p - y)

Inputs: X (n, d) float tensor, y (n,) labels 0/1. After `fit`: weights (d,), bias (a 0-d tensor),
in X's dtype and on X's device. `predict_proba(X)` gives P(y = 1 | x) as (n,); `predict(X)` gives
0/1 labels (n,), p >= 0.5 meaning 1.
Conventions: weights and bias start at zero; exactly `num_iterations` full-batch steps on the mean
binary cross-entropy, with the gradient written out (no autograd, no torch.optim); the sigmoid is
written so that exp never sees a positive argument (no overflow for any |z|); `fit` returns self.
"""

import torch

# Legend: n = samples, d = features


def _sigmoid(z):
    e = torch.exp(-z.abs())  # (n,) exp(-|z|) lies in (0, 1]: never overflows
    return torch.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # (n,) 1 / (1 + exp(-z)) on each side of 0


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate  # step size of gradient descent
        self.num_iterations = num_iterations  # number of full-batch updates
        self.weights = None  # (d,) set by fit
        self.bias = None  # scalar, set by fit

    def fit(self, X, y):
        dtype = X.dtype if X.is_floating_point() else torch.get_default_dtype()  # X's float dtype
        X = X.to(dtype)  # (n, d) features as floats; the caller's tensor is never written
        y = y.to(dtype)  # (n,) labels 0/1 as floats
        n, d = X.shape  # samples, features
        self.weights = torch.zeros(d, dtype=dtype, device=X.device)  # (d,) start from zero
        self.bias = torch.zeros((), dtype=dtype, device=X.device)  # () start from zero
        for _ in range(self.num_iterations):  # one full-batch step per iteration
            p = _sigmoid(X @ self.weights + self.bias)  # (n,) current P(y = 1 | x)
            error = p - y  # (n,) d loss / d z for each sample
            grad_w = X.T @ error / n  # (d,) gradient of the mean cross-entropy w.r.t. the weights
            grad_b = error.mean()  # () gradient w.r.t. the bias
            self.weights = self.weights - self.learning_rate * grad_w  # (d,) step downhill
            self.bias = self.bias - self.learning_rate * grad_b  # () step downhill
        return self  # so that model = LogisticRegression().fit(X, y) works

    def predict_proba(self, X):
        return _sigmoid(X @ self.weights + self.bias)  # (n,) P(y = 1 | x)

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).long()  # (n,) 1 where p >= 0.5, else 0
