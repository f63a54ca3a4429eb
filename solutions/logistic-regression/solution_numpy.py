"""Logistic regression by batch gradient descent, NumPy reference.

    p = sigmoid(X w + b),   L = -mean(y log p + (1 - y) log(1 - p))
    w <- w - learning_rate * X^T (p - y) / n,   b <- b - learning_rate * mean(p - y)

Inputs: X (n, d) floats, y (n,) labels 0/1. After `fit`: weights (d,), bias (a scalar).
`predict_proba(X)` gives P(y = 1 | x) as (n,); `predict(X)` gives 0/1 labels (n,), p >= 0.5 meaning 1.
Conventions: weights and bias start at zero; exactly `num_iterations` full-batch steps on the mean
binary cross-entropy; the sigmoid is written so that exp never sees a positive argument (no overflow
for any |z|); results in X's float dtype; `fit` returns self.
"""

import numpy as np

# Legend: n = samples, d = features


def _sigmoid(z):
    e = np.exp(-np.abs(z))  # (n,) exp(-|z|) lies in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # (n,) 1 / (1 + exp(-z)) on each side of 0


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        self.learning_rate = learning_rate  # step size of gradient descent
        self.num_iterations = num_iterations  # number of full-batch updates
        self.weights = None  # (d,) set by fit
        self.bias = None  # scalar, set by fit

    def fit(self, X, y):
        dtype = np.result_type(X.dtype, np.float32)  # X's float dtype (integers become float64)
        X = X.astype(dtype, copy=False)  # (n, d) features as floats; the caller's array is never written
        y = y.astype(dtype, copy=False)  # (n,) labels 0/1 as floats
        n, d = X.shape  # samples, features
        self.weights = np.zeros(d, dtype=dtype)  # (d,) start from zero
        self.bias = dtype.type(0)  # () start from zero
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
        return (self.predict_proba(X) >= 0.5).astype(np.int64)  # (n,) 1 where p >= 0.5, else 0
