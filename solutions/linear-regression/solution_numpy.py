"""Linear regression by least squares, NumPy reference.

    beta = argmin ||A beta - y||^2 (of least ||beta|| among the minimisers),  A = [1, X]
    beta = A^+ y = V diag(1 / s) U^T y   where A = U diag(s) V^T (thin SVD)

Inputs: X (n, d) features, y (n,) targets. Output: beta (d + 1,), the intercept first, in X's dtype.
Conventions: the minimum-norm least-squares solution, which is also the unique one when A has full
column rank. Singular values at or below eps * max(n, d + 1) * s_max (eps of the input's dtype, as
numpy.linalg.lstsq and torch.linalg.pinv choose) are rounding noise of zeros: their directions are
dropped instead of inverted. The SVD never forms A^T A, so it does not square A's condition number.
"""

import numpy as np

# Legend: n = samples, d = features, p = d + 1 coefficients (intercept first), r = min(n, p)


def linear_regression(X, y):
    n = X.shape[0]  # number of samples
    A = np.concatenate([np.ones((n, 1), dtype=X.dtype), X], axis=1)  # (n, p) design matrix: a column of ones for the intercept
    U, s, Vt = np.linalg.svd(A, full_matrices=False)  # U (n, r), s (r,), Vt (r, p): A = U diag(s) Vt
    cutoff = np.finfo(A.dtype).eps * max(A.shape) * s.max()  # singular values below this are zeros lost in rounding
    keep = s > cutoff  # (r,) directions that A really stretches
    safe = np.where(keep, s, 1.0)  # (r,) the dropped values replaced by 1: no division by zero below
    s_inv = np.where(keep, 1.0 / safe, 0.0)  # (r,) 1/s on kept directions, 0 on the null space: minimum norm
    return Vt.T @ (s_inv * (U.T @ y))  # (p,) beta = V diag(s_inv) U^T y, the pseudo-inverse applied to y
