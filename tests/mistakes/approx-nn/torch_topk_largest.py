# mistake: the farthest candidates first
import torch


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.num_tables, self.num_bits = num_tables, num_bits
        self.g = torch.Generator()
        if seed is not None:
            self.g.manual_seed(seed)

    def _codes(self, points):
        bits = ((points - self.mean) @ self.planes > 0).reshape(*points.shape[:-1], self.num_tables, self.num_bits)
        return (bits.long() << torch.arange(self.num_bits)).sum(-1)

    def fit(self, data):
        self.data, self.mean = data, data.mean(0)
        self.planes = torch.randn(data.shape[1], self.num_tables * self.num_bits, generator=self.g, dtype=data.dtype)
        codes = self._codes(data)
        self.tables = []
        for t in range(self.num_tables):
            table = {}
            for i, c in enumerate(codes[:, t].tolist()):
                table.setdefault(c, []).append(i)
            self.tables.append(table)
        return self

    def query(self, q, k):
        rows = set()
        for table, c in zip(self.tables, self._codes(q).tolist()):
            rows.update(table.get(c, []))
        candidates = torch.tensor(sorted(rows), dtype=torch.long)
        distances = torch.cdist(q[None], self.data[candidates])[0]
        top = torch.topk(distances, min(k, len(candidates)))  # largest=True by default: the farthest
        return candidates[top.indices], len(candidates)
