"""LSTM forward pass, PyTorch reference.

    z = [x, h_prev] W + b = [z_i, z_f, z_g, z_o]
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * tanh(z_g)
    h = sigmoid(z_o) * tanh(c)

Inputs: lstm_cell_forward takes x (N, D), h_prev (N, H), c_prev (N, H), W (D + H, 4H), b (4H,) and returns
(h, c), both (N, H); lstm_forward takes x (T, N, D), h0 (N, H), c0 (N, H) and the same weights, and
returns (h_all (T, N, H), (h_last (N, H), c_last (N, H))), as nn.LSTM without its layer axis. On the
input's device, in its dtype.
Conventions: W multiplies the concatenation [x, h_prev] from the right; gate blocks in PyTorch's order
i, f, g, o (nn.LSTM stores weight_ih = W[:D].T, weight_hh = W[D:].T and two biases whose sum is b);
rows are samples, so every gate has the shape of c_prev and broadcasting never mixes samples; time-major.
torch.sigmoid is stable for large |z|.
Vectorised over the batch and the four gates; the loop over time is inherent.
"""

import torch

# Legend: T = time steps, N = batch, D = input size, H = hidden size


def _sigmoid(z):
    return torch.sigmoid(z)  # 1 / (1 + e^-z) without overflow, in z's dtype


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    z = torch.cat([x, h_prev], dim=-1) @ W + b  # (N, 4H) the four gates' pre-activations in one product
    z_i, z_f, z_g, z_o = z.chunk(4, dim=-1)  # 4 x (N, H) blocks in PyTorch's order i, f, g, o
    i = _sigmoid(z_i)  # (N, H) input gate: how much of the candidate to write
    f = _sigmoid(z_f)  # (N, H) forget gate: how much of the old cell state to keep
    g = torch.tanh(z_g)  # (N, H) candidate values, in (-1, 1)
    o = _sigmoid(z_o)  # (N, H) output gate: how much of the cell state to show
    c = f * c_prev + i * g  # (N, H) new cell state: kept memory plus written candidate
    h = o * torch.tanh(c)  # (N, H) new hidden state
    return h, c  # (N, H), (N, H)


def lstm_forward(x, h0, c0, W, b):
    h, c = h0, c0  # (N, H), (N, H) the states before the first step
    states = []  # will hold T hidden states of (N, H)
    for x_t in x:  # x_t: (N, D), the inputs at step t, in time order
        h, c = lstm_cell_forward(x_t, h, c, W, b)  # (N, H), (N, H) both states feed the next step
        states.append(h)  # keep every step's hidden state
    h_all = torch.stack(states)  # (T, N, H) time-major, as nn.LSTM's output
    return h_all, (h, c)  # (T, N, H), ((N, H), (N, H)) the states after the final step
