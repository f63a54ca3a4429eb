"""Approximate nearest neighbours with random-hyperplane LSH (NumPy).

    h_t(x) = signs of x's projections on table t's num_bits random hyperplanes
    candidates(q) = rows that share q's bucket in at least one of the num_tables tables
    query(q, k) = the k candidates nearest to q by true Euclidean distance

LSHIndex(num_tables, num_bits, seed=None): seed makes the random hyperplanes reproducible.
fit(data): data (n, d); returns self.
query(q, k): q (d,); returns (indices, num_candidates): indices, an integer array of at most k row
numbers of data, nearest first by true distance (exactly min(k, num_candidates) of them); num_candidates,
an int, the number of distinct rows whose true distance was computed. The suite checks recall@k against
brute force and that a query looks at a small fraction of the data.
"""

import numpy as np


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        raise NotImplementedError

    def fit(self, data):
        raise NotImplementedError

    def query(self, q, k):
        raise NotImplementedError
