# mistake: a singular value that is rounding noise was inverted
import torch


def linear_regression(X, y):
    A = torch.cat([torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device), X], dim=1)
    U, s, Vt = torch.linalg.svd(A, full_matrices=False)
    s_inv = torch.where(s > 1e-12, 1.0 / s, torch.zeros_like(s))  # a fixed cutoff: fine in float64, not in float32
    return Vt.T @ (s_inv * (U.T @ y))
