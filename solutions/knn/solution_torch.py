"""k-nearest neighbours, PyTorch reference.

    N_k(q) = the k indices i of smallest ||x_i - q||,    y_hat(q) = the most common y_i over N_k(q)

knn_find_neighbors: data (n, d), query (d,), k -> neighbors (k, d) = data[indices] on data's device
and in data's dtype, indices (k,) int64.
knn_predict: X_train (n, d), y_train (n,) integer labels, X_query (m, d), k -> labels (m,) in y_train's
dtype, on its device.
Conventions: Euclidean distance, compared squared (the square root keeps the order and could only
merge distances that differ in the last bit); nearest first, ties in index order by a stable sort;
the vote counts each of the sorted unique labels, and argmax takes the first maximum, so a tied vote
goes to the smallest label; the labels returned are y_train's values, not their positions.
"""

import torch

# Legend: n = training points, d = features, m = queries, k = neighbours, C = distinct labels


def knn_find_neighbors(data, query, k):
    sq_dist = ((data - query) ** 2).sum(dim=1)  # (n,) squared distance of every point to the query
    indices = torch.argsort(sq_dist, stable=True)[:k]  # (k,) nearest first; a stable sort keeps ties in index order
    return data[indices], indices  # (k, d), (k,)


def knn_predict(X_train, y_train, X_query, k):
    diff = X_query[:, None, :] - X_train[None, :, :]  # (m, n, d) every query minus every training point
    sq_dist = (diff**2).sum(dim=-1)  # (m, n) squared distances
    nearest = torch.argsort(sq_dist, dim=1, stable=True)[:, :k]  # (m, k) indices of each query's k nearest, ties in index order
    votes = y_train[nearest]  # (m, k) the labels of those neighbours
    classes = torch.unique(y_train, sorted=True)  # (C,) the distinct labels, sorted ascending
    counts = (votes[:, :, None] == classes).sum(dim=1)  # (m, C) votes for every label
    return classes[counts.argmax(dim=1)]  # (m,) most votes; argmax takes the first, i.e. the smallest label
