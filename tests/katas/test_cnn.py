"""Hidden suite: 2-D convolution and max pooling (one suite, both backends).

Oracles: a hand-worked example; `loop_conv2d`, an independent shift-and-add loop over kernel offsets
in float64 that reads the input through index arithmetic (no padded copy, no window view);
`loop_max_pool`, a loop over output positions; for the torch backend, torch.nn.functional.conv2d,
torch.nn.functional.max_pool2d, torch.nn.Conv2d / MaxPool2d and autograd through F.conv2d.
"""

import numpy as np
import pytest

from mlkata.testing import as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]


def pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def loop_conv2d(x, weight, bias=None, stride=1, padding=0, flip=False):
    """Oracle: shift and add, one kernel offset (u, v) at a time, in float64.

    Offset (u, v) multiplies input pixel (i * sh + u - ph, j * sw + v - pw) into output (i, j); pixels
    outside the image are padding zeros and add nothing (no padded copy, no window view).
    flip=True turns the kernel by 180 degrees: true convolution, the classic mistake.
    """
    x, weight = np.asarray(x, np.float64), np.asarray(weight, np.float64)
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    N, C, H, W = x.shape
    n_out, _, kh, kw = weight.shape
    if flip:
        weight = weight[:, :, ::-1, ::-1]
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    out = np.zeros((N, n_out, Ho, Wo))
    for u in range(kh):
        for v in range(kw):
            rows, cols = np.arange(Ho) * sh + u - ph, np.arange(Wo) * sw + v - pw  # input pixel of each output
            i, j = np.flatnonzero((rows >= 0) & (rows < H)), np.flatnonzero((cols >= 0) & (cols < W))  # outputs inside the image
            pixels = x[:, :, rows[i]][:, :, :, cols[j]]  # (N, C, len(i), len(j))
            out[:, :, i[:, None], j[None, :]] += np.einsum("ncij,oc->noij", pixels, weight[:, :, u, v])
    if bias is not None:
        out += np.asarray(bias, np.float64)[None, :, None, None]
    return out


def loop_max_pool(x, kernel_size, stride=None, start=None):
    """Oracle: the max of each window, one output position at a time; start=0 gives the zero-init mistake."""
    x = np.asarray(x, np.float64)
    (kh, kw) = pair(kernel_size)
    (sh, sw) = pair(kernel_size if stride is None else stride)
    N, C, H, W = x.shape
    Ho, Wo = (H - kh) // sh + 1, (W - kw) // sw + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].max(axis=(2, 3))
    return out if start is None else np.maximum(out, start)


FLIPPED = "the kernel is flipped (true convolution); deep learning's conv2d is cross-correlation"


def conv_mistakes(x, weight, bias=None, stride=1, padding=0):
    found = {FLIPPED: loop_conv2d(x, weight, bias, stride, padding, flip=True)}
    if bias is not None:
        no_bias = loop_conv2d(x, weight, None, stride, padding)
        found["the bias is missing"] = no_bias
        if no_bias.shape[-1] == len(bias):  # out + bias broadcasts bias over the last axis (the width)
            found["the bias is added along the width axis instead of per output channel (axis 1)"] = no_bias + np.asarray(bias, np.float64)
    return found


def pool_mistakes(x, kernel_size, stride=None):
    return {
        "stride=None should mean stride = kernel_size (as PyTorch), not stride 1": loop_max_pool(x, kernel_size, 1),
        "the running maximum starts at 0, so a window of negative values gives 0": loop_max_pool(x, kernel_size, stride, start=0.0),
    }


def check_conv(impl, backend, x, weight, bias=None, stride=1, padding=0, dtype="float64"):
    args = [backend.asarray(x, dtype), backend.asarray(weight, dtype)]
    b = None if bias is None else backend.asarray(bias, dtype)
    got = impl.conv2d(*args, bias=b, stride=stride, padding=padding)
    x, weight = x.astype(dtype), weight.astype(dtype)  # the oracle sees the inputs as rounded to dtype
    bias = None if bias is None else bias.astype(dtype)
    expected = loop_conv2d(x, weight, bias, stride, padding)
    assert_close(got, expected, backend, what="conv2d output", input_dtype=dtype, mistakes=conv_mistakes(x, weight, bias, stride, padding))
    return got


def check_image(impl, backend, image, kernel, padding=0, strides=1, dtype="float64"):
    got = impl.convolve2D(backend.asarray(image, dtype), backend.asarray(kernel, dtype), padding=padding, strides=strides)
    image, kernel = image.astype(dtype), kernel.astype(dtype)
    expected = loop_conv2d(image[None, None], kernel[None, None], None, strides, padding)[0, 0]
    mistakes = {k: v[0, 0] for k, v in conv_mistakes(image[None, None], kernel[None, None], None, strides, padding).items()}
    assert_close(got, expected, backend, what="convolve2D output", input_dtype=dtype, mistakes=mistakes)


def check_pool(impl, backend, x, kernel_size, stride=None, dtype="float64"):
    data = backend.asarray(x, dtype)
    got = impl.max_pool2d(data, kernel_size) if stride is None else impl.max_pool2d(data, kernel_size, stride=stride)
    x = x.astype(dtype)
    expected = loop_max_pool(x, kernel_size, stride)
    assert_close(got, expected, backend, what="max_pool2d output", input_dtype=dtype, mistakes=pool_mistakes(x, kernel_size, stride))


def normal(seed, *shape):
    return np.random.default_rng(seed).normal(size=shape)


# -- convolve2D: one image, one kernel ----------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_convolve2D_matches_hand_worked_example(impl, backend, dtype):
    # image [[1, 2, 3], [4, 5, 6], [7, 8, 9]], kernel [[1, 0], [2, -1]], no flip:
    #   out[0, 0] = 1*1 + 0*2 + 2*4 - 1*5 = 4      out[0, 1] = 1*2 + 0*3 + 2*5 - 1*6 = 6
    #   out[1, 0] = 1*4 + 0*5 + 2*7 - 1*8 = 10     out[1, 1] = 1*5 + 0*6 + 2*8 - 1*9 = 12
    # A flipped kernel [[-1, 2], [0, 1]] (true convolution) gives [[8, 10], [14, 16]] instead.
    image = np.arange(1.0, 10.0).reshape(3, 3)
    kernel = np.array([[1.0, 0.0], [2.0, -1.0]])
    got = impl.convolve2D(backend.asarray(image, dtype), backend.asarray(kernel, dtype))
    expected, flipped = [[4.0, 6.0], [10.0, 12.0]], [[8.0, 10.0], [14.0, 16.0]]
    assert_close(got, expected, backend, what="convolve2D output", input_dtype=dtype, mistakes={FLIPPED: flipped})


@pytest.mark.parametrize("dtype", DTYPES)
def test_convolve2D_with_padding_and_stride_two(impl, backend, dtype):
    # 5 x 6 image, 3 x 3 kernel, padding 1, stride 2: (5 + 2 - 3) // 2 + 1 = 3 rows, (6 + 2 - 3) // 2 + 1 = 3 columns.
    check_image(impl, backend, normal(1, 5, 6), normal(2, 3, 3), padding=1, strides=2, dtype=dtype)


def test_convolve2D_non_square_kernel_with_stride_and_padding_pairs(impl, backend):
    # kernel 2 x 3, strides (2, 1), padding (1, 0) on a 6 x 7 image: output (6 + 2 - 2) // 2 + 1 = 4 by 7 - 3 + 1 = 5.
    check_image(impl, backend, normal(3, 6, 7), normal(4, 2, 3), padding=(1, 0), strides=(2, 1))


# -- conv2d: batches, channels, bias ------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_sums_over_input_channels_and_adds_bias(impl, backend, dtype):
    # N = 2, C = 3, O = 4 on 6 x 5 images with a 3 x 2 kernel: output (2, 4, 4, 4).
    check_conv(impl, backend, normal(5, 2, 3, 6, 5), normal(6, 4, 3, 3, 2), normal(7, 4), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_stride_two_and_padding(impl, backend, dtype):
    # 7 x 8 images, 3 x 3 kernel, stride 2, padding 1: (7 + 2 - 3) // 2 + 1 = 4 rows, (8 + 2 - 3) // 2 + 1 = 4 columns.
    check_conv(impl, backend, normal(8, 2, 2, 7, 8), normal(9, 3, 2, 3, 3), normal(10, 3), stride=2, padding=1, dtype=dtype)


def test_conv2d_non_square_kernel_stride_and_padding_pairs(impl, backend):
    # kernel 3 x 2, stride (2, 1), padding (0, 2) on 7 x 5 images: (7 - 3) // 2 + 1 = 3 rows, 5 + 4 - 2 + 1 = 8 columns.
    check_conv(impl, backend, normal(11, 1, 2, 7, 5), normal(12, 3, 2, 3, 2), normal(13, 3), stride=(2, 1), padding=(0, 2))


def test_conv2d_without_bias(impl, backend):
    check_conv(impl, backend, normal(14, 3, 2, 5, 5), normal(15, 2, 2, 2, 2), None, stride=1, padding=1)


def test_conv2d_bias_is_per_output_channel(impl, backend):
    # O = 4 output channels and an output width of 4 (6 - 3 + 1): `out + bias` still runs when the
    # bias broadcasts over the width, so only the values show the mistake. Height 3 keeps shapes distinct.
    check_conv(impl, backend, normal(16, 2, 2, 5, 6), normal(17, 4, 2, 3, 3), np.array([1.0, -2.0, 3.0, 0.5]))


def test_conv2d_stride_larger_than_kernel_skips_pixels(impl, backend):
    # 1 x 1 kernel with stride 3: samples every third pixel, (8 - 1) // 3 + 1 = 3 positions per axis.
    check_conv(impl, backend, normal(18, 2, 3, 8, 8), normal(19, 2, 3, 1, 1), normal(20, 2), stride=3)


@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_shape_example(impl, backend, dtype):
    # The seed's CNN: a 1 x 1 x 28 x 28 image, 16 filters of 3 x 3 with stride 1 and padding 1, ReLU,
    # then 2 x 2 max pooling with stride 2: 1 x 16 x 14 x 14. The values come from the loop oracles.
    x, weight, bias = normal(21, 1, 1, 28, 28), normal(22, 16, 1, 3, 3), normal(23, 16)
    conv = check_conv(impl, backend, x, weight, bias, stride=1, padding=1, dtype=dtype)
    assert tuple(conv.shape) == (1, 16, 28, 28), f"conv2d output has shape {tuple(conv.shape)}; expected (1, 16, 28, 28)"
    relu = conv.clip(min=0)
    pooled = impl.max_pool2d(relu, 2)
    expected = loop_max_pool(np.maximum(backend.to_numpy(conv).astype(np.float64), 0.0), 2)
    assert expected.shape == (1, 16, 14, 14)
    assert_close(pooled, expected, backend, what="max_pool2d output", input_dtype=dtype, mistakes=pool_mistakes(backend.to_numpy(relu), 2))


# -- max_pool2d ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_max_pool_stride_defaults_to_kernel_size(impl, backend, dtype):
    # 2 x 2 windows side by side on 6 x 6: output 3 x 3 (stride 1 would give 5 x 5).
    check_pool(impl, backend, normal(24, 2, 3, 6, 6), 2, dtype=dtype)


def test_max_pool_matches_hand_worked_example(impl, backend):
    # 4 x 4 input, 2 x 2 windows: the maximum of each quadrant.
    x = np.array([[[[1.0, 5.0, -2.0, 0.0], [3.0, 2.0, 4.0, -1.0], [0.0, -3.0, 7.0, 8.0], [6.0, 1.0, 9.0, 2.0]]]])
    got = impl.max_pool2d(backend.asarray(x), 2)
    assert_close(got, [[[[5.0, 4.0], [6.0, 9.0]]]], backend, what="max_pool2d output")


def test_max_pool_overlapping_windows_with_explicit_stride(impl, backend):
    # 3 x 3 windows with stride 2 on 7 x 9: overlapping windows, (7 - 3) // 2 + 1 = 3 by (9 - 3) // 2 + 1 = 4.
    check_pool(impl, backend, normal(25, 2, 2, 7, 9), 3, stride=2)


def test_max_pool_non_square_window_and_stride_pairs(impl, backend):
    # windows 2 x 3, stride (1, 3) on 5 x 9: 4 by 3 windows.
    check_pool(impl, backend, normal(26, 1, 3, 5, 9), (2, 3), stride=(1, 3))


def test_max_pool_drops_windows_that_do_not_fit(impl, backend):
    # 2 x 2 windows on 7 x 5: the last row and column are dropped (floor), output 3 x 2.
    check_pool(impl, backend, normal(27, 2, 2, 7, 5), 2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_max_pool_of_negative_values(impl, backend, dtype):
    # Every value is negative: each window's maximum is negative too, never 0.
    check_pool(impl, backend, -np.abs(normal(28, 2, 2, 6, 4)) - 0.5, 2, dtype=dtype)


def test_inputs_are_not_modified(impl, backend):
    x, weight, bias, image, kernel = normal(29, 2, 2, 5, 5), normal(30, 3, 2, 3, 3), normal(31, 3), normal(32, 5, 5), normal(33, 3, 3)
    args = [backend.asarray(a) for a in (x, weight, bias, image, kernel)]
    impl.conv2d(args[0], args[1], bias=args[2], stride=1, padding=1)
    impl.convolve2D(args[3], args[4], padding=2, strides=1)
    impl.max_pool2d(args[0], 2)
    for name, before, after in zip(("x", "weight", "bias", "image", "kernel"), (x, weight, bias, image, kernel), args):
        assert_unchanged(before, after, backend, name)


# -- torch: against the built-ins ---------------------------------------------------------------
@pytest.mark.backend("torch")
@pytest.mark.parametrize("dtype", DTYPES)
def test_outputs_keep_input_dtype_and_device(impl, backend, dtype):
    import torch

    x, weight, bias = (backend.asarray(a, dtype) for a in (normal(34, 1, 2, 6, 6), normal(35, 3, 2, 3, 3), normal(36, 3)))
    results = {
        "conv2d output": impl.conv2d(x, weight, bias=bias, padding=1),
        "convolve2D output": impl.convolve2D(x[0, 0], weight[0, 0]),
        "max_pool2d output": impl.max_pool2d(x, 2),
    }
    for what, got in results.items():
        as_result(got, backend, what, dtype=dtype)
        assert got.device == x.device, f"{what} is on {got.device}; the inputs are on {x.device}"
    if torch.cuda.is_available():
        xc, wc, bc = x.cuda(), weight.cuda(), bias.cuda()
        for what, got in (("conv2d output", impl.conv2d(xc, wc, bias=bc, padding=1)), ("max_pool2d output", impl.max_pool2d(xc, 2))):
            assert got.device == xc.device, f"{what} is on {got.device}; the inputs are on {xc.device}"
            assert_close(got.cpu(), backend.to_numpy(results[what]), backend, what=f"{what} on {xc.device}", input_dtype=dtype)


CONV_CASES = [
    pytest.param(dict(stride=1, padding=0), (3, 3), id="3x3"),
    pytest.param(dict(stride=2, padding=1), (3, 3), id="3x3-stride2-pad1"),
    pytest.param(dict(stride=(1, 2), padding=(2, 0)), (2, 4), id="2x4-stride-pair-pad-pair"),
    pytest.param(dict(stride=3, padding=2), (5, 1), id="5x1-stride3-pad2"),
]


@pytest.mark.backend("torch")
@pytest.mark.parametrize("options,kernel", CONV_CASES)
def test_conv2d_matches_torch_builtin(impl, backend, options, kernel):
    import torch.nn.functional as F

    x, weight, bias = (backend.asarray(a) for a in (normal(37, 2, 3, 9, 10), normal(38, 4, 3, *kernel), normal(39, 4)))
    expected = F.conv2d(x, weight, bias, **options)
    assert_close(impl.conv2d(x, weight, bias=bias, **options), backend.to_numpy(expected), backend, what="conv2d output")


@pytest.mark.backend("torch")
def test_conv2d_matches_nn_conv2d_layer(impl, backend):
    import torch

    layer = torch.nn.Conv2d(3, 5, kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), dtype=torch.float64)
    x = backend.asarray(normal(40, 2, 3, 8, 7))
    with torch.no_grad():
        expected = layer(x)
        got = impl.conv2d(x, layer.weight.detach().clone(), bias=layer.bias.detach().clone(), stride=(2, 1), padding=(1, 1))
    assert_close(got, backend.to_numpy(expected), backend, what="conv2d output")


POOL_CASES = [
    pytest.param(2, None, id="2"),
    pytest.param(3, 1, id="3-stride1"),
    pytest.param((2, 3), (2, 1), id="2x3-stride2x1"),
    pytest.param(3, 2, id="3-stride2"),
]


@pytest.mark.backend("torch")
@pytest.mark.parametrize("kernel_size,stride", POOL_CASES)
def test_max_pool_matches_torch_builtin(impl, backend, kernel_size, stride):
    import torch.nn.functional as F

    x = backend.asarray(normal(41, 2, 3, 9, 8))
    expected = F.max_pool2d(x, kernel_size, stride)
    got = impl.max_pool2d(x, kernel_size) if stride is None else impl.max_pool2d(x, kernel_size, stride=stride)
    assert_close(got, backend.to_numpy(expected), backend, what="max_pool2d output")


@pytest.mark.backend("torch")
def test_gradients_match_autograd_through_builtin(impl, backend):
    import torch
    import torch.nn.functional as F

    x, weight, bias = normal(42, 2, 3, 7, 6), normal(43, 4, 3, 3, 2), normal(44, 4)
    # conv: (7 + 2 - 3) // 1 + 1 = 7 by (6 + 2 - 2) // 2 + 1 = 4; pool 3 x 2, stride (3, 1): 2 by 3
    upstream = torch.from_numpy(normal(45, 2, 4, 2, 3))

    def grads(conv, pool):
        leaves = [torch.tensor(a, requires_grad=True) for a in (x, weight, bias)]
        out = conv(leaves[0], leaves[1], leaves[2])
        if not isinstance(out, torch.Tensor) or not out.requires_grad:
            raise AssertionError("the conv2d output does not require grad: gradients do not flow back (no .detach() or .numpy())")
        pooled = pool(out)
        (pooled * upstream).sum().backward()
        return [leaf.grad for leaf in leaves]

    mine = grads(lambda a, w, b: impl.conv2d(a, w, bias=b, stride=(1, 2), padding=1), lambda o: impl.max_pool2d(o, (3, 2), stride=(3, 1)))
    gold = grads(lambda a, w, b: F.conv2d(a, w, b, stride=(1, 2), padding=1), lambda o: F.max_pool2d(o, (3, 2), (3, 1)))
    for name, g, e in zip(("x", "weight", "bias"), mine, gold):
        assert g is not None, f"no gradient reached {name}"
        assert_close(g, e.numpy(), backend, what=f"gradient of {name}")
