"""Hidden suite: k-fold cross-validation split (one suite, both backends).

Oracles: properties that hold for every random stream (validation folds disjoint and covering, train the
complement, fold sizes n // k + 1 for the first n % k folds as scikit-learn's KFold), hand-written
contiguous folds for shuffle=False, and reproducibility for a fixed seed. The order inside a fold is
free: folds are compared as sorted index sets.
"""

import numpy as np
import pytest

from mlkata.backends import NumpyBackend
from mlkata.testing import ResultMismatch, as_result, assert_equal

NUMPY = NumpyBackend()  # compares values the suite derives from the attempt's (already type-checked) indices

CASES = [  # (n_samples, k_folds)
    pytest.param(10, 5, id="10-samples-5-folds"),
    pytest.param(10, 3, id="10-samples-3-folds"),
    pytest.param(23, 5, id="23-samples-5-folds"),
    pytest.param(7, 7, id="leave-one-out"),
    pytest.param(101, 4, id="101-samples-4-folds"),
]
SHUFFLE = [pytest.param(True, id="shuffled"), pytest.param(False, id="in-order")]


def expected_sizes(n, k):
    """scikit-learn's KFold: n // k each, one more for each of the first n % k folds."""
    return np.array([n // k + 1] * (n % k) + [n // k] * (k - n % k))


def index_array(got, backend, what, n):
    arr = as_result(got, backend, what)
    if arr.dtype.kind not in "iu":
        raise ResultMismatch(f"{what} have dtype {arr.dtype}; indices must be integers")
    if arr.ndim != 1:
        raise ResultMismatch(f"{what} have shape {tuple(arr.shape)}; expected a 1-D array of indices")
    outside = arr[(arr < 0) | (arr >= n)]
    if outside.size:
        raise ResultMismatch(f"{what} contain {int(outside[0])}, which is not an index of {n} samples (0..{n - 1})")
    return arr.astype(np.int64)


def split(impl, backend, n, k, **kwargs):
    """Run the attempt, check the shape of what it yields, return [(train, val), ...] as NumPy."""
    call = f"k_fold_split({n}, {k}{''.join(f', {key}={value!r}' for key, value in kwargs.items())})"
    result = impl.k_fold_split(n, k, **kwargs)
    if result is None:
        raise ResultMismatch(f"{call} returned None: yield (or return) the (train_indices, val_indices) pairs")
    pairs = list(result)
    if len(pairs) != k:
        raise ResultMismatch(f"{call} gave {len(pairs)} (train, val) pairs; expected {k}, one per fold")
    folds = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ResultMismatch(f"{call} yielded {type(pair).__name__} for fold {i}; expected a pair (train_indices, val_indices)")
        train = index_array(pair[0], backend, f"the train indices of fold {i}", n)
        val = index_array(pair[1], backend, f"the validation indices of fold {i}", n)
        folds.append((train, val))
    return folds


def check_partition(folds, n):
    """Every index is validated exactly once; each fold trains on exactly the other indices."""
    counts = np.bincount(np.concatenate([val for _, val in folds]), minlength=n)
    if (counts == 0).any():
        missing = np.flatnonzero(counts == 0)
        raise ResultMismatch(
            f"sample {missing[0]} is in no validation fold ({missing.size} of {n} samples are never validated); "
            "every sample must be validated exactly once"
        )
    if (counts > 1).any():
        twice = np.flatnonzero(counts > 1)[0]
        raise ResultMismatch(f"sample {twice} is in {counts[twice]} validation folds; the validation folds must be disjoint")
    for i, (train, val) in enumerate(folds):
        in_val = np.isin(train, val)
        if in_val.any():
            raise ResultMismatch(
                f"the train indices of fold {i} contain validation sample {train[in_val][0]}: train must leave the fold out"
            )
        if len(np.unique(train)) != len(train):
            values, times = np.unique(train, return_counts=True)
            raise ResultMismatch(f"the train indices of fold {i} repeat sample {values[times > 1][0]}")
        absent = np.setdiff1d(np.arange(n), np.concatenate([train, val]))
        if absent.size:
            raise ResultMismatch(
                f"sample {absent[0]} is neither in the train nor in the validation indices of fold {i}: train is every other sample"
            )


def fold_sets(folds):
    return [tuple(np.sort(val)) for _, val in folds]


def contiguous(n, k):
    stops = np.cumsum(expected_sizes(n, k))
    return [tuple(range(stop - size, stop)) for stop, size in zip(stops, expected_sizes(n, k))]


def check_sizes(folds, n, k):
    sizes = np.array([len(val) for _, val in folds])
    base, extra = n // k, n % k
    last_takes_rest = [base] * (k - 1) + [n - base * (k - 1)]
    extra_at_end = [base] * (k - extra) + [base + 1] * extra
    mistakes = {
        "the last fold takes all the leftover samples: each of the first n_samples % k_folds folds should take one": last_takes_rest,
        "the validation folds come out smallest first: the first n_samples % k_folds folds should hold the extra samples": extra_at_end,
        "the leftover n_samples % k_folds samples are dropped: the first n_samples % k_folds folds should take one each": [base] * k,
    }
    mistakes = {text: value for text, value in mistakes.items() if value != expected_sizes(n, k).tolist()}
    assert_equal(
        sizes, expected_sizes(n, k), NUMPY, what=f"the list of validation fold sizes for n_samples={n}, k_folds={k}", mistakes=mistakes
    )


# -- tests -----------------------------------------------------------------------------------------
def test_matches_seed_example(impl, backend):
    # The seed's check: 10 samples, 5 folds -> 5 folds whose validation indices together hold all 10.
    folds = split(impl, backend, 10, 5)
    assert_equal(np.sort(np.concatenate([val for _, val in folds])), np.arange(10), NUMPY, what="all validation indices, sorted")


@pytest.mark.parametrize("shuffle", SHUFFLE)
@pytest.mark.parametrize("n,k", CASES)
def test_validation_folds_are_disjoint_and_cover_every_sample(impl, backend, n, k, shuffle):
    check_partition(split(impl, backend, n, k, shuffle=shuffle, seed=0), n)


@pytest.mark.parametrize("n,k", CASES)
def test_train_is_the_complement_of_validation(impl, backend, n, k):
    for i, (train, val) in enumerate(split(impl, backend, n, k, seed=1)):
        assert_equal(np.sort(train), np.setdiff1d(np.arange(n), val), NUMPY, what=f"the sorted train indices of fold {i}")


@pytest.mark.parametrize("shuffle", SHUFFLE)
@pytest.mark.parametrize("n,k", [(10, 3), (23, 5), (14, 4), (8, 8)], ids=["10-by-3", "23-by-5", "14-by-4", "8-by-8"])
def test_fold_sizes_differ_by_at_most_one_larger_first(impl, backend, n, k, shuffle):
    # 10 by 3 -> [4, 3, 3]; 23 by 5 -> [5, 5, 5, 4, 4]; 14 by 4 -> [4, 4, 3, 3]; 8 by 8 -> [1] * 8.
    check_sizes(split(impl, backend, n, k, shuffle=shuffle, seed=2), n, k)


@pytest.mark.parametrize("n,k", [(10, 3), (9, 3), (23, 5)], ids=["10-by-3", "9-by-3", "23-by-5"])
def test_without_shuffle_folds_are_contiguous_and_in_order(impl, backend, n, k):
    # 10 by 3: validation folds [0, 1, 2, 3], [4, 5, 6], [7, 8, 9], and each train the rest, in order.
    folds = split(impl, backend, n, k, shuffle=False)
    for i, ((train, val), block) in enumerate(zip(folds, contiguous(n, k))):
        assert_equal(np.sort(val), np.array(block), NUMPY, what=f"the sorted validation indices of fold {i} with shuffle=False")
        assert_equal(
            np.sort(train), np.setdiff1d(np.arange(n), block), NUMPY, what=f"the sorted train indices of fold {i} with shuffle=False"
        )


def test_without_shuffle_the_seed_does_not_matter(impl, backend):
    for seed in (None, 0, 7):
        got = fold_sets(split(impl, backend, 12, 4, shuffle=False, seed=seed))
        if got != contiguous(12, 4):
            raise ResultMismatch(
                f"with shuffle=False and seed={seed} the validation folds are {[list(f) for f in got]}; expected contiguous blocks in order"
            )


@pytest.mark.parametrize("seed", [0, 7, 2024])
def test_same_seed_gives_same_folds(impl, backend, seed):
    first = split(impl, backend, 25, 4, seed=seed)
    second = split(impl, backend, 25, 4, seed=seed)
    for i, ((train_a, val_a), (train_b, val_b)) in enumerate(zip(first, second)):
        if set(val_a.tolist()) != set(val_b.tolist()) or set(train_a.tolist()) != set(train_b.tolist()):
            raise ResultMismatch(
                f"two calls with seed={seed} gave different folds "
                f"(fold {i}: validation {sorted(val_a.tolist())} then {sorted(val_b.tolist())}); "
                "the same seed must give the same split: draw from np.random.default_rng(seed) / a torch.Generator seeded with seed"
            )


def test_shuffle_is_on_by_default_and_shuffles(impl, backend):
    # 30 samples in 3 folds: a shuffled split gives the contiguous blocks 0-9, 10-19, 20-29 with
    # probability 1 / 5.5e12, so getting them back means the indices were not shuffled.
    blocks = sorted(contiguous(30, 3))
    for kwargs in ({}, {"seed": 0}, {"shuffle": True, "seed": 1}):
        call = f"k_fold_split(30, 3{''.join(f', {key}={value!r}' for key, value in kwargs.items())})"
        got = split(impl, backend, 30, 3, **kwargs)
        check_partition(got, 30)
        if sorted(fold_sets(got)) == blocks:
            raise ResultMismatch(
                f"{call} gave the contiguous blocks 0-9, 10-19, 20-29: shuffle is True by default and must permute the indices"
            )


def test_different_seeds_give_different_folds(impl, backend):
    # Five seeds giving the same shuffled split of 40 samples would mean the seed is ignored (chance ~ 1e-40).
    splits = {tuple(fold_sets(split(impl, backend, 40, 4, seed=seed))) for seed in range(5)}
    if len(splits) == 1:
        raise ResultMismatch("seeds 0, 1, 2, 3 and 4 all gave the same folds; the seed must choose the permutation")


@pytest.mark.parametrize(
    "n,k,why",
    [
        (3, 5, "more folds than samples"),
        (10, 1, "a single fold leaves no training data"),
        (10, 0, "no folds at all"),
        (4, -2, "a negative fold count"),
    ],
    ids=["more-folds-than-samples", "one-fold", "zero-folds", "negative-folds"],
)
def test_bad_fold_counts_raise_value_error(impl, backend, n, k, why):
    # The error may come at the call or at the first next() of a generator.
    try:
        list(impl.k_fold_split(n, k))
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        raise ResultMismatch(f"k_fold_split({n}, {k}) raised {type(exc).__name__}: {exc}; expected a ValueError ({why})") from None
    raise ResultMismatch(f"k_fold_split({n}, {k}) raised no error; expected a ValueError ({why})")


@pytest.mark.backend("torch")
def test_indices_index_a_tensor(impl, backend):
    # The indices are integer tensors that select rows of a tensor on their own.
    import torch

    X = torch.arange(12.0).reshape(6, 2)
    for i, (train, val) in enumerate(impl.k_fold_split(6, 3, seed=3)):
        for name, idx in (("train", train), ("validation", val)):
            as_result(idx, backend, f"the {name} indices of fold {i}")
            if idx.dtype in (torch.bool, torch.uint8) or idx.is_floating_point():
                raise ResultMismatch(
                    f"the {name} indices of fold {i} have dtype {idx.dtype}; expected an integer dtype such as torch.int64"
                )
            assert X[idx].shape == (len(idx), 2)
