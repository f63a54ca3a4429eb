# mistake: stride=None should mean stride = kernel_size (as PyTorch), not stride 1
import torch
import torch.nn.functional as F


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def conv2d(x, weight, bias=None, stride=1, padding=0):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    n_out, C, kh, kw = weight.shape
    x = F.pad(x, (pw, pw, ph, ph))
    windows = x.unfold(2, kh, sh).unfold(3, kw, sw)
    out = torch.einsum("nchwuv,ocuv->nohw", windows, weight)
    if bias is not None:
        out = out + bias[:, None, None]
    return out


def convolve2D(image, kernel, padding=0, strides=1):
    return conv2d(image[None, None], kernel[None, None], stride=strides, padding=padding)[0, 0]


def max_pool2d(x, kernel_size, stride=1):  # defaults to stride 1 instead of the kernel size
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(stride if stride is not None else 1)
    return x.unfold(2, kh, sh).unfold(3, kw, sw).amax(dim=(-2, -1))
