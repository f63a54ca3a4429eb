# mistake: the labels come from before the last centroid update
import numpy as np


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    rng = np.random.default_rng(seed)
    centroids = data[rng.choice(len(data), k, replace=False)] if init is None else init.copy()
    for _ in range(num_iterations):
        distances = np.linalg.norm(data[:, None, :] - centroids[None, :, :], axis=2)
        labels = distances.argmin(axis=1)
        for j in range(k):
            if np.any(labels == j):
                centroids[j] = data[labels == j].mean(axis=0)
    return centroids, labels  # labels of the centroids before this last update
