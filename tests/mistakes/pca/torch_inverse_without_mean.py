# mistake: inverse_transform does not add the mean back
import torch


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean = X.mean(dim=0)
        Xc = X - self.mean
        _, s, vt = torch.linalg.svd(Xc, full_matrices=False)
        variances = s**2 / (X.shape[0] - 1)
        self.components = vt[: self.n_components]
        self.explained_variance = variances[: self.n_components]
        self.explained_variance_ratio = self.explained_variance / variances.sum()
        return self

    def transform(self, X):
        return (X - self.mean) @ self.components.T

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        return Z @ self.components
