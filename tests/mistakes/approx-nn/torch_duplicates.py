# mistake: merge the candidates of all tables into one set
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
        self.codes = self._codes(data)  # (n, T)
        return self

    def query(self, q, k):
        qc = self._codes(q)
        candidates = torch.cat([torch.nonzero(self.codes[:, t] == qc[t])[:, 0] for t in range(self.num_tables)])  # no dedup
        distances = torch.linalg.vector_norm(self.data[candidates] - q, dim=1)
        order = torch.argsort(distances)[:k]
        return candidates[order], candidates.numel()
