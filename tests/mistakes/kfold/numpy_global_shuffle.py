# mistake: the same seed must give the same split
import numpy as np


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    indices = np.arange(n_samples)
    if shuffle:
        np.random.shuffle(indices)  # the seed is never used
    sizes = np.full(k_folds, n_samples // k_folds)
    sizes[: n_samples % k_folds] += 1
    start = 0
    for size in sizes:
        yield np.concatenate([indices[:start], indices[start + size :]]), indices[start : start + size]
        start += size
