# mistake: merge the candidates of all tables into one set
import numpy as np


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.num_tables, self.num_bits = num_tables, num_bits
        self.rng = np.random.default_rng(seed)

    def _codes(self, points):
        bits = (points - self.mean) @ self.planes > 0
        bits = bits.reshape(bits.shape[:-1] + (self.num_tables, self.num_bits))
        return (bits * 2 ** np.arange(self.num_bits)).sum(-1)

    def fit(self, data):
        self.data, self.mean = data, data.mean(0)
        self.planes = self.rng.standard_normal((data.shape[1], self.num_tables * self.num_bits))
        codes = self._codes(data)
        self.tables = [{int(c): np.flatnonzero(codes[:, t] == c) for c in np.unique(codes[:, t])} for t in range(self.num_tables)]
        return self

    def query(self, q, k):
        codes = self._codes(q)
        buckets = [table.get(int(c), np.empty(0, int)) for table, c in zip(self.tables, codes)]
        candidates = np.concatenate(buckets)  # a row in 3 of the query's buckets is here 3 times
        order = np.argsort(np.linalg.norm(self.data[candidates] - q, axis=1))[:k]
        return candidates[order], len(candidates)
