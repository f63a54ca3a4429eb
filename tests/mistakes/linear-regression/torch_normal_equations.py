# mistake: so A^T A (and the R of its QR) is singular
import torch


def linear_regression(X, y):
    A = torch.cat([torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device), X], dim=1)
    return torch.linalg.solve(A.T @ A, A.T @ y)  # fails when A^T A is singular
