"""Assertions for hidden suites: each failure says what was expected, what came back, where, by how much.

Every helper takes the `backend` fixture so that it can check the type of what the attempt returned
(a list, None, a NumPy array from a torch attempt ...) before comparing values.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlkata.backends import Backend


class ResultMismatch(AssertionError):
    """A learner-facing failure; its message is shown as it is."""


def _fmt(value) -> str:
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return "NaN"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return repr(value.item() if isinstance(value, np.generic) else value)


def _index(idx: tuple) -> str:
    return "[" + ", ".join(str(int(i)) for i in idx) + "]" if idx else "(scalar)"


def _type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__.split('.')[0]}.{kind.__name__}"


def as_result(got, backend: Backend, what: str = "the result", dtype: str | None = None, scalar: bool = False) -> np.ndarray:
    """Check the type of what the attempt returned and convert it to NumPy.

    scalar=True accepts a Python number, a NumPy scalar or a 0-d array/tensor.
    dtype, when given, must match exactly (e.g. a float32 input gives a float32 output).
    """
    if got is None:
        raise ResultMismatch(f"{what} is None: did you forget to return it?")
    if scalar and isinstance(got, (int, float, np.number)) and not isinstance(got, bool):
        return np.asarray(got)
    if not backend.is_array(got):
        if backend.name == "torch" and isinstance(got, np.ndarray):
            raise ResultMismatch(f"{what} is a numpy.ndarray; the torch backend takes and returns torch.Tensor")
        if backend.name == "numpy" and type(got).__module__.startswith("torch"):
            raise ResultMismatch(f"{what} is a torch.Tensor; the numpy backend takes and returns numpy.ndarray")
        expected = f"a {backend.array_type_name}" + (" or a number" if scalar else "")
        raise ResultMismatch(f"{what} should be {expected}, got {_type_name(got)}")
    if dtype is not None and backend.dtype_name(got) != dtype:
        raise ResultMismatch(f"{what} has dtype {backend.dtype_name(got)}; expected {dtype} (keep the input's dtype)")
    return backend.to_numpy(got)


def _named(arr: np.ndarray, mistakes, close) -> str:
    """'. This looks like: <mistake>' for the first known mistake whose value `arr` reproduces."""
    for description, alternative in (mistakes or {}).items():
        alt = np.asarray(alternative)
        if alt.shape == arr.shape and close(arr, alt):
            return f". This looks like: {description}"
    return ""


def _first(mask: np.ndarray) -> tuple:
    return tuple(np.argwhere(mask)[0]) if mask.ndim else ()


def assert_close(
    got,
    expected,
    backend: Backend,
    *,
    what: str = "the result",
    input_dtype: str | None = None,
    dtype: str | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    mistakes: Mapping[str, object] | None = None,
) -> None:
    """Compare a float result with the expected values.

    `input_dtype` is the dtype of the inputs: tolerances follow it, and the torch backend must return
    it (tensors keep their dtype). `dtype` requires an exact result dtype in either backend.
    `mistakes` maps a description of a known mistake ("forgot to divide by sqrt(d_k)") to the value
    that mistake produces; when the result matches one, the message names it.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if dtype is None and input_dtype is not None and backend.keeps_dtype:
        dtype = input_dtype
    arr = as_result(got, backend, what, dtype=dtype, scalar=expected.ndim == 0)
    level = input_dtype or dtype or (str(arr.dtype) if arr.dtype.kind == "f" else "float64")
    rtol_d, atol_d = backend.tolerance(level)
    rtol = rtol_d if rtol is None else rtol
    atol = atol_d if atol is None else atol
    if arr.shape != expected.shape:
        if arr.size == expected.size == 1 and expected.ndim == 0:
            arr = arr.reshape(())
        else:
            named = _named(arr, mistakes, lambda a, b: np.allclose(a, b, rtol=max(rtol, 1e-5), atol=max(atol, 1e-6)))
            raise ResultMismatch(f"{what} has shape {tuple(arr.shape)}; expected {tuple(expected.shape)}{named}")
    if arr.dtype.kind not in "fiub":
        raise ResultMismatch(f"{what} has dtype {arr.dtype}; expected real numbers")
    arr = arr.astype(np.float64)
    bad = ~np.isfinite(arr) & np.isfinite(expected)
    if bad.any():
        idx = _first(bad)
        raise ResultMismatch(
            f"{what} contains {_fmt(arr[idx])} at {_index(idx)} where {_fmt(expected[idx])} was expected "
            f"({int(bad.sum())} non-finite of {arr.size}); look for overflow, log(0) or 0/0"
        )
    diff = np.abs(arr - expected)
    wrong = ~(diff <= atol + rtol * np.abs(expected)) & ~((arr == expected))
    if not wrong.any():
        return
    idx = tuple(np.unravel_index(np.argmax(np.where(wrong, diff, -1)), arr.shape)) if arr.ndim else ()
    message = (
        f"{what} differs at {int(wrong.sum())} of {arr.size} positions; largest at {_index(idx)}: "
        f"expected {_fmt(expected[idx])}, got {_fmt(arr[idx])} (off by {_fmt(diff[idx])}; rtol={rtol:g}, atol={atol:g})"
    )
    message += _named(arr, mistakes, lambda a, b: np.allclose(a, b.astype(np.float64), rtol=max(rtol, 1e-5), atol=max(atol, 1e-6)))
    raise ResultMismatch(message)


def assert_equal(got, expected, backend: Backend, *, what: str = "the result", mistakes: Mapping[str, object] | None = None) -> None:
    """Compare an integer / boolean result (labels, indices) by value, in any integer dtype."""
    expected = np.asarray(expected)
    arr = as_result(got, backend, what, scalar=expected.ndim == 0)
    if arr.shape != expected.shape:
        named = _named(arr, mistakes, np.array_equal)
        raise ResultMismatch(f"{what} has shape {tuple(arr.shape)}; expected {tuple(expected.shape)}{named}")
    if arr.dtype.kind == "f" and expected.dtype.kind in "iub":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ResultMismatch(f"{what} has dtype {arr.dtype} with non-integer values; expected integers")
    wrong = arr != expected
    if not wrong.any():
        return
    idx = _first(wrong)
    message = (
        f"{what} differs at {int(wrong.sum())} of {arr.size} positions; first at {_index(idx)}: "
        f"expected {_fmt(expected[idx])}, got {_fmt(arr[idx])}"
    )
    message += _named(arr, mistakes, np.array_equal)
    raise ResultMismatch(message)


def assert_unchanged(before: np.ndarray, after, backend: Backend, what: str) -> None:
    """The attempt must not modify its input in place."""
    now = backend.to_numpy(after)
    if now.shape != np.shape(before) or not np.array_equal(now, before, equal_nan=True):
        raise ResultMismatch(f"your code modified its input {what} in place; work on a copy instead")
