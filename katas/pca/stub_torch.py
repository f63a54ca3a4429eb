"""Principal component analysis (PyTorch).

    C = (X - mean)^T (X - mean) / (n - 1) = V diag(lambda) V^T     (eigenvalues lambda sorted descending)
    transform:          Z = (X - mean) @ components.T
    inverse_transform:  X_hat = Z @ components + mean

X: (n, d); transform returns (m, k), inverse_transform takes (m, k) and returns (m, d), all with X's
dtype and device. After fit(X) (which returns self) the model holds tensors:
    components                (k, d)  orthonormal rows, real, the directions of largest variance first
    mean                      (d,)    the per-feature mean of the training data
    explained_variance        (k,)    variance along each component (covariance with n - 1, as scikit-learn)
    explained_variance_ratio  (k,)    explained_variance / total variance over ALL d directions
Each component's sign is free. The inputs are left unchanged.
Write it with tensor operations: torch.pca_lowrank is not allowed.
"""

import torch


class PCA:
    def __init__(self, n_components):
        raise NotImplementedError

    def fit(self, X):
        raise NotImplementedError

    def transform(self, X):
        raise NotImplementedError

    def fit_transform(self, X):
        raise NotImplementedError

    def inverse_transform(self, Z):
        raise NotImplementedError
