"""K-fold cross-validation split (PyTorch).

    indices 0..n-1 = F_1 + ... + F_k (disjoint);   fold i yields (train = all indices not in F_i, val = F_i)

k_fold_split(n_samples, k_folds, shuffle=True, seed=None) yields k_folds pairs (train_indices, val_indices),
each a 1-D integer torch.Tensor (int64, as torch.randperm gives). The validation folds are disjoint and
together hold every index exactly once; train is the complement of val. The first n_samples % k_folds
folds hold one extra sample (as scikit-learn). shuffle=False gives contiguous folds in order (0..),
shuffle=True a permutation drawn with a torch.Generator seeded with seed, so the same seed gives the
same split. The order inside a fold is free. k_folds < 2 or k_folds > n_samples raises ValueError.
Write it with tensor operations: torch.utils.data.random_split is not allowed.
"""

import torch


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    raise NotImplementedError
