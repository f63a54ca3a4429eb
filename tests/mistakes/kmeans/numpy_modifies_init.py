# mistake: your code modified its input init in place
import numpy as np


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    rng = np.random.default_rng(seed)
    centroids = data[rng.choice(len(data), k, replace=False)] if init is None else init  # no copy
    for _ in range(num_iterations):
        labels = np.argmin(((data[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
        for j in range(k):
            if np.any(labels == j):
                centroids[j] = data[labels == j].mean(axis=0)  # writes into the caller's init
    labels = np.argmin(((data[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
    return centroids, labels
