"""Approximate nearest neighbours by random-hyperplane locality-sensitive hashing, PyTorch reference.

    h_t(x) = [ w_{t,1} . (x - mu) > 0, ..., w_{t,b} . (x - mu) > 0 ]  (b sign bits per table, w ~ N(0, I))
    candidates(q) = { i : h_t(x_i) = h_t(q) for some table t },  answer = the k candidates nearest to q

Inputs: data (n, d) to `fit`; a query q (d,) and k to `query`. `query` returns (indices, num_candidates):
indices (<= k,) of data rows as an integer tensor on the data's device, nearest first by true Euclidean
distance; num_candidates, an int, the number of distinct rows whose distance was computed.
Conventions: the hyperplanes pass through the mean of the data (sign bits split the data, not the
origin); each table is a dict from a bucket's code (its bits read as a binary number) to the rows in
it, so a query only touches its own buckets; ties in distance go to the lower row index.
Randomness: the hyperplanes come from a torch.Generator seeded with `seed` (fresh entropy when None).
"""

import torch

# Legend: n = data rows, d = features, T = num_tables, B = num_bits per table, m = candidates, k = neighbours


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.num_tables = num_tables  # T independent hash tables: more tables, more recall
        self.num_bits = num_bits  # B hyperplanes per table: more bits, smaller buckets
        self.generator = torch.Generator()  # the only source of randomness (CPU; the planes move to the data's device)
        if seed is None:  # no seed: fresh entropy, as np.random.default_rng(None) draws
            self.generator.seed()  # a non-deterministic seed from the operating system
        else:
            self.generator.manual_seed(seed)  # the same seed gives the same hyperplanes

    def _codes(self, points):
        bits = (points - self.mean) @ self.planes > 0  # (..., T * B) which side of each hyperplane
        bits = bits.reshape(bits.shape[:-1] + (self.num_tables, self.num_bits))  # (..., T, B) the bits of each table
        powers = 2 ** torch.arange(self.num_bits, device=bits.device)  # (B,) 1, 2, 4, ...: the place value of each bit
        return (bits.long() * powers).sum(dim=-1)  # (..., T) each table's bits read as one integer

    def fit(self, data):
        self.data = data.clone()  # (n, d) a private copy: later edits to `data` cannot corrupt the index
        self.mean = self.data.mean(dim=0)  # (d,) the hyperplanes pass through the data's centre
        d = self.data.shape[1]  # number of features
        planes = torch.randn(d, self.num_tables * self.num_bits, generator=self.generator)  # (d, T * B) random normals, a hyperplane each
        self.planes = planes.to(dtype=self.data.dtype, device=self.data.device)  # (d, T * B) in the data's dtype, on its device
        codes = self._codes(self.data)  # (n, T) bucket of every row in every table
        self.tables = []  # one dict per table: bucket code -> rows in that bucket
        for column in codes.T:  # (n,) codes of one table
            order = torch.argsort(column, stable=True)  # (n,) rows grouped by bucket, ascending row index inside a bucket
            keys, counts = torch.unique_consecutive(column[order], return_counts=True)  # distinct codes and each group's size
            self.tables.append(dict(zip(keys.tolist(), torch.split(order, counts.tolist()))))  # code -> (rows,) of that bucket
        return self  # allows LSHIndex(...).fit(data).query(q, k)

    def query(self, q, k):
        codes = self._codes(q)  # (T,) the query's bucket in every table
        empty = torch.empty(0, dtype=torch.long, device=self.data.device)  # a bucket the query lands in that holds no row
        buckets = [table.get(code, empty) for table, code in zip(self.tables, codes.tolist())]  # T tensors of rows
        candidates = torch.unique(torch.cat(buckets))  # (m,) distinct candidate rows, ascending
        distances = torch.linalg.vector_norm(self.data[candidates] - q, dim=1)  # (m,) true Euclidean distance to the query
        nearest = torch.argsort(distances, stable=True)[:k]  # (<= k,) re-rank: closest first, ties to the lower row
        return candidates[nearest], int(candidates.numel())  # (<= k,) row indices, and how many rows were looked at
