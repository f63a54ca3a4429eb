# mistake: the intercept comes last instead of first
import torch


def linear_regression(X, y):
    A = torch.cat([X, torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device)], dim=1)  # ones appended
    U, s, Vt = torch.linalg.svd(A, full_matrices=False)
    s_inv = torch.where(s > torch.finfo(A.dtype).eps * max(A.shape) * s.max(), 1 / s, torch.zeros_like(s))
    return Vt.T @ (s_inv * (U.T @ y))
