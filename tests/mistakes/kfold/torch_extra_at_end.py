# mistake: the validation folds come out smallest first
import torch


def k_fold_split(n_samples, k_folds, shuffle=True, seed=None):
    if k_folds < 2 or k_folds > n_samples:
        raise ValueError("need 2 <= k_folds <= n_samples")
    generator = torch.Generator()
    generator.manual_seed(seed) if seed is not None else generator.seed()
    indices = torch.randperm(n_samples, generator=generator) if shuffle else torch.arange(n_samples)
    sizes = torch.full((k_folds,), n_samples // k_folds)
    sizes[k_folds - n_samples % k_folds :] += 1  # the extra samples go to the last folds
    start = 0
    for size in sizes.tolist():
        yield torch.cat([indices[:start], indices[start + size :]]), indices[start : start + size]
        start += size
