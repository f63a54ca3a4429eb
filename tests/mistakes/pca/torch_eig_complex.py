# mistake: the covariance is symmetric: eigh (not eig) gives real eigenvalues and eigenvectors
import torch


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean = X.mean(dim=0)
        Xc = X - self.mean
        cov = Xc.T @ Xc / (X.shape[0] - 1)
        values, vectors = torch.linalg.eig(cov)  # complex tensors, in no particular order
        order = torch.argsort(values.real, descending=True)
        values, vectors = values[order], vectors[:, order]
        self.components = vectors[:, : self.n_components].T
        self.explained_variance = values[: self.n_components]
        self.explained_variance_ratio = self.explained_variance / values.sum()
        return self

    def transform(self, X):
        return (X - self.mean).to(self.components.dtype) @ self.components.T

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        return Z @ self.components + self.mean
