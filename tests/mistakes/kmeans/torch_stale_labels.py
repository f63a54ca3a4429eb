# mistake: the labels come from before the last centroid update
import torch


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    g = torch.Generator().manual_seed(0 if seed is None else seed)
    centroids = data[torch.randperm(data.size(0), generator=g)[:k]] if init is None else init.clone()
    for _ in range(num_iterations):
        labels = ((data[:, None, :] - centroids[None, :, :]) ** 2).sum(-1).argmin(dim=1)
        one_hot = torch.nn.functional.one_hot(labels, k).to(data.dtype)
        counts = one_hot.sum(0)
        means = one_hot.T @ data / counts.clamp(min=1)[:, None]
        centroids = torch.where(counts[:, None] > 0, means, centroids)
    return centroids, labels
