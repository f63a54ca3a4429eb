# mistake: explained_variance_ratio divides by the variance of the kept components only
import numpy as np


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean = X.mean(axis=0)
        Xc = X - self.mean
        _, s, vt = np.linalg.svd(Xc, full_matrices=False)
        self.components = vt[: self.n_components]
        self.explained_variance = s[: self.n_components] ** 2 / (len(X) - 1)
        self.explained_variance_ratio = self.explained_variance / self.explained_variance.sum()
        return self

    def transform(self, X):
        return (X - self.mean) @ self.components.T

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        return Z @ self.components + self.mean
