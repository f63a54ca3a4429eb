# mistake: is a numpy.ndarray; the torch backend takes and returns torch.Tensor
import numpy as np


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.num_tables, self.num_bits = num_tables, num_bits
        self.rng = np.random.default_rng(seed)

    def fit(self, data):
        self.data = data.numpy()
        self.mean = self.data.mean(0)
        self.planes = self.rng.standard_normal((self.data.shape[1], self.num_tables * self.num_bits))
        bits = ((self.data - self.mean) @ self.planes > 0).reshape(len(self.data), self.num_tables, self.num_bits)
        self.codes = (bits * 2 ** np.arange(self.num_bits)).sum(-1)
        return self

    def query(self, q, k):
        q = q.numpy()
        bits = ((q - self.mean) @ self.planes > 0).reshape(self.num_tables, self.num_bits)
        candidates = np.flatnonzero((self.codes == (bits * 2 ** np.arange(self.num_bits)).sum(-1)).any(axis=1))
        order = np.argsort(np.linalg.norm(self.data[candidates] - q, axis=1))[:k]
        return candidates[order], len(candidates)  # NumPy indices from a torch attempt
