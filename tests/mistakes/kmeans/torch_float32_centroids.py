# mistake: expected float64 (keep the input's dtype)
import torch


def kmeans_clustering(data, k, num_iterations=100, init=None, seed=None):
    g = torch.Generator().manual_seed(0 if seed is None else seed)
    centroids = data[torch.randperm(data.size(0), generator=g)[:k]] if init is None else init.clone()
    for _ in range(num_iterations):
        labels = ((data[:, None, :] - centroids[None, :, :]) ** 2).sum(-1).argmin(dim=1)
        new = torch.zeros(k, data.size(1))  # default dtype float32, whatever the data's
        for j in range(k):
            new[j] = data[labels == j].mean(dim=0) if (labels == j).any() else centroids[j]
        centroids = new
    return centroids, ((data[:, None, :] - centroids[None, :, :]) ** 2).sum(-1).argmin(dim=1)
