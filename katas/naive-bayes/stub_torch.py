"""Gaussian naive Bayes (PyTorch).

    log P(c | x) = log P(c) + sum_j log N(x_j; mean_cj, var_cj) - log sum_c' (the same for c')
    log N(x; m, v) = -0.5 * (log(2 pi v) + (x - m)^2 / v)

X: (n, d) float tensor, y: (n,) integer class labels of any values (e.g. [3, 7]).
fit(X, y) stores classes (k,) the sorted distinct labels, means (k, d), variances (k, d) and priors (k,),
the float ones in X's dtype and on X's device, and returns self. Variances are biased (ddof=0, i.e.
correction=0; torch's .var() is unbiased by default) plus epsilon = var_smoothing * the largest
variance of any feature over all of X (as scikit-learn's var_); priors are the class frequencies.
predict_proba(X) returns (m, k) posteriors in X's dtype, columns in the order of `classes`, each row
summing to 1; predict(X) returns (m,) labels taken from `classes`. Hundreds of features must not underflow.
Write it with tensor operations (no NumPy round trips, no scikit-learn).
"""

import torch


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        raise NotImplementedError

    def fit(self, X, y):
        raise NotImplementedError

    def predict_proba(self, X):
        raise NotImplementedError

    def predict(self, X):
        raise NotImplementedError
