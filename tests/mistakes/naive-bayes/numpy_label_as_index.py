# mistake: IndexError
import numpy as np


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        self.classes = np.unique(y)
        k, d = len(self.classes), X.shape[1]
        self.means = np.zeros((k, d))
        self.variances = np.zeros((k, d))
        self.priors = np.zeros(k)
        eps = self.var_smoothing * X.var(axis=0).max()
        for c in self.classes:  # as in the seed: the label value is used as a row index
            X_c = X[y == c]
            self.means[c] = X_c.mean(axis=0)
            self.variances[c] = X_c.var(axis=0) + eps
            self.priors[c] = len(X_c) / len(X)
        return self

    def _log_joint(self, X):
        diff = X[:, None, :] - self.means
        return (-0.5 * (np.log(2 * np.pi * self.variances) + diff**2 / self.variances)).sum(-1) + np.log(self.priors)

    def predict_proba(self, X):
        log_joint = self._log_joint(X)
        p = np.exp(log_joint - log_joint.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes[self._log_joint(X).argmax(axis=1)]
