# mistake: two indexes built with seed=7
import torch


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.num_tables, self.num_bits = num_tables, num_bits

    def _codes(self, points):
        bits = ((points - self.mean) @ self.planes > 0).reshape(*points.shape[:-1], self.num_tables, self.num_bits)
        return (bits.long() << torch.arange(self.num_bits)).sum(-1)

    def fit(self, data):
        self.data, self.mean = data, data.mean(0)
        self.planes = torch.randn(data.shape[1], self.num_tables * self.num_bits, dtype=data.dtype)  # seed ignored
        self.codes = self._codes(data)
        return self

    def query(self, q, k):
        hit = (self.codes == self._codes(q)).any(dim=1)
        candidates = torch.nonzero(hit)[:, 0]
        distances = torch.linalg.vector_norm(self.data[candidates] - q, dim=1)
        return candidates[torch.argsort(distances)[:k]], int(candidates.numel())
