# mistake: the kernel is flipped (true convolution); deep learning's conv2d is cross-correlation
import torch
import torch.nn.functional as F


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def conv2d(x, weight, bias=None, stride=1, padding=0):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    n_out, C, kh, kw = weight.shape
    x = F.pad(x, (pw, pw, ph, ph))
    Ho, Wo = (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1
    cols = F.unfold(x, (kh, kw), stride=(sh, sw))  # (N, C*kh*kw, Ho*Wo)
    kernel = torch.flip(weight, dims=(2, 3))  # the textbook convolution flips the kernel
    out = (kernel.reshape(n_out, -1) @ cols).reshape(x.shape[0], n_out, Ho, Wo)
    if bias is not None:
        out = out + bias[:, None, None]
    return out


def convolve2D(image, kernel, padding=0, strides=1):
    return conv2d(image[None, None], kernel[None, None], stride=strides, padding=padding)[0, 0]


def max_pool2d(x, kernel_size, stride=None):
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)
    return x.unfold(2, kh, sh).unfold(3, kw, sw).amax(dim=(-2, -1))
