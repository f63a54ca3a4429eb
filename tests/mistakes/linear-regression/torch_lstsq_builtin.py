# mistake: is not allowed in this kata
import torch


def linear_regression(X, y):
    A = torch.cat([torch.ones(X.shape[0], 1, dtype=X.dtype), X], dim=1)
    return torch.linalg.lstsq(A, y[:, None], driver="gelsd").solution[:, 0]
