"""k-means clustering with Lloyd's algorithm (PyTorch).

    repeat: l_i = argmin_j ||x_i - c_j||,   c_j = mean of the x_i with l_i = j

data: (n, d); k: the number of clusters; init: optional (k, d) starting centroids (without it, choose
k starting centroids yourself, using `seed` for any randomness).
Returns (centroids, labels): centroids (k, d) with data's dtype and device, labels (n,) integers in 0..k-1.
Conventions: Euclidean distance. One iteration assigns every point to its nearest centroid, then moves
every centroid to the mean of its points; a cluster that gets no point keeps its centroid (never NaN).
Run num_iterations iterations (stopping early when nothing changes gives the same result). The labels
returned are the nearest of the centroids returned. data and init are left unchanged.
Write it with tensor operations.
"""

import torch


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    raise NotImplementedError
