"""k-means clustering with Lloyd's algorithm, PyTorch reference.

    repeat: l_i = argmin_j ||x_i - c_j||,   c_j = mean of the x_i with l_i = j

Inputs: data (n, d); k clusters; optional init (k, d) starting centroids; seed for the starting
centroids when init is not given. Output: centroids (k, d) on data's device and in data's dtype,
labels (n,) int64.
Conventions: Euclidean distance (its square has the same argmin); without init, k distinct points
chosen at random (Forgy) by a generator of their own (the global RNG is left alone); a cluster that
gets no point keeps its centroid; the loop stops early once nothing moves (every further iteration
would be the same); the returned labels are recomputed from the returned centroids; data and init are
never written to.
"""

import torch

# Legend: n = points, d = features, k = clusters


def nearest_centroid(data, centroids):
    diff = data[:, None, :] - centroids[None, :, :]  # (n, k, d) every point minus every centroid
    sq_dist = (diff**2).sum(dim=-1)  # (n, k) squared Euclidean distances: same argmin as the distances
    return sq_dist.argmin(dim=1)  # (n,) for every point, its nearest centroid (argmin over the centroids)


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    n = data.shape[0]  # number of points
    if init is None:  # no starting centroids given: k distinct points at random
        generator = torch.Generator()  # its own generator: the global RNG is left alone
        if seed is None:  # no seed: fresh entropy, as np.random.default_rng(None)
            generator.seed()  # non-deterministic seed
        else:
            generator.manual_seed(seed)  # reproducible choice
        picks = torch.randperm(n, generator=generator)[:k].to(data.device)  # (k,) k distinct point indices
        centroids = data[picks]  # (k, d) indexing with a tensor copies: data stays untouched
    else:
        centroids = init.to(dtype=data.dtype, device=data.device, copy=True)  # (k, d) a copy: the caller's init stays untouched
    for _ in range(num_iterations):  # Lloyd iterations
        labels = nearest_centroid(data, centroids)  # (n,) assignment step
        one_hot = (labels[:, None] == torch.arange(k, device=data.device)).to(data.dtype)  # (n, k) 1 where point i is in cluster j
        counts = one_hot.sum(dim=0)  # (k,) number of points in each cluster
        sums = one_hot.T @ data  # (k, d) sum of the points of each cluster
        means = sums / counts.clamp(min=1)[:, None]  # (k, d) cluster means; an empty cluster divides 0 by 1, not 0 by 0
        new_centroids = torch.where(counts[:, None] > 0, means, centroids)  # (k, d) an empty cluster keeps its centroid
        if torch.equal(new_centroids, centroids):  # nothing moved: every further iteration is the same
            break  # converged: the centroids are a fixed point
        centroids = new_centroids  # (k, d) update step
    labels = nearest_centroid(data, centroids)  # (n,) labels of the returned centroids, never one update behind
    return centroids, labels  # (k, d), (n,)
