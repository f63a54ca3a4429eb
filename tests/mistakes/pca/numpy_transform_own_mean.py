# mistake: transform centres the new data with its own mean instead of the mean learned in fit
import numpy as np


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean = X.mean(axis=0)
        Xc = X - self.mean
        values, vectors = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
        values, vectors = values[::-1], vectors[:, ::-1]
        self.components = vectors[:, : self.n_components].T
        self.explained_variance = values[: self.n_components]
        self.explained_variance_ratio = self.explained_variance / values.sum()
        return self

    def transform(self, X):
        return (X - X.mean(axis=0)) @ self.components.T

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        return Z @ self.components + self.mean
