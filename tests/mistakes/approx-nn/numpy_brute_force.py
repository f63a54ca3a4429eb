# mistake: of the data on average
import numpy as np


class LSHIndex:
    def __init__(self, num_tables, num_bits, seed=None):
        self.rng = np.random.default_rng(seed)

    def fit(self, data):
        self.data = data
        return self

    def query(self, q, k):
        distances = np.linalg.norm(self.data - q, axis=1)  # exact, but it looks at every row
        return np.argsort(distances)[:k], len(self.data)
