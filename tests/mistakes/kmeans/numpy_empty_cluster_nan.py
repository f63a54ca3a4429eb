# mistake: contains NaN
import numpy as np


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    rng = np.random.default_rng(seed)
    centroids = data[rng.choice(len(data), k, replace=False)] if init is None else init.copy()
    for _ in range(num_iterations):
        labels = np.argmin(((data[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
        centroids = np.array([data[labels == j].mean(axis=0) for j in range(k)])  # NaN for an empty cluster
    labels = np.argmin(((data[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
    return centroids, labels
