# mistake: step adds the gradient
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
        return torch.sigmoid(torch.sigmoid(X @ self.w1 + self.b1) @ self.w2 + self.b2)

    def backward(self, X, y):
        a1 = torch.sigmoid(X @ self.w1 + self.b1)
        a2 = torch.sigmoid(a1 @ self.w2 + self.b2)
        dz2 = (a2 - y) / a2.numel()
        dz1 = (dz2 @ self.w2.T) * a1 * (1 - a1)
        return {"w1": X.T @ dz1, "b1": dz1.sum(0), "w2": a1.T @ dz2, "b2": dz2.sum(0)}

    def step(self, grads, learning_rate):
        self.w1 = self.w1 + learning_rate * grads["w1"]
        self.b1 = self.b1 + learning_rate * grads["b1"]
        self.w2 = self.w2 + learning_rate * grads["w2"]
        self.b2 = self.b2 + learning_rate * grads["b2"]
