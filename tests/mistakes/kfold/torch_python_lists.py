# mistake: should be a torch.Tensor, got list
import torch


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    generator = torch.Generator()
    generator.manual_seed(seed) if seed is not None else generator.seed()
    indices = (torch.randperm(n_samples, generator=generator) if shuffle else torch.arange(n_samples)).tolist()
    sizes = [n_samples // k_folds + (i < n_samples % k_folds) for i in range(k_folds)]
    start = 0
    for size in sizes:
        yield indices[:start] + indices[start + size :], indices[start : start + size]
        start += size
