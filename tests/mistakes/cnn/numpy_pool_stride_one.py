# mistake: stride=None should mean stride = kernel_size (as PyTorch), not stride 1
import numpy as np


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def conv2d(x, weight, bias=None, stride=1, padding=0):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    n_out, C, kh, kw = weight.shape
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    out = np.einsum("nchwuv,ocuv->nohw", windows, weight)
    if bias is not None:
        out = out + bias[:, None, None]
    return out


def convolve2D(image, kernel, padding=0, strides=1):
    return conv2d(image[None, None], kernel[None, None], stride=strides, padding=padding)[0, 0]


def max_pool2d(x, kernel_size, stride=None):
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(stride or 1)  # no stride given: slide one pixel at a time
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return windows.max(axis=(-2, -1))
