"""Approximate nearest neighbours by random-hyperplane locality-sensitive hashing, NumPy reference.

    h_t(x) = [ w_{t,1} . (x - mu) > 0, ..., w_{t,b} . (x - mu) > 0 ]  (b sign bits per table, w ~ N(0, I))
    candidates(q) = { i : h_t(x_i) = h_t(q) for some table t },  answer = the k candidates nearest to q

Inputs: data (n, d) to `fit`; a query q (d,) and k to `query`. `query` returns (indices, num_candidates):
indices (<= k,) of data rows, nearest first by true Euclidean distance; num_candidates, an int, the
number of distinct rows whose distance was computed.
Conventions: the hyperplanes pass through the mean of the data (sign bits split the data, not the
origin); each table is a dict from a bucket's code (its bits read as a binary number) to the rows in
it, so a query only touches its own buckets; ties in distance go to the lower row index.
Randomness: the hyperplanes come from np.random.default_rng(seed).
"""

import numpy as np

# Legend: n = data rows, d = features, T = num_tables, B = num_bits per table, m = candidates, k = neighbours


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.num_tables = num_tables  # T independent hash tables: more tables, more recall
        self.num_bits = num_bits  # B hyperplanes per table: more bits, smaller buckets
        self.rng = np.random.default_rng(seed)  # the only source of randomness

    def _codes(self, points):
        bits = (points - self.mean) @ self.planes > 0  # (..., T * B) which side of each hyperplane
        bits = bits.reshape(bits.shape[:-1] + (self.num_tables, self.num_bits))  # (..., T, B) the bits of each table
        powers = 2 ** np.arange(self.num_bits, dtype=np.int64)  # (B,) 1, 2, 4, ...: the place value of each bit
        return (bits.astype(np.int64) * powers).sum(axis=-1)  # (..., T) each table's bits read as one integer

    def fit(self, data):
        self.data = np.array(data, copy=True)  # (n, d) a private copy: later edits to `data` cannot corrupt the index
        self.mean = self.data.mean(axis=0)  # (d,) the hyperplanes pass through the data's centre
        d = self.data.shape[1]  # number of features
        planes = self.rng.standard_normal((d, self.num_tables * self.num_bits))  # (d, T * B) random normals, a hyperplane each
        self.planes = planes.astype(self.data.dtype)  # (d, T * B) in the data's dtype
        codes = self._codes(self.data)  # (n, T) bucket of every row in every table
        self.tables = []  # one dict per table: bucket code -> rows in that bucket
        for column in codes.T:  # (n,) codes of one table
            order = np.argsort(column, kind="stable")  # (n,) rows grouped by bucket, ascending row index inside a bucket
            keys, counts = np.unique(column[order], return_counts=True)  # distinct codes and each group's size
            self.tables.append(dict(zip(keys.tolist(), np.split(order, np.cumsum(counts)[:-1]))))  # code -> (rows,) of that bucket
        return self  # allows LSHIndex(...).fit(data).query(q, k)

    def query(self, q, k):
        codes = self._codes(q)  # (T,) the query's bucket in every table
        empty = np.empty(0, dtype=np.int64)  # a bucket the query lands in that holds no row
        buckets = [table.get(code, empty) for table, code in zip(self.tables, codes.tolist())]  # T arrays of rows
        candidates = np.unique(np.concatenate(buckets))  # (m,) distinct candidate rows, ascending
        distances = np.linalg.norm(self.data[candidates] - q, axis=1)  # (m,) true Euclidean distance to the query
        nearest = np.argsort(distances, kind="stable")[:k]  # (<= k,) re-rank: closest first, ties to the lower row
        return candidates[nearest], int(candidates.size)  # (<= k,) row indices, and how many rows were looked at
