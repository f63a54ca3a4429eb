"""k-means clustering with Lloyd's algorithm, NumPy reference.

    repeat: l_i = argmin_j ||x_i - c_j||,   c_j = mean of the x_i with l_i = j

Inputs: data (n, d); k clusters; optional init (k, d) starting centroids; seed for the starting
centroids when init is not given. Output: centroids (k, d) in data's dtype, labels (n,) integers.
Conventions: Euclidean distance (its square has the same argmin); without init, k distinct points
chosen at random (Forgy); a cluster that gets no point keeps its centroid; the loop stops early once
nothing moves (every further iteration would be the same); the returned labels are recomputed from
the returned centroids; data and init are never written to.
"""

import numpy as np

# Legend: n = points, d = features, k = clusters


def nearest_centroid(data, centroids):
    diff = data[:, None, :] - centroids[None, :, :]  # (n, k, d) every point minus every centroid
    sq_dist = (diff**2).sum(axis=-1)  # (n, k) squared Euclidean distances: same argmin as the distances
    return sq_dist.argmin(axis=1)  # (n,) for every point, its nearest centroid (argmin over the centroids)


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    n = data.shape[0]  # number of points
    if init is None:  # no starting centroids given: k distinct points at random
        rng = np.random.default_rng(seed)  # its own generator: None means fresh entropy
        picks = rng.permutation(n)[:k]  # (k,) k distinct point indices
        centroids = data[picks]  # (k, d) indexing with an array copies: data stays untouched
    else:
        centroids = np.array(init, dtype=data.dtype, copy=True)  # (k, d) a copy: the caller's init stays untouched
    for _ in range(num_iterations):  # Lloyd iterations
        labels = nearest_centroid(data, centroids)  # (n,) assignment step
        one_hot = (labels[:, None] == np.arange(k)).astype(data.dtype)  # (n, k) 1 where point i is in cluster j
        counts = one_hot.sum(axis=0)  # (k,) number of points in each cluster
        sums = one_hot.T @ data  # (k, d) sum of the points of each cluster
        means = sums / np.maximum(counts, 1)[:, None]  # (k, d) cluster means; an empty cluster divides 0 by 1, not 0 by 0
        new_centroids = np.where(counts[:, None] > 0, means, centroids)  # (k, d) an empty cluster keeps its centroid
        if np.array_equal(new_centroids, centroids):  # nothing moved: every further iteration is the same
            break  # converged: the centroids are a fixed point
        centroids = new_centroids  # (k, d) update step
    labels = nearest_centroid(data, centroids)  # (n,) labels of the returned centroids, never one update behind
    return centroids, labels  # (k, d), (n,)
