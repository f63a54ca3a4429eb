"""Runs a kata's hidden suite against an attempt in a child process; the only module that knows pytest.

The child is `python -m pytest SUITE -p mlkata.plugin ...` in its own process group and a temporary
working directory; the plugin writes per-test results to a JSON file that this module reads back into
`CheckResult`. Past the time limit the whole group is killed and the test that was running is reported
as timed out.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlkata.catalog import Kata
from mlkata.results import CheckResult, Outcome, Status, TestResult

DEFAULT_TIMEOUT_S = 60.0  # generous enough for torch's import on a slow laptop
OUTPUT_TAIL_BYTES = 4000


def child_command(kata: Kata, backend: str, attempt: Path, report: Path, workdir: Path) -> list[str]:
    ini = workdir / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    return [
        sys.executable, "-m", "pytest", str(kata.suite_path()),
        "-p", "mlkata.plugin",
        "--mlkata-impl", str(attempt),
        "--mlkata-backend", backend,
        "--mlkata-report", str(report),
        "-c", str(ini), "--rootdir", str(workdir), "--confcutdir", str(kata.suite_path().parent),
        "-p", "no:cacheprovider", "-p", "no:terminal", "-s", "-W", "ignore",
    ]  # fmt: skip
    # -s: what the attempt prints goes straight to the output file (memory stays flat, the parent
    # shows a bounded tail); no:terminal: pytest's own report is not needed, the plugin's JSON is.


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # third-party plugins only slow the child down
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _tail(path: Path, limit: int = OUTPUT_TAIL_BYTES) -> tuple[str, bool]:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            handle.seek(max(0, size - limit))
            return handle.read().decode("utf-8", "replace"), size > limit
    except OSError:
        return "", False


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def run_check(kata: Kata, backend: str, attempt: Path, timeout: float = DEFAULT_TIMEOUT_S) -> CheckResult:
    """Run the suite of `kata` against `attempt` and return typed results (never raises for the attempt)."""
    attempt = attempt.resolve()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mlkata-check-") as tmp:
        workdir = Path(tmp)
        report = workdir / "report.json"
        output = workdir / "output.txt"
        with output.open("wb") as sink:
            proc = subprocess.Popen(
                child_command(kata, backend, attempt, report, workdir),
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=_child_env(),
                start_new_session=True,  # its own process group, killed as one
            )
            timed_out = False
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            except BaseException:  # Ctrl-C in the parent: take the child down with us
                _kill_group(proc)
                raise
            finally:
                _kill_group(proc)  # also reaps anything the attempt left running in its group
        tail, cut = _tail(output)
        result = _collect(kata, backend, attempt, report, proc.returncode, timed_out, timeout)
        result.output_tail = ("(cut) ..." + tail) if cut else tail
    result.duration_s = time.perf_counter() - started
    return result


def _collect(kata: Kata, backend: str, attempt: Path, report: Path, returncode: int, timed_out: bool, timeout: float) -> CheckResult:
    try:
        doc = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = {"done": False, "current": None, "tests": [], "collect_errors": []}
    tests = [TestResult(t["name"], Outcome(t["outcome"]), t.get("message", ""), t.get("duration_s", 0.0)) for t in doc["tests"]]
    result = CheckResult(kata.id, backend, str(attempt), Status.PASSED, tests)
    current = doc.get("current")
    if timed_out:
        result.status = Status.TIMED_OUT
        result.note = f"stopped after the time limit of {timeout:g} s (change it with --timeout)"
        if current:
            tests.append(TestResult(current, Outcome.TIMED_OUT, f"still running after the time limit of {timeout:g} s"))
    elif not doc.get("done"):
        result.status = Status.CRASHED
        how = f"killed by signal {signal.Signals(-returncode).name}" if returncode < 0 else f"exited with status {returncode}"
        result.note = f"the check process {how} before the suite finished"
        if current:
            tests.append(TestResult(current, Outcome.ERROR, f"the process {how} during this test (os._exit, a crash, ...)"))
    elif doc.get("collect_errors"):
        result.status = Status.BROKEN
        result.note = "the hidden suite could not be collected: " + "; ".join(doc["collect_errors"])
    elif any(t.outcome in (Outcome.FAILED, Outcome.ERROR) for t in tests) or not tests:
        result.status = Status.FAILED
    if result.status is Status.FAILED and _is_stub(kata, backend, attempt):
        result.status = Status.NOT_STARTED
        result.note = "this is still the untouched stub: write your solution, then check again"
    return result


def _is_stub(kata: Kata, backend: str, attempt: Path) -> bool:
    try:
        return attempt.read_bytes() == kata.stub_path(backend).read_bytes()
    except OSError:
        return False
