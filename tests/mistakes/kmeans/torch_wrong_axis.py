# mistake: the argmin runs over the points instead of the centroids
import torch


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    g = torch.Generator().manual_seed(0 if seed is None else seed)
    centroids = data[torch.randperm(data.size(0), generator=g)[:k]] if init is None else init.clone()
    for _ in range(num_iterations):
        distances = torch.sqrt(((data[:, None] - centroids[None, :]) ** 2).sum(dim=2))  # (n, k)
        closest = torch.argmin(distances, dim=0)  # as in the seed: over the points, (k,)
        for i in range(k):
            if (closest == i).any():
                centroids[i] = data[closest == i].mean(dim=0)
    distances = torch.sqrt(((data[:, None] - centroids[None, :]) ** 2).sum(dim=2))
    return centroids, torch.argmin(distances, dim=0)
