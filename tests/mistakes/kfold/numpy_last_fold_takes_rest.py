# mistake: the last fold takes all the leftover samples
import numpy as np


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    indices = np.random.default_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    fold_size = n_samples // k_folds
    for i in range(k_folds):
        start = i * fold_size
        stop = n_samples if i == k_folds - 1 else start + fold_size  # the remainder piles up at the end
        yield np.concatenate([indices[:start], indices[stop:]]), indices[start:stop]
