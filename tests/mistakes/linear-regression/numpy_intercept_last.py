# mistake: the intercept comes last instead of first
import numpy as np


def linear_regression(X, y):
    A = np.concatenate([X, np.ones((X.shape[0], 1))], axis=1)  # ones appended instead of prepended
    return np.linalg.pinv(A) @ y
