"""Backend adapters for hidden suites: make inputs from NumPy data, convert results back.

One suite serves both backends: it builds its cases in NumPy, asks the adapter for the backend's
arrays or tensors, and converts what the attempt returns back to NumPy to compare.
"""

from __future__ import annotations

import numpy as np

# Default tolerances per dtype, those of torch.testing.assert_close.
TOLERANCES = {
    "float64": (1e-7, 1e-7),
    "float32": (1.3e-6, 1e-5),
    "float16": (1e-3, 1e-5),
}


class Backend:
    """The interface a suite sees as its `backend` fixture."""

    name: str
    array_type_name: str
    keeps_dtype: bool = False  # must a float result keep the inputs' dtype? (torch: yes)

    def asarray(self, data, dtype: str | None = "float64"):
        """A fresh backend array from NumPy data or nested lists (dtype None keeps NumPy's)."""
        raise NotImplementedError

    def is_array(self, value) -> bool:
        raise NotImplementedError

    def to_numpy(self, value) -> np.ndarray:
        """A NumPy copy of a backend array, a NumPy array or a Python number."""
        raise NotImplementedError

    def dtype_name(self, value) -> str:
        raise NotImplementedError

    def tolerance(self, dtype: str) -> tuple[float, float]:
        return TOLERANCES.get(dtype, (0.0, 0.0))

    def __repr__(self) -> str:
        return f"<{self.name} backend>"


class NumpyBackend(Backend):
    name = "numpy"
    array_type_name = "numpy.ndarray"

    def asarray(self, data, dtype="float64"):
        return np.array(data, dtype=dtype, copy=True)

    def is_array(self, value) -> bool:
        return isinstance(value, np.ndarray)

    def to_numpy(self, value) -> np.ndarray:
        return np.array(value, copy=True)

    def dtype_name(self, value) -> str:
        return str(np.asarray(value).dtype)


class TorchBackend(Backend):
    name = "torch"
    array_type_name = "torch.Tensor"
    keeps_dtype = True

    def __init__(self):
        import torch

        self.torch = torch

    def asarray(self, data, dtype="float64"):
        array = np.array(data, dtype=dtype, copy=True)
        return self.torch.from_numpy(array)

    def is_array(self, value) -> bool:
        return isinstance(value, self.torch.Tensor)

    def to_numpy(self, value) -> np.ndarray:
        if isinstance(value, self.torch.Tensor):
            return value.detach().cpu().numpy().copy()
        return np.array(value, copy=True)

    def dtype_name(self, value) -> str:
        if isinstance(value, self.torch.Tensor):
            return str(value.dtype).removeprefix("torch.")
        return str(np.asarray(value).dtype)


def get_backend(name: str) -> Backend:
    if name == "numpy":
        return NumpyBackend()
    if name == "torch":
        return TorchBackend()
    raise ValueError(f"unknown backend {name!r}")
