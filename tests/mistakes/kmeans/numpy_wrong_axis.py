# mistake: the argmin runs over the points instead of the centroids
import numpy as np


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    rng = np.random.default_rng(seed)
    centroids = data[rng.choice(len(data), k, replace=False)] if init is None else init.copy()
    for _ in range(num_iterations):
        distances = np.sqrt(((data[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2))  # (n, k)
        labels = np.argmin(distances, axis=0)  # over the points: (k,)
        for j in range(k):
            if np.any(labels == j):
                centroids[j] = data[labels == j].mean(axis=0)
    distances = np.sqrt(((data[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2))
    return centroids, np.argmin(distances, axis=0)
