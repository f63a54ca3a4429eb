# mistake: recall@10 against brute force
import numpy as np


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.num_tables, self.num_bits = num_tables, num_bits
        self.rng = np.random.default_rng(seed)

    def _code(self, points):
        bits = (points - self.mean) @ self.planes > 0
        return (bits * 2 ** np.arange(self.num_bits)).sum(-1)

    def fit(self, data):
        self.data, self.mean = data, data.mean(0)
        self.planes = self.rng.standard_normal((data.shape[1], self.num_bits))  # one set of planes for every table
        codes = self._code(data)
        self.tables = []
        for _ in range(self.num_tables):  # every table is the same table
            table = {}
            for i, code in enumerate(codes):
                table.setdefault(int(code), []).append(i)
            self.tables.append(table)
        return self

    def query(self, q, k):
        code = int(self._code(q))
        candidates = np.array(sorted(set().union(*(table.get(code, []) for table in self.tables))), dtype=int)
        if candidates.size == 0:
            return candidates, 0
        order = np.argsort(np.linalg.norm(self.data[candidates] - q, axis=1))[:k]
        return candidates[order], len(candidates)
