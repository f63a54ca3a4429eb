# mistake: the hidden layer uses ReLU
import torch


class SimpleMLP:
    def __init__(self, input_size, hidden_size, output_size, seed=None):
        g = torch.Generator()
        if seed is not None:
            g.manual_seed(seed)
        else:
            g.seed()
        self.w1 = torch.randn(input_size, hidden_size, generator=g)
        self.b1 = torch.zeros(hidden_size)
        self.w2 = torch.randn(hidden_size, output_size, generator=g)
        self.b2 = torch.zeros(output_size)

    def forward(self, X):
        return torch.sigmoid(torch.relu(X @ self.w1 + self.b1) @ self.w2 + self.b2)

    def backward(self, X, y):
        z1 = X @ self.w1 + self.b1
        a1 = torch.relu(z1)
        a2 = torch.sigmoid(a1 @ self.w2 + self.b2)
        dz2 = (a2 - y) / a2.numel()
        dz1 = (dz2 @ self.w2.T) * (z1 > 0)
        return {"w1": X.T @ dz1, "b1": dz1.sum(0), "w2": a1.T @ dz2, "b2": dz2.sum(0)}

    def step(self, grads, learning_rate):
        for name in ("w1", "b1", "w2", "b2"):
            setattr(self, name, getattr(self, name) - learning_rate * grads[name])
