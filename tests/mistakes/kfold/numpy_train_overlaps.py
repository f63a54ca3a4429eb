# mistake: contain validation sample
import numpy as np


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    indices = np.random.default_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    sizes = np.full(k_folds, n_samples // k_folds)
    sizes[: n_samples % k_folds] += 1
    start = 0
    for size in sizes:
        stop = start + size
        yield np.concatenate([indices[:start], indices[stop - 1 :]]), indices[start:stop]  # off by one
        start = stop
