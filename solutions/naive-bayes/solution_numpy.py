"""Gaussian naive Bayes, NumPy reference.

    log P(c | x) = log P(c) + sum_j log N(x_j; mean_cj, var_cj) - log sum_c' (the same for c')
    log N(x; m, v) = -0.5 * (log(2 pi v) + (x - m)^2 / v)

Inputs: X (n, d) floats, y (n,) class labels of any values (e.g. [3, 7]).
After `fit`: classes (k,) the sorted distinct labels, means (k, d), variances (k, d), priors (k,).
`predict_proba(X)` gives (m, k) posteriors, columns in the order of `classes`, rows summing to 1;
`predict(X)` gives (m,) labels taken from `classes`.
Conventions: per-class variances are biased (ddof=0) plus epsilon = var_smoothing * the largest
variance of any feature over all of X, as scikit-learn's `var_`; priors are class frequencies; all
work is in log space (a sum of log-densities, then a max-shifted log-sum-exp), so hundreds of
features do not underflow; arrays are indexed by class position, never by label value.
"""

import numpy as np

# Legend: n = training samples, m = query samples, d = features, k = classes


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing  # fraction of the largest feature variance added to every variance
        self.classes = None  # (k,) sorted distinct labels, set by fit
        self.means = None  # (k, d) per-class feature means
        self.variances = None  # (k, d) per-class feature variances, smoothed
        self.priors = None  # (k,) class frequencies

    def fit(self, X, y):
        dtype = np.result_type(X.dtype, np.float32)  # X's float dtype (integers become float64)
        X = X.astype(dtype, copy=False)  # (n, d) features as floats; the caller's array is never written
        self.classes, index = np.unique(y, return_inverse=True)  # (k,) labels, (n,) position of each sample's class
        k = len(self.classes)  # number of classes
        one_hot = (index[:, None] == np.arange(k)).astype(dtype)  # (n, k) 1 where sample i is in class c
        counts = one_hot.sum(axis=0)  # (k,) samples per class
        self.means = one_hot.T @ X / counts[:, None]  # (k, d) per-class mean of each feature
        centred = X - self.means[index]  # (n, d) each sample minus its own class mean
        epsilon = self.var_smoothing * X.var(axis=0).max()  # () smoothing: a share of the largest feature variance
        self.variances = one_hot.T @ centred**2 / counts[:, None] + epsilon  # (k, d) biased variance + epsilon
        self.priors = counts / len(X)  # (k,) P(c) as class frequencies
        return self  # so that model = GaussianNaiveBayes().fit(X, y) works

    def _joint_log_likelihood(self, X):
        diff = X[:, None, :] - self.means[None, :, :]  # (m, k, d) distance of each query to each class mean
        log_density = -0.5 * (np.log(2 * np.pi * self.variances) + diff**2 / self.variances)  # (m, k, d) log N(x_j; mean, var)
        return log_density.sum(axis=-1) + np.log(self.priors)  # (m, k) log P(c) + sum_j log N: no product, no underflow

    def predict_proba(self, X):
        joint = self._joint_log_likelihood(X)  # (m, k) unnormalised log posteriors
        shifted = joint - joint.max(axis=1, keepdims=True)  # (m, k) the best class gets 0: exp cannot underflow to all zeros
        weights = np.exp(shifted)  # (m, k) in (0, 1], at least one 1 per row
        return weights / weights.sum(axis=1, keepdims=True)  # (m, k) posteriors, rows sum to 1

    def predict(self, X):
        return self.classes[self._joint_log_likelihood(X).argmax(axis=1)]  # (m,) the label of the most probable class
