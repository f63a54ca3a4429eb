"""Hidden suite: k-means clustering with Lloyd's algorithm (one suite, both backends).

Oracles: `lloyd`, an independent loop over points and centroids in float64 (also run with the classic
mistakes switched on, so that a failure can name them); the blob means and memberships a case is built
from; the fixed-point properties (every label is the nearest centroid, every centroid the mean of its
points), checked point by point.

The seed document's sketches: the NumPy one leaves NaN centroids for empty clusters (the mean of no
point) and returns the labels of the next-to-last centroids; the torch one also takes the argmin over
the wrong axis (over the points, one "label" per centroid). Its only test (k distinct labels for 100
uniform points) is kept as test_matches_seed_example.
"""

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_equal, assert_unchanged

DTYPES = ["float64", "float32"]

# 24 points round three loose blobs centred near (0, 0), (4, 1) and (1, 4), one decimal each. Lloyd's
# algorithm from the first three points (all in the blob at the origin) needs 7 iterations; at every
# iteration each point's nearest centroid wins by more than 3% of the squared distance, so float32
# rounding cannot flip an assignment.
DATA = np.array([
    [0.3, 1.1], [-1.4, -1.4], [-1.4, 0.0], [4.0, 4.0], [5.6, 0.4], [1.4, 4.2], [2.5, 5.1], [2.1, 0.6],
    [4.8, 0.3], [-0.7, -0.1], [-0.9, 0.3], [-0.7, 2.7], [5.3, -0.1], [0.1, 4.0], [0.3, 5.3], [3.5, -0.1],
    [4.9, -0.1], [0.1, 1.7], [4.0, 0.7], [0.1, 0.2], [-0.4, 5.4], [-2.1, -0.6], [6.0, -1.0], [-0.1, 3.2],
])  # fmt: skip
INIT = DATA[:3]

WRONG_AXIS = "the argmin runs over the points instead of the centroids (every point needs the index of its nearest centroid)"
STALE = "the labels come from before the last centroid update (recompute them from the centroids you return)"
EMPTY_TO_ZERO = "an empty cluster's centroid was reset to zero; it should keep its previous centroid"


def sq_dist(a, b):
    return sum((x - y) ** 2 for x, y in zip(a, b))


def lloyd(data, init, num_iterations, mistake=None):
    """Oracle: Lloyd's algorithm one point and one centroid at a time, in float64.

    mistake: None, STALE (labels of the next-to-last centroids), EMPTY_TO_ZERO (an empty cluster's
    centroid becomes 0) or WRONG_AXIS (the argmin over the points; only runs when n == k).
    """
    X = np.asarray(data, dtype=np.float64).tolist()
    C = np.asarray(init, dtype=np.float64).tolist()
    n, k, d = len(X), len(C), len(X[0])

    def assign(C):
        if mistake == WRONG_AXIS:  # for every centroid, its nearest point
            return [min(range(n), key=lambda i: sq_dist(X[i], C[j])) for j in range(k)]
        return [min(range(k), key=lambda j: sq_dist(X[i], C[j])) for i in range(n)]

    labels = assign(C)
    for _ in range(num_iterations):
        labels = assign(C)
        moved = []
        for j in range(k):
            members = [X[i] for i in range(n) if labels[i] == j]
            if members:
                moved.append([sum(column) / len(members) for column in zip(*members)])
            else:
                moved.append([0.0] * d if mistake == EMPTY_TO_ZERO else C[j])
        if moved == C:  # a fixed point: every further iteration is the same
            break
        C = moved
    final = labels if mistake == STALE else assign(C)
    return np.array(C), np.array(final)


def nearest(data, centroids):
    """Oracle: every point's nearest centroid and that squared distance, by a loop."""
    labels, best = [], []
    for x in np.asarray(data, dtype=np.float64):
        dists = [sq_dist(x, c) for c in np.asarray(centroids, dtype=np.float64)]
        labels.append(int(np.argmin(dists)))
        best.append(min(dists))
    return np.array(labels), np.array(best)


def check_label_shape(labels, n, k, backend):
    """Labels of shape (k,) instead of (n,) are the seed's argmin over the wrong axis: say so."""
    arr = as_result(labels, backend, "labels")
    if arr.shape != (n,):
        hint = f". This looks like: {WRONG_AXIS}" if arr.shape == (k,) else ""
        raise ResultMismatch(f"labels has shape {tuple(arr.shape)}; expected ({n},), one label per point{hint}")
    return arr


def run(impl, backend, data, k, dtype="float64", init=None, **kwargs):
    args = [backend.asarray(data, dtype), k]
    if init is not None:
        kwargs["init"] = backend.asarray(init, dtype)
    result = impl.kmeans_clustering(*args, **kwargs)
    if not isinstance(result, tuple) or len(result) != 2:
        raise ResultMismatch(f"kmeans_clustering should return a tuple (centroids, labels), got {type(result).__name__}")
    return result


def check_lloyd(impl, backend, data, init, num_iterations, dtype, mistakes=(STALE,)):
    """The attempt against the oracle from the same starting centroids, inputs rounded to dtype."""
    data, init = data.astype(dtype), init.astype(dtype)
    centroids, labels = run(impl, backend, data, len(init), dtype, init=init, num_iterations=num_iterations)
    expected_c, expected_l = lloyd(data, init, num_iterations)
    named = {m: lloyd(data, init, num_iterations, mistake=m) for m in mistakes}
    if num_iterations >= 1:  # zero iterations: the starting centroids
        named["one iteration too few"] = lloyd(data, init, num_iterations - 1)
    named["one iteration too many"] = lloyd(data, init, num_iterations + 1)
    # Name a mistake only where it changes the answer.
    centroid_mistakes = {m: v[0] for m, v in named.items() if not np.allclose(v[0], expected_c)}
    label_mistakes = {m: v[1] for m, v in named.items() if not np.array_equal(v[1], expected_l)}
    check_label_shape(labels, len(data), len(init), backend)
    assert_close(centroids, expected_c, backend, what="centroids", input_dtype=dtype, mistakes=centroid_mistakes)
    assert_equal(labels, expected_l, backend, what="labels", mistakes=label_mistakes)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("num_iterations", [1, 2, 3, 100], ids=["1-iteration", "2-iterations", "3-iterations", "100-iterations"])
def test_exact_result_of_lloyd_from_given_init(impl, backend, num_iterations, dtype):
    # Before convergence (1, 2, 3 iterations) the labels of the returned centroids differ from those
    # of the previous ones, and every iteration count gives a different answer.
    check_lloyd(impl, backend, DATA, INIT, num_iterations, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_one_iteration_by_hand(impl, backend, dtype):
    # Points 0, 2, 3, 10 on a line, centroids at 0 and 4.5. Assign: 0 and 2 -> c0 (2 is 2 from c0,
    # 2.5 from c1), 3 and 10 -> c1. Update: c0 = (0 + 2) / 2 = 1, c1 = (3 + 10) / 2 = 6.5. The labels
    # of these centroids: 3 is now 2 from c0 and 3.5 from c1, so [0, 0, 0, 1], not [0, 0, 1, 1].
    data = np.array([[0.0], [2.0], [3.0], [10.0]])
    init = np.array([[0.0], [4.5]])
    centroids, labels = run(impl, backend, data, 2, dtype, init=init, num_iterations=1)
    check_label_shape(labels, 4, 2, backend)
    assert_close(centroids, [[1.0], [6.5]], backend, what="centroids", input_dtype=dtype)
    assert_equal(labels, [0, 0, 0, 1], backend, what="labels", mistakes={STALE: [0, 0, 1, 1]})


# A centroid far from every point never gets one; in the second case cluster 2 loses all its points
# after the first update (iteration 2 has it empty) and wins point [2.1, 0.6] back at iteration 3.
EMPTY_CASES = {
    "far-away-centroid": (np.array([[0.3, 1.1], [20.0, 20.0], [4.0, 0.0]]), 100),
    "cluster-empties-mid-run": (np.array([[-0.4, 2.6], [0.2, 0.7], [0.1, -1.2], [-0.6, 0.0]]), 2),
    "cluster-empties-then-refills": (np.array([[-0.4, 2.6], [0.2, 0.7], [0.1, -1.2], [-0.6, 0.0]]), 100),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", list(EMPTY_CASES))
def test_empty_cluster_keeps_its_centroid(impl, backend, case, dtype):
    init, num_iterations = EMPTY_CASES[case]
    check_lloyd(impl, backend, DATA, init, num_iterations, dtype, mistakes=[STALE, EMPTY_TO_ZERO])


@pytest.mark.parametrize("dtype", DTYPES)
def test_as_many_clusters_as_points(impl, backend, dtype):
    # n == k: every point ends up the centroid of its own cluster. Starting centroids near p1, p2, p0
    # give centroids [p1, p2, p0] and labels [2, 0, 1]. An argmin over the points (one index per
    # centroid) has the right shape here and gives [1, 2, 0] instead.
    data = np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 3.0]])
    init = np.array([[3.5, 0.5], [0.2, 2.5], [0.5, -0.3]])
    check_lloyd(impl, backend, data, init, 100, dtype, mistakes=[STALE, WRONG_AXIS])


def blobs(seed=3, k=4, per_blob=15, d=3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(k, d))
    return np.concatenate([c + rng.normal(size=(per_blob, d)) for c in centres])


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed-0", "seed-1", "seed-2"])
def test_labels_are_the_nearest_centroid_for_every_point(impl, backend, seed):
    # Whatever the seeding, the labels returned belong to the centroids returned.
    data = blobs()
    centroids, labels = run(impl, backend, data, 4, seed=seed)
    check_label_shape(labels, len(data), 4, backend)
    got_c = as_result(centroids, backend, "centroids")
    if got_c.shape != (4, 3):
        raise ResultMismatch(f"centroids has shape {got_c.shape}; expected (4, 3)")
    assert_equal(labels, nearest(data, got_c)[0], backend, what="labels (the nearest of your centroids)")


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed-0", "seed-1", "seed-2"])
def test_result_is_a_fixed_point(impl, backend, seed):
    # After 100 iterations (Lloyd's algorithm needs fewer than 10 here, from any starting points)
    # one more iteration changes nothing: every centroid is the mean of the points labelled with it.
    data = blobs()
    centroids, labels = run(impl, backend, data, 4, seed=seed)
    got_l = check_label_shape(labels, len(data), 4, backend).astype(int)
    got_c = as_result(centroids, backend, "centroids")
    expected = got_c.astype(np.float64).copy()
    for j in range(4):
        members = data[got_l == j]
        if len(members):
            expected[j] = [sum(column) / len(members) for column in members.T]
    assert_close(centroids, expected, backend, what="centroids (each the mean of its points)")
    assert_equal(labels, nearest(data, got_c)[0], backend, what="labels (the nearest of your centroids)")


@pytest.mark.parametrize("dtype", DTYPES)
def test_well_separated_blobs_are_recovered(impl, backend, dtype):
    # Three tight blobs 20 apart, starting from each blob's outermost point: Lloyd's algorithm must end
    # on the blob means, with every point labelled by its blob.
    rng = np.random.default_rng(7)
    centres = np.array([[0.0, 0.0], [20.0, 0.0], [0.0, 20.0]])
    members = [c + rng.normal(scale=0.5, size=(10, 2)) for c in centres]
    data = np.concatenate(members)
    init = np.array([m[np.argmax(np.linalg.norm(m - m.mean(axis=0), axis=1))] for m in members])
    means = [[sum(column) / len(m) for column in m.T] for m in members]  # the blob means, by a loop
    centroids, labels = run(impl, backend, data, 3, dtype, init=init)
    check_label_shape(labels, 30, 3, backend)
    assert_close(centroids, means, backend, what="centroids", input_dtype=dtype)
    assert_equal(labels, np.repeat([0, 1, 2], 10), backend, what="labels")


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed-0", "seed-1", "seed-2"])
def test_two_blobs_are_recovered_from_your_own_starting_centroids(impl, backend, seed):
    # Without init. The points lie on one line (y = x / 2 + 1): starting from any two distinct data
    # points (all 110 ordered pairs checked: random, k-means++ or the first two all qualify) Lloyd's
    # algorithm ends on the two blob means, whatever the random stream.
    xs = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 20.0, 20.4, 21.0, 21.5, 22.0, 23.0])
    data = np.stack([xs, xs / 2 + 1], axis=1)
    blob = (xs > 10).astype(int)
    centroids, labels = run(impl, backend, data, 2, seed=seed)
    got_l = check_label_shape(labels, 11, 2, backend)
    got_c = as_result(centroids, backend, "centroids")
    if got_c.shape != (2, 2):
        raise ResultMismatch(f"centroids has shape {got_c.shape}; expected (2, 2)")
    first = int(got_l[0])  # the label the learner gave to the left blob
    expected_l = np.where(blob == 1, 1 - first, first)
    assert_equal(labels, expected_l, backend, what="labels (one per blob)")
    means = np.array([data[blob == 0].mean(axis=0), data[blob == 1].mean(axis=0)])
    assert_close(centroids, means if first == 0 else means[::-1], backend, what="centroids (the blob means)")


def test_matches_seed_example(impl, backend):
    # The seed's own test: 100 uniform points in the unit square, k = 3, no init: three centroids and
    # every one of the three labels in use. Run once with the default seed=None and once seeded.
    data = np.random.default_rng(0).random((100, 2))
    for kwargs in ({}, {"seed": 0}):
        centroids, labels = run(impl, backend, data, 3, **kwargs)
        got_c = as_result(centroids, backend, "centroids")
        got_l = check_label_shape(labels, 100, 3, backend)
        assert got_c.shape == (3, 2), f"centroids has shape {got_c.shape}; expected (3, 2)"
        assert np.isfinite(got_c).all(), f"centroids contain non-finite values: {got_c.tolist()}"
        assert sorted(set(got_l.tolist())) == [0, 1, 2], f"expected the labels 0, 1, 2 all in use, got {sorted(set(got_l.tolist()))}"


def test_same_seed_gives_the_same_result(impl, backend):
    # Two iterations only, so that the result still depends on the starting centroids.
    first = [as_result(r, backend) for r in run(impl, backend, DATA, 3, seed=5, num_iterations=2)]
    second = [as_result(r, backend) for r in run(impl, backend, DATA, 3, seed=5, num_iterations=2)]
    for name, a, b in zip(("centroids", "labels"), first, second):
        assert np.array_equal(a, b), f"two calls with seed=5 gave different {name}: use the seed for all randomness"


def test_inputs_are_not_modified(impl, backend):
    data, init = backend.asarray(DATA), backend.asarray(INIT)
    impl.kmeans_clustering(data, 3, num_iterations=5, init=init)
    assert_unchanged(DATA, data, backend, "data")
    assert_unchanged(INIT, init, backend, "init")
    data = backend.asarray(DATA)
    impl.kmeans_clustering(data, 3, num_iterations=5, seed=0)
    assert_unchanged(DATA, data, backend, "data")


@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_output_keeps_input_dtype_and_device(impl, backend, dtype):
    import torch

    data = backend.asarray(DATA, dtype)
    for kwargs in ({"init": backend.asarray(INIT, dtype)}, {"seed": 0}):
        centroids, labels = impl.kmeans_clustering(data, 3, **kwargs)
        as_result(centroids, backend, "centroids", dtype=dtype)
        as_result(labels, backend, "labels")
        assert centroids.device == data.device, f"centroids are on {centroids.device}; the data is on {data.device}"
    if torch.cuda.is_available():
        cuda = data.cuda()
        for kwargs in ({"init": backend.asarray(INIT, dtype).cuda()}, {"seed": 0}):
            centroids, labels = impl.kmeans_clustering(cuda, 3, **kwargs)
            assert centroids.device == cuda.device, f"centroids are on {centroids.device}; the data is on {cuda.device}"
            assert labels.device == cuda.device, f"labels are on {labels.device}; the data is on {cuda.device}"
