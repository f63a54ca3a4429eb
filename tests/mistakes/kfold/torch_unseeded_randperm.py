# mistake: the same seed must give the same split
import torch


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    indices = torch.randperm(n_samples) if shuffle else torch.arange(n_samples)  # seed ignored
    sizes = torch.full((k_folds,), n_samples // k_folds)
    sizes[: n_samples % k_folds] += 1
    start = 0
    for size in sizes.tolist():
        yield torch.cat([indices[:start], indices[start + size :]]), indices[start : start + size]
        start += size
