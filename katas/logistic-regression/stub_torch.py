"""Logistic regression by batch gradient descent (PyTorch).

    p = sigmoid(X w + b),   L = -mean(y log p + (1 - y) log(1 - p))
    w <- w - learning_rate * X^T (p - y) / n,   b <- b - learning_rate * mean(p - y)

X: (n, d) float tensor, y: (n,) labels 0/1 (float or integer tensor).
fit(X, y) starts from weights = 0 and bias = 0, takes exactly `num_iterations` full-batch gradient
steps on the mean binary cross-entropy, stores `weights` (d,) and `bias` (a scalar or 0-d tensor) in
X's dtype and on X's device, and returns self.
predict_proba(X) returns P(y = 1 | x), shape (n,), in X's dtype; predict(X) returns 0/1 labels,
shape (n,), with p >= 0.5 meaning 1. The probabilities must stay finite for scores of any size.
Write the gradient step yourself: torch.optim.SGD / Adam and the built-in binary cross-entropy losses
(F.binary_cross_entropy(_with_logits), nn.BCELoss, nn.BCEWithLogitsLoss) are not allowed.
"""

import torch


class LogisticRegression:
    def __init__(self, learning_rate=0.01, num_iterations=1000):
        raise NotImplementedError

    def fit(self, X, y):
        raise NotImplementedError

    def predict_proba(self, X):
        raise NotImplementedError

    def predict(self, X):
        raise NotImplementedError
