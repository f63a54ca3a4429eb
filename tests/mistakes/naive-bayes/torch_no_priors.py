# mistake: the class priors are left out of the posterior
import math

import torch


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        self.classes, index = torch.unique(y, return_inverse=True)
        eps = self.var_smoothing * X.var(dim=0, correction=0).max()
        groups = [X[index == i] for i in range(len(self.classes))]
        self.means = torch.stack([g.mean(dim=0) for g in groups])
        self.variances = torch.stack([g.var(dim=0, correction=0) for g in groups]) + eps
        self.priors = torch.stack([torch.tensor(len(g) / len(X), dtype=X.dtype) for g in groups])
        return self

    def _log_joint(self, X):
        diff = X[:, None, :] - self.means
        return (-0.5 * (torch.log(2 * math.pi * self.variances) + diff**2 / self.variances)).sum(-1)  # no log prior

    def predict_proba(self, X):
        return torch.softmax(self._log_joint(X), dim=1)

    def predict(self, X):
        return self.classes[self._log_joint(X).argmax(dim=1)]
