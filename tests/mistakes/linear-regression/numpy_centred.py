# mistake: the intercept was left out of the minimum norm
import numpy as np


def linear_regression(X, y):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    w = np.linalg.pinv(X - x_mean) @ (y - y_mean)  # centre, then fit the weights alone, as scikit-learn does
    return np.concatenate([[y_mean - x_mean @ w], w])
