"""Time the cnn kata's torch reference conv2d against torch.nn.functional.conv2d.

    .venv/bin/python benchmarks/conv2d.py            # a table: medians and the ratio reference / F.conv2d
    .venv/bin/python benchmarks/conv2d.py --json     # the same as one JSON document
    .venv/bin/python benchmarks/conv2d.py --device cuda --repeats 50

The reference is vectorised (a strided window view and one einsum); a ratio of a few times F.conv2d
is expected on CPU. A Python loop over output positions would be hundreds of times slower.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "solutions" / "cnn" / "solution_torch.py"

# (name, x shape (N, C, H, W), weight shape (O, C, kh, kw), stride, padding)
CASES = [
    ("mnist-like 1x1x28x28 -> 16, 3x3, pad 1", (1, 1, 28, 28), (16, 1, 3, 3), 1, 1),
    ("batch 8x16x32x32 -> 32, 3x3, pad 1", (8, 16, 32, 32), (32, 16, 3, 3), 1, 1),
    ("batch 8x32x32x32 -> 32, 5x5, stride 2, pad 2", (8, 32, 32, 32), (32, 32, 5, 5), 2, 2),
    ("batch 16x64x16x16 -> 64, 3x3, pad 1", (16, 64, 16, 16), (64, 64, 3, 3), 1, 1),
]


def load_reference():
    spec = importlib.util.spec_from_file_location("cnn_reference_torch", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def median_times(fns, repeats: int, sync) -> list[float]:
    """Median seconds per call of each function; the calls alternate, so background load hits all alike."""
    for fn in fns:  # warm-up: allocator, kernels, threads
        for _ in range(3):
            fn()
    sync()
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, spent in zip(fns, times):
            start = time.perf_counter()
            fn()
            sync()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per case (the median is reported)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    args = parser.parse_args(argv)

    import torch
    import torch.nn.functional as F

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print("no CUDA device is available", file=sys.stderr)
        return 2
    reference = load_reference()
    dtype = getattr(torch, args.dtype)
    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    generator = torch.Generator().manual_seed(0)
    rows = []
    with torch.no_grad():
        for name, x_shape, w_shape, stride, padding in CASES:
            x = torch.randn(x_shape, generator=generator, dtype=dtype).to(args.device)
            weight = torch.randn(w_shape, generator=generator, dtype=dtype).to(args.device)
            bias = torch.randn(w_shape[0], generator=generator, dtype=dtype).to(args.device)
            mine = reference.conv2d(x, weight, bias=bias, stride=stride, padding=padding)
            gold = F.conv2d(x, weight, bias, stride=stride, padding=padding)
            error = (mine - gold).abs().max().item()
            t_ref, t_builtin = median_times(
                [
                    lambda: reference.conv2d(x, weight, bias=bias, stride=stride, padding=padding),
                    lambda: F.conv2d(x, weight, bias, stride=stride, padding=padding),
                ],
                args.repeats,
                sync,
            )
            rows.append({
                "case": name,
                "reference_ms": t_ref * 1e3,
                "builtin_ms": t_builtin * 1e3,
                "ratio": t_ref / t_builtin,
                "max_abs_error": error,
            })  # fmt: skip
    if args.json:
        doc = {"device": args.device, "dtype": args.dtype, "repeats": args.repeats, "torch": torch.__version__, "cases": rows}
        print(json.dumps(doc, indent=2))
        return 0
    print(f"cnn reference conv2d vs F.conv2d ({args.device}, {args.dtype}, median of {args.repeats}, torch {torch.__version__})")
    print(f"{'case':48} {'reference':>11} {'F.conv2d':>11} {'ratio':>7} {'max |err|':>10}")
    for row in rows:
        print(f"{row['case']:48} {row['reference_ms']:9.3f}ms {row['builtin_ms']:9.3f}ms {row['ratio']:6.2f}x {row['max_abs_error']:10.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
