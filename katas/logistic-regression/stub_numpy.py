"""Logistic regression by batch gradient descent (NumPy).

    p = sigmoid(X w + b),   L = -mean(y log p + (1 - y) log(1 - p))
    w <- w - learning_rate * X^T (p - y) / n,   b <- b - learning_rate * mean(p - y)

X: (n, d) floats, y: (n,) labels 0/1.
fit(X, y) starts from weights = 0 and bias = 0, takes exactly `num_iterations` full-batch gradient
steps on the mean binary cross-entropy, stores `weights` (d,) and `bias` (a scalar), and returns self.
predict_proba(X) returns P(y = 1 | x), shape (n,); predict(X) returns 0/1 labels, shape (n,), with
p >= 0.5 meaning 1. The probabilities must stay finite (no overflow, no NaN) for scores of any size.
"""

import numpy as np


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        raise NotImplementedError

    def fit(self, X, y):
        raise NotImplementedError

    def predict_proba(self, X):
        raise NotImplementedError

    def predict(self, X):
        raise NotImplementedError
