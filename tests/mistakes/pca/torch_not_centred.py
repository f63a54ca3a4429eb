# mistake: the data is not centred (the mean is not subtracted) before the covariance
import torch


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean = X.mean(dim=0)
        cov = X.T @ X / (X.shape[0] - 1)  # X itself, not X - mean
        values, vectors = torch.linalg.eigh(cov)
        values, vectors = values.flip(0), vectors.flip(1)
        self.components = vectors[:, : self.n_components].T
        self.explained_variance = values[: self.n_components]
        self.explained_variance_ratio = self.explained_variance / values.sum()
        return self

    def transform(self, X):
        return (X - self.mean) @ self.components.T

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        return Z @ self.components + self.mean
