# mistake: contains NaN
import torch


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    g = torch.Generator().manual_seed(0 if seed is None else seed)
    centroids = data[torch.randperm(data.size(0), generator=g)[:k]] if init is None else init.clone()
    for _ in range(num_iterations):
        labels = torch.cdist(data, centroids).argmin(dim=1)
        centroids = torch.stack([data[labels == j].mean(dim=0) for j in range(k)])  # NaN for an empty cluster
    return centroids, torch.cdist(data, centroids).argmin(dim=1)
