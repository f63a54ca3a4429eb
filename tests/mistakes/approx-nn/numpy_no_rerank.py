# mistake: the candidates are not re-ranked by true distance
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
        self.tables = []
        for t in range(self.num_tables):
            table = {}
            for i, code in enumerate(codes[:, t]):
                table.setdefault(int(code), []).append(i)
            self.tables.append(table)
        return self

    def query(self, q, k):
        codes = self._codes(q)
        candidates = sorted(set().union(*(table.get(int(c), []) for table, c in zip(self.tables, codes))))
        return np.array(candidates[:k], dtype=int), len(candidates)  # the first k candidates, not the nearest k
