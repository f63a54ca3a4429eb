# mistake: the gate blocks are read as i, f, o, g; PyTorch's order is i, f, g, o
import torch


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    z = torch.cat([x, h_prev], dim=1) @ W + b
    i, f, o, g = z.chunk(4, dim=1)  # the cs231n layout
    c = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def lstm_forward(x, h0, c0, W, b):
    h, c, hs = h0, c0, []
    for x_t in x:
        h, c = lstm_cell_forward(x_t, h, c, W, b)
        hs.append(h)
    return torch.stack(hs), (h, c)
