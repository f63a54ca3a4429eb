"""Gaussian naive Bayes (NumPy).

    log P(c | x) = log P(c) + sum_j log N(x_j; mean_cj, var_cj) - log sum_c' (the same for c')
    log N(x; m, v) = -0.5 * (log(2 pi v) + (x - m)^2 / v)

X: (n, d) floats, y: (n,) class labels of any values (e.g. [3, 7]).
fit(X, y) stores classes (k,) the sorted distinct labels, means (k, d), variances (k, d) and priors (k,),
and returns self. Variances are biased (ddof=0) plus epsilon = var_smoothing * the largest variance
of any feature over all of X (as scikit-learn's var_); priors are the class frequencies.
predict_proba(X) returns (m, k) posteriors, columns in the order of `classes`, each row summing to 1;
predict(X) returns (m,) labels taken from `classes`. Hundreds of features must not underflow.
"""

import numpy as np


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        raise NotImplementedError

    def fit(self, X, y):
        raise NotImplementedError

    def predict_proba(self, X):
        raise NotImplementedError

    def predict(self, X):
        raise NotImplementedError
