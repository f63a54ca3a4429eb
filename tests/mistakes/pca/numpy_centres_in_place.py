# mistake: your code modified its input X given to fit in place
import numpy as np


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean = X.mean(axis=0)
        X -= self.mean  # centres the caller's array
        cov = X.T @ X / (len(X) - 1)
        values, vectors = np.linalg.eigh(cov)
        values, vectors = values[::-1], vectors[:, ::-1]
        self.components = vectors[:, : self.n_components].T
        self.explained_variance = values[: self.n_components]
        self.explained_variance_ratio = self.explained_variance / values.sum()
        return self

    def transform(self, X):
        return (X - self.mean) @ self.components.T

    def fit_transform(self, X):
        return self.fit(X.copy()).transform(X)

    def inverse_transform(self, Z):
        return Z @ self.components + self.mean
