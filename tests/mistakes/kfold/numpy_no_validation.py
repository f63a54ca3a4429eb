# mistake: expected a ValueError (more folds than samples)
import numpy as np


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    indices = np.random.default_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    for val in np.array_split(indices, k_folds):  # empty folds when k_folds > n_samples
        yield np.setdiff1d(indices, val), val
