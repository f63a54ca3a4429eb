"""K-fold cross-validation split, PyTorch reference.

    indices 0..n-1 = F_1 + ... + F_k (disjoint);   fold i yields (train = all indices not in F_i, val = F_i)

Inputs: n_samples, k_folds, shuffle, seed. Output: a generator of k_folds pairs (train, val), each a 1-D
int64 tensor; len(val) = n // k + 1 for the first n % k folds and n // k for the rest.
Conventions: the folds are cut in order from one permutation of 0..n-1 (drawn with its own
torch.Generator seeded with seed, so a seed reproduces the split and torch's global state is
untouched), or from 0..n-1 itself when shuffle=False; the extra samples go to the first folds, as
scikit-learn's KFold; a bad k_folds raises ValueError at the call, before any fold is made.
"""

import torch

# Legend: n = n_samples, k = k_folds, s = size of one validation fold


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if not 2 <= k_folds <= n_samples:  # fewer than 2 folds leaves no training data; more than n leaves empty folds
        raise ValueError(f"k_folds must be between 2 and n_samples={n_samples}, got {k_folds}")  # at the call, not at the first next()
    return _folds(n_samples, k_folds, shuffle, seed)  # the generator, made only once the arguments are checked


def _folds(n_samples, k_folds, shuffle, seed):
    if shuffle:  # a fresh random order of the samples
        generator = torch.Generator()  # private random stream: the global one is left alone
        if seed is None:  # no seed: a different split on every call
            generator.seed()  # seed the stream from a non-deterministic source
        else:  # a seed: the same split on every call
            generator.manual_seed(seed)  # reproducible stream
        order = torch.randperm(n_samples, generator=generator)  # (n,) every index once, in random order
    else:  # keep the samples in their given order
        order = torch.arange(n_samples)  # (n,) 0, 1, ..., n-1
    sizes = torch.full((k_folds,), n_samples // k_folds)  # (k,) every fold gets n // k samples
    sizes[: n_samples % k_folds] += 1  # (k,) the first n % k folds take one leftover sample each
    start = 0  # where the current fold begins in `order`
    for size in sizes.tolist():  # one (train, val) pair per fold
        stop = start + size  # where the current fold ends
        val = order[start:stop]  # (s,) this fold's validation indices
        train = torch.cat([order[:start], order[stop:]])  # (n - s,) every other fold
        yield train, val  # hand out this fold
        start = stop  # the next fold begins where this one ended
