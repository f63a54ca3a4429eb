"""K-fold cross-validation split (NumPy).

    indices 0..n-1 = F_1 + ... + F_k (disjoint);   fold i yields (train = all indices not in F_i, val = F_i)

k_fold_split(n_samples, k_folds, shuffle=True, seed=None) yields k_folds pairs (train_indices, val_indices),
each a 1-D integer np.ndarray. The validation folds are disjoint and together hold every index exactly
once; train is the complement of val. The first n_samples % k_folds folds hold one extra sample (as
scikit-learn). shuffle=False gives contiguous folds in order (0..), shuffle=True a permutation drawn from
np.random.default_rng(seed), so the same seed gives the same split. The order inside a fold is free.
k_folds < 2 or k_folds > n_samples raises ValueError.
"""

import numpy as np


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    raise NotImplementedError
