# mistake: the intercept is missing
import numpy as np


def linear_regression(X, y):
    return np.linalg.pinv(X) @ y  # no column of ones: the line is forced through the origin
