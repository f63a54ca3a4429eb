"""How fast mlkata gives feedback, as ratios to the imports it cannot avoid (medians, same run).

    python benchmarks/feedback.py [--repeat N] [--saves N] [--json]

- list_ratio:      `mlkata list` / `python -c "import typer, rich"`           (target <= 2.0)
- check_ratio:     cold `mlkata check` of the attention torch reference /
                   `python -c "import torch, pytest"`                        (target <= 1.5)
- check_numpy_ratio: the same for the numpy reference, against the same baseline
- watch_recheck_s: from saving the attempt to the result shown by `mlkata watch` (torch)  (<= 0.3 s)
- watch_vs_cold:   watch_recheck_s / cold check                              (target <= 0.25)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable


def timed(cmd: list[str], env: dict, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def watch_recheck(env: dict, workspace: Path, saves: int) -> float | None:
    """Median time from an editor-style save (write + rename) to watch printing the result."""
    reference = (REPO / "solutions" / "attention" / "solution_torch.py").read_text()
    target = workspace / "attention_torch.py"
    target.write_text(reference)
    proc = subprocess.Popen(
        [PY, "-m", "mlkata", "watch", "attention", "--backend", "torch", "--max-checks", str(saves + 1)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )  # fmt: skip
    times = []
    try:
        # the first check (on start) warms nothing we measure: wait for it
        if not _wait_for_result(proc, 120):
            return None
        for i in range(saves):
            time.sleep(0.3)  # let the debounce window close
            tmp = workspace / f".attention_torch.py.{i}.tmp"
            tmp.write_text(reference + f"\n# save {i}\n")
            start = time.perf_counter()
            os.replace(tmp, target)
            if not _wait_for_result(proc, 60):
                return None
            times.append(time.perf_counter() - start)
    finally:
        proc.kill()
        proc.wait()
    return statistics.median(times) if times else None


def _wait_for_result(proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        line = proc.stdout.readline()
        if not line:
            return False
        if line.startswith(("PASSED ", "FAILED ", "NOT STARTED", "TIMED OUT", "CRASHED")):
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    workspace = Path(tempfile.mkdtemp(prefix="mlkata-bench-"))
    env = {**os.environ, "MLKATA_WORKSPACE": str(workspace), "NO_COLOR": "1"}
    mlkata = [PY, "-m", "mlkata"]
    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    try:
        base_list = timed([PY, "-c", "import typer, rich"], env, args.repeat)
        mlkata_list = timed([*mlkata, "list"], env, args.repeat)
        results.update(list_s=mlkata_list, import_typer_rich_s=base_list, list_ratio=mlkata_list / base_list)

        base_check = timed([PY, "-c", "import torch, pytest"], env, args.repeat)
        checks = {}
        for backend in ("torch", "numpy"):
            ref = REPO / "solutions" / "attention" / f"solution_{backend}.py"
            checks[backend] = timed([*mlkata, "check", "attention", "--backend", backend, "--file", str(ref)], env, args.repeat)
        results.update(
            import_torch_pytest_s=base_check,
            check_torch_s=checks["torch"],
            check_numpy_s=checks["numpy"],
            check_ratio=checks["torch"] / base_check,
            check_numpy_ratio=checks["numpy"] / base_check,
        )
        recheck = watch_recheck(env, workspace, args.saves)
        results.update(watch_recheck_s=recheck, watch_vs_cold=(recheck / checks["torch"]) if recheck else None)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)

    if args.json:
        print(json.dumps(results))
        return
    print(f"machine: {results['machine']}")
    rows = [
        ("list_ratio", "mlkata list / import typer, rich", 2.0),
        ("check_ratio", "cold check (torch) / import torch, pytest", 1.5),
        ("check_numpy_ratio", "cold check (numpy) / import torch, pytest", None),
        ("watch_recheck_s", "watch: save -> result (s, torch)", 0.3),
        ("watch_vs_cold", "watch re-check / cold check", 0.25),
    ]
    for key, label, target in rows:
        value = results.get(key)
        shown = "n/a" if value is None else f"{value:.3f}"
        verdict = "" if target is None or value is None else ("  ok" if value <= target else f"  over target {target}")
        print(f"{label:45s} {shown:>8s}{verdict}")


if __name__ == "__main__":
    main()
