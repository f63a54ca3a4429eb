"""k-nearest neighbours (NumPy).

    N_k(q) = the k indices i of smallest ||x_i - q||,    y_hat(q) = the most common y_i over N_k(q)

knn_find_neighbors(data, query, k): data (n, d), query (d,), 1 <= k <= n.
    Returns (neighbors, indices): neighbors (k, d) = data[indices], indices (k,) integers,
    nearest first; points at equal distance in index order (smaller index first).
knn_predict(X_train, y_train, X_query, k): X_train (n, d), y_train (n,) integer labels (any values,
    not necessarily 0..C-1), X_query (m, d). Returns (m,) labels: for every query the majority label
    of its k nearest training points; a tied vote goes to the smallest label.
Conventions: Euclidean distance; the inputs are left unchanged.
"""

import numpy as np


def knn_find_neighbors(data, query, k):
    raise NotImplementedError


def knn_predict(X_train, y_train, X_query, k):
    raise NotImplementedError
