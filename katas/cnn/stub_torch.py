"""2-D convolution and max pooling, the two layers of a basic CNN (PyTorch).

    out[n, o, i, j] = bias[o] + sum_{c, u, v} x_pad[n, c, i * sh + u, j * sw + v] * weight[o, c, u, v]

Cross-correlation, as deep learning's conv2d: the kernel is NOT flipped. x_pad is x with `padding`
zeros on every side. Each output axis has (size + 2 * padding - kernel) // stride + 1 positions.
stride, padding and kernel_size are an int or a pair (height, width).

convolve2D(image (H, W), kernel (kh, kw), padding=0, strides=1) -> (Ho, Wo)
conv2d(x (N, C, H, W), weight (O, C, kh, kw), bias=None or (O,), stride=1, padding=0) -> (N, O, Ho, Wo)
max_pool2d(x (N, C, H, W), kernel_size, stride=None) -> (N, C, Ho, Wo): the maximum of each window;
    stride=None means stride = kernel_size (as in PyTorch); windows that do not fit are dropped.
Results keep the input's dtype and device; the inputs are left unchanged.
Write it with tensor operations (Tensor.unfold, F.unfold, F.pad, einsum are fine): F.conv2d,
torch.conv2d, nn.Conv2d, F.max_pool2d, torch.max_pool2d and nn.MaxPool2d are not allowed.
"""

import torch


def convolve2D(image, kernel, padding=0, strides=1):
    raise NotImplementedError


def conv2d(x, weight, bias=None, stride=1, padding=0):
    raise NotImplementedError


def max_pool2d(x, kernel_size, stride=None):
    raise NotImplementedError
