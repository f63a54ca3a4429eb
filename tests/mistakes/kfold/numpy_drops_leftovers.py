# mistake: the leftover n_samples % k_folds samples are dropped
import numpy as np


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    indices = np.random.default_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    fold_size = n_samples // k_folds
    for i in range(k_folds):
        val = indices[i * fold_size : (i + 1) * fold_size]
        train = np.setdiff1d(indices, val)
        yield train, val
