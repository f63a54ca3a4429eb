# mistake: W is applied to [h_prev, x]; the convention is [x, h_prev] (x first)
import torch


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    z = torch.cat([h_prev, x], dim=1) @ W + b  # as the seed: previous state first
    i, f, g, o = z.chunk(4, dim=1)
    c = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def lstm_forward(x, h0, c0, W, b):
    h, c, hs = h0, c0, []
    for x_t in x:
        h, c = lstm_cell_forward(x_t, h, c, W, b)
        hs.append(h)
    return torch.stack(hs), (h, c)
