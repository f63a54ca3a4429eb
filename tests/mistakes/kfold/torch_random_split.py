# mistake: is not allowed in this kata
import torch
from torch.utils.data import random_split


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    sizes = [n_samples // k_folds + (i < n_samples % k_folds) for i in range(k_folds)]
    generator = torch.Generator().manual_seed(0 if seed is None else seed)
    folds = [torch.tensor(s.indices) for s in random_split(range(n_samples), sizes, generator=generator)]
    for i, val in enumerate(folds):
        yield torch.cat([f for j, f in enumerate(folds) if j != i]), val
