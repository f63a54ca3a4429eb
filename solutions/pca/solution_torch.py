"""Principal component analysis, PyTorch reference.

    C = (X - mean)^T (X - mean) / (n - 1) = V diag(lambda) V^T     (eigenvalues lambda sorted descending)
    transform:          Z = (X - mean) @ components.T
    inverse_transform:  X_hat = Z @ components + mean

Inputs: X (n, d) to fit and transform, Z (m, k) to map back. After fit: components (k, d) with
orthonormal rows, mean (d,), explained_variance (k,), explained_variance_ratio (k,), all tensors on
X's device and in X's dtype.
Conventions: the covariance divides by n - 1 (as scikit-learn); the symmetric covariance goes to
eigh, which returns real eigenvalues in ascending order and orthonormal eigenvectors as columns, so
both are reversed; the ratio divides by the total variance of all d directions (the trace of C);
each component keeps the sign eigh gives it (the sign is free).
"""

import torch

# Legend: n = training samples, m = samples to transform, d = features, k = n_components


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components  # k, how many directions to keep
        self.components = None  # (k, d) principal axes as rows, largest variance first
        self.mean = None  # (d,) per-feature mean of the training data
        self.explained_variance = None  # (k,) variance of the data along each component
        self.explained_variance_ratio = None  # (k,) share of the total variance per component

    def fit(self, X):
        n = X.shape[0]  # number of training samples
        self.mean = X.mean(dim=0)  # (d,) centre of the training data
        Xc = X - self.mean  # (n, d) centred copy: X itself is left untouched
        cov = Xc.T @ Xc / (n - 1)  # (d, d) sample covariance, unbiased as scikit-learn's
        eigenvalues, eigenvectors = torch.linalg.eigh(cov)  # (d,), (d, d) real, ascending, orthonormal columns
        eigenvalues = eigenvalues.flip(0).clamp(min=0.0)  # (d,) largest first; rounding can leave ~0 ones slightly negative
        eigenvectors = eigenvectors.flip(1)  # (d, d) columns in the same, descending order
        self.components = eigenvectors[:, : self.n_components].T  # (k, d) the top-k eigenvectors as rows
        self.explained_variance = eigenvalues[: self.n_components]  # (k,) variance along each kept direction
        self.explained_variance_ratio = self.explained_variance / eigenvalues.sum()  # (k,) over the variance of all d directions
        return self  # so that PCA(k).fit(X).transform(X) chains

    def transform(self, X):
        return (X - self.mean) @ self.components.T  # (m, k) coordinates of the centred data along each component

    def fit_transform(self, X):
        return self.fit(X).transform(X)  # (n, k) fit, then project the same data

    def inverse_transform(self, Z):
        return Z @ self.components + self.mean  # (m, d) back to feature space, the mean added back
