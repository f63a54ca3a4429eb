"""Linear regression by least squares (NumPy).

    beta = argmin ||A beta - y||^2 (of least ||beta|| among the minimisers),  A = [1, X]

X: (n, d) features, y: (n,) targets; returns beta: (d + 1,), the intercept first, then one weight per feature.
When A^T A is singular (a duplicated or constant feature, more features than samples) many beta fit
equally well: return the minimum-norm one (the pseudo-inverse of A applied to y).
"""

import numpy as np


def linear_regression(X, y):
    raise NotImplementedError
