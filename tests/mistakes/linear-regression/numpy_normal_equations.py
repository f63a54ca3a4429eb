# mistake: so A^T A (and the R of its QR) is singular
import numpy as np


def linear_regression(X, y):
    A = np.concatenate([np.ones((X.shape[0], 1)), X], axis=1)
    return np.linalg.inv(A.T @ A) @ A.T @ y  # the seed's formula: fails when A^T A is singular
