# mistake: non-finite
import numpy as np


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        self.classes = np.unique(y)
        eps = self.var_smoothing * X.var(axis=0).max()
        groups = [X[y == c] for c in self.classes]
        self.means = np.array([g.mean(axis=0) for g in groups])
        self.variances = np.array([g.var(axis=0) for g in groups]) + eps
        self.priors = np.array([len(g) / len(X) for g in groups])
        return self

    def predict_proba(self, X):
        diff = X[:, None, :] - self.means
        density = np.exp(-(diff**2) / (2 * self.variances)) / np.sqrt(2 * np.pi * self.variances)
        joint = self.priors * density.prod(axis=-1)  # underflows to 0 with many features
        return joint / joint.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes[self.predict_proba(X).argmax(axis=1)]
