"""Linear regression by least squares (PyTorch).

    beta = argmin ||A beta - y||^2 (of least ||beta|| among the minimisers),  A = [1, X]

X: (n, d) features, y: (n,) targets; returns beta: (d + 1,), the intercept first, then one weight per
feature, with X's dtype and device.
When A^T A is singular (a duplicated or constant feature, more features than samples) many beta fit
equally well: return the minimum-norm one (the pseudo-inverse of A applied to y).
Write it with tensor operations: torch.linalg.lstsq, torch.linalg.pinv and torch.pinverse are not
allowed (torch.linalg.svd, solve and qr are).
"""

import torch


def linear_regression(X, y):
    raise NotImplementedError
