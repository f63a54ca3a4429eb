"""2-D convolution and max pooling, PyTorch reference.

    out[n, o, i, j] = bias[o] + sum_{c, u, v} x_pad[n, c, i * sh + u, j * sw + v] * weight[o, c, u, v]

Inputs: conv2d takes x (N, C, H, W), weight (O, C, kh, kw), optional bias (O,); convolve2D one image
(H, W) and one kernel (kh, kw); max_pool2d x (N, C, H, W). Outputs: (N, O, Ho, Wo), (Ho, Wo) and
(N, C, Ho, Wo), on the input's device and in its dtype, with Ho = (H + 2 ph - kh) // sh + 1 (likewise Wo).
Conventions: cross-correlation as in deep learning (the kernel is not flipped), as F.conv2d; zero padding
on every side; stride, padding and kernel_size an int or a pair (height, width); max_pool2d's
stride=None means stride = kernel_size, as F.max_pool2d; windows that do not fit are dropped (floor).
Vectorised: a strided view of every window (Tensor.unfold, no copy), then one einsum (im2col + matmul inside).
"""

import torch
import torch.nn.functional as F

# Legend: N = batch, C = input channels, O = output channels, H, W = input height, width,
#         kh, kw = kernel (window) height, width, sh, sw = strides, ph, pw = paddings, Ho, Wo = output height, width


def _pair(value):
    return tuple(int(v) for v in value) if isinstance(value, (tuple, list)) else (int(value), int(value))  # an int v means (v, v)


def _windows(x, kh, kw, sh, sw):
    every = x.unfold(-2, kh, sh)  # (..., Ho, W, kh) the row windows the stride lands on, a view, no copy
    return every.unfold(-2, kw, sw)  # (..., Ho, Wo, kh, kw) then the column windows of each


def conv2d(x, weight, bias=None, stride=1, padding=0):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)  # strides and zero paddings per axis
    kh, kw = weight.shape[-2:]  # kernel height and width
    x = F.pad(x, (pw, pw, ph, ph))  # (N, C, H + 2ph, W + 2pw) zeros around each image (last axis first)
    windows = _windows(x, kh, kw, sh, sw)  # (N, C, Ho, Wo, kh, kw) the receptive field of every output
    out = torch.einsum("nchwuv,ocuv->nohw", windows, weight)  # (N, O, Ho, Wo) window times kernel, summed over C, kh, kw
    if bias is not None:  # one bias per output channel
        out = out + bias[:, None, None]  # (N, O, Ho, Wo) broadcast over the positions, not over the width
    return out  # (N, O, Ho, Wo) in the input's dtype, on its device


def convolve2D(image, kernel, padding=0, strides=1):
    out = conv2d(image[None, None], kernel[None, None], stride=strides, padding=padding)  # (1, 1, Ho, Wo) one image, channel and filter
    return out[0, 0]  # (Ho, Wo)


def max_pool2d(x, kernel_size, stride=None):
    kh, kw = _pair(kernel_size)  # window height and width
    sh, sw = _pair(kernel_size if stride is None else stride)  # stride=None: windows side by side, as PyTorch
    windows = _windows(x, kh, kw, sh, sw)  # (N, C, Ho, Wo, kh, kw) every pooling window
    return windows.amax(dim=(-2, -1))  # (N, C, Ho, Wo) the largest value of each window
