"""Runs a kata's hidden suite against an attempt in a child process; the only module that knows pytest.

The child runs `pytest SUITE -p mlkata.plugin ...` in its own process group, in a temporary working
directory, under a memory limit; the plugin writes per-test results to a JSON file that this module
reads back into a `CheckResult`. Past the time limit the whole group is killed and the running test is
reported as timed out; a crash (segfault, os._exit) is pinned on the test that was running, and the
rest of the suite is run again without it. What the attempt prints is kept as a bounded tail.

Two executors run the child: `ColdExecutor` starts a fresh interpreter; `mlkata.warm.WarmChecker`
forks one from a process that has already imported pytest, numpy and torch. Both give the same results.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from mlkata.catalog import Kata
from mlkata.results import CheckResult, Outcome, Status, TestResult

DEFAULT_TIMEOUT_S = 60.0  # generous enough for torch's import on a slow laptop
OUTPUT_TAIL_BYTES = 8000  # what is kept of the attempt's output
MAX_CRASH_RERUNS = 3  # a crash pins one test; the rest of the suite runs again, this many times at most
MEMORY_ENV = "MLKATA_MEMORY_MB"
# pytest plugins a check does not need: the plugin's JSON lines are the report (no terminal), and
# unraisableexception's gc.collect() alone costs 0.2-0.5 s in a process that has imported torch.
UNUSED_PLUGINS = (
    "terminal", "cacheprovider", "faulthandler", "logging", "unraisableexception", "threadexception",
    "junitxml", "pastebin", "doctest", "stepwise", "legacypath", "setuponly", "setupplan", "debugging", "subtests",
)  # fmt: skip


def default_memory_mb() -> int:
    """Half of the machine's memory, and at least 1 GiB: enough for any kata, not enough to hurt."""
    env = os.environ.get(MEMORY_ENV)
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1 << 20)
    except (ValueError, OSError, AttributeError):
        return 4096
    return max(1024, total // 2)


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int | None = None  # None: default_memory_mb()

    @property
    def memory_bytes(self) -> int:
        return (self.memory_mb or default_memory_mb()) << 20


@dataclass
class ChildRun:
    """How one child process ended."""

    returncode: int | None
    timed_out: bool
    output: str
    output_cut: bool


class Tail:
    """A bounded tail of a byte stream: memory stays flat whatever the attempt prints."""

    def __init__(self, limit: int = OUTPUT_TAIL_BYTES):
        self.limit = limit
        self.chunks: deque[bytes] = deque()
        self.size = 0
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        self.size += len(chunk)
        self.total += len(chunk)
        while self.size - len(self.chunks[0]) >= self.limit:
            self.size -= len(self.chunks.popleft())

    def drain(self, fd: int) -> None:
        while chunk := os.read(fd, 65536):
            self.feed(chunk)

    @property
    def cut(self) -> bool:
        return self.total > self.limit

    def text(self) -> str:
        return b"".join(self.chunks)[-self.limit :].decode("utf-8", "replace")


def pytest_args(kata: Kata, backend: str, attempt: Path, report: Path, workdir: Path, deselect: tuple[str, ...] = ()) -> list[str]:
    """Arguments after `python -m pytest`: the suite, mlkata's plugin, and an empty configuration."""
    ini = workdir / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    suite = kata.suite_path()
    args = [
        str(suite), "-p", "mlkata.plugin",
        "--mlkata-impl", str(attempt), "--mlkata-backend", backend, "--mlkata-report", str(report),
        "-c", str(ini), "--rootdir", str(workdir), "--confcutdir", str(suite.parent),
        "-s", "-W", "ignore",
    ]  # fmt: skip
    for plugin in UNUSED_PLUGINS:
        args += ["-p", f"no:{plugin}"]
    # -s: the attempt's output goes straight to our pipe (we keep a bounded tail).
    for name in deselect:
        args += ["--mlkata-skip", name]
    return args


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # third-party plugins only slow the child down
    # Compiled suites (pytest's rewritten ones too) are cached outside the sources: fast again next time,
    # and nothing is written next to a learner's attempt or into site-packages.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / f"mlkata-pycache-{os.getuid() if hasattr(os, 'getuid') else 'user'}")
    env["PYTHONUNBUFFERED"] = "1"  # prints arrive in order, and are not lost in a crash
    # Kata-sized arrays are faster on one thread than with a pool spun up per check (and a fork never
    # inherits a half-started pool). A learner who sets it keeps theirs.
    env.setdefault("OMP_NUM_THREADS", "1")
    env.pop("PYTEST_ADDOPTS", None)
    return env


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def limit_memory(limit_bytes: int) -> None:
    """In the child: a hard cap on address space, so a runaway allocation raises MemoryError."""
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    except (ValueError, OSError):
        pass


class ColdExecutor:
    """A fresh `python -m pytest` per check."""

    note = ""

    def run(self, args: list[str], workdir: Path, limits: Limits) -> ChildRun:
        read_fd, write_fd = os.pipe()
        memory = limits.memory_bytes
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pytest", *args],
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=write_fd,
                stderr=write_fd,
                env=child_env(),
                start_new_session=True,  # its own process group, killed as one
                preexec_fn=lambda: limit_memory(memory),
            )
        finally:
            os.close(write_fd)
        tail = Tail()
        reader = threading.Thread(target=tail.drain, args=(read_fd,), daemon=True)
        reader.start()
        timed_out = False
        try:
            proc.wait(timeout=limits.timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:  # also on Ctrl-C: the child and anything it started go down with us
            kill_group(proc.pid)
            proc.wait()
        reader.join(timeout=1.0)  # a grandchild that escaped the group may hold the pipe: do not wait for it
        if not reader.is_alive():
            os.close(read_fd)
        return ChildRun(proc.returncode, timed_out, tail.text(), tail.cut)


def run_check(kata: Kata, backend: str, attempt: Path, timeout: float = DEFAULT_TIMEOUT_S, memory_mb: int | None = None, executor=None) -> CheckResult:
    """Run the suite of `kata` against `attempt` and return typed results (never raises for the attempt)."""
    attempt = attempt.resolve()
    executor = executor or ColdExecutor()
    limits = Limits(timeout, memory_mb)
    started = time.perf_counter()
    crashed: list[TestResult] = []
    output, cut = "", False
    with tempfile.TemporaryDirectory(prefix="mlkata-check-") as tmp:
        workdir = Path(tmp)
        for attempt_number in range(MAX_CRASH_RERUNS + 1):
            report = workdir / f"report-{attempt_number}.json"
            remaining = Limits(max(0.1, timeout - (time.perf_counter() - started)), memory_mb)
            run = executor.run(pytest_args(kata, backend, attempt, report, workdir, tuple(t.name for t in crashed)), workdir, remaining)
            output, cut = (output + run.output)[-OUTPUT_TAIL_BYTES:], cut or run.output_cut or len(output + run.output) > OUTPUT_TAIL_BYTES
            doc = _read_report(report)
            if run.timed_out or doc["done"] or not doc.get("current") or attempt_number == MAX_CRASH_RERUNS:
                break
            crashed += _crash_results(doc, run)  # pin the crash on its test, run the rest again
        result = _collect(kata, backend, attempt, doc, run, limits, crashed)
    if "INTERNALERROR>" in output:  # pytest's own failure (out of memory outside a test, say): not the learner's output
        output = "\n".join(line for line in output.splitlines() if not line.startswith("INTERNALERROR>"))
        result.note = (result.note + "; " if result.note else "") + "pytest itself failed after your code ran (often: out of memory)"
    result.output_tail = ("(cut: showing the end of the output) ..." + output) if cut else output
    if cut:
        result.note = (result.note + "; " if result.note else "") + "your code printed a lot: only the end of the output is shown"
    if executor.note:
        result.note = (result.note + "; " if result.note else "") + executor.note
    result.duration_s = time.perf_counter() - started
    return result


def _read_report(report: Path) -> dict:
    """Fold the plugin's JSON lines into {done, current, tests, collected, collect_errors}."""
    doc = {"done": False, "current": None, "tests": [], "collected": [], "collect_errors": []}
    try:
        lines = report.read_text(encoding="utf-8").splitlines()
    except OSError:
        return doc
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:  # a line cut short by a crash
            continue
        if "start" in event:
            doc["current"] = event["start"]
        elif "result" in event:
            doc["tests"] = [t for t in doc["tests"] if t["name"] != event["result"]["name"]] + [event["result"]]
            doc["current"] = None
        elif "collected" in event:
            doc["collected"] = event["collected"]
        elif "collect_error" in event:
            doc["collect_errors"].append(event["collect_error"])
        elif event.get("done"):
            doc["done"], doc["current"] = True, None
    return doc


def _how(run: ChildRun) -> str:
    code = run.returncode
    if code is not None and code < 0:
        try:
            return f"was killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code} (os._exit or a crash)"


def _crash_results(doc: dict, run: ChildRun) -> list[TestResult]:
    return [TestResult(doc["current"], Outcome.ERROR, f"the check process {_how(run)} during this test")]


def _collect(kata: Kata, backend: str, attempt: Path, doc: dict, run: ChildRun, limits: Limits, crashed: list[TestResult]) -> CheckResult:
    reported = {t.name: t for t in crashed}
    for t in doc["tests"]:
        reported[t["name"]] = TestResult(t["name"], Outcome(t["outcome"]), t.get("message", ""), t.get("duration_s", 0.0))
    current = doc.get("current")
    result = CheckResult(kata.id, backend, str(attempt), Status.PASSED)
    finished = bool(doc["collected"]) and all(name in reported for name in doc["collected"]) and not current
    if run.timed_out and finished:  # every test reported: judge by the results, not by a slow exit
        result.note = f"every test ran, but the process was still exiting at the time limit of {limits.timeout_s:g} s"
    elif run.timed_out:
        result.status = Status.TIMED_OUT
        result.note = f"stopped at the time limit of {limits.timeout_s:g} s (change it with --timeout)"
        if current:
            reported[current] = TestResult(current, Outcome.TIMED_OUT, f"still running at the time limit of {limits.timeout_s:g} s")
        elif not reported:
            result.note = (
                f"the time limit of {limits.timeout_s:g} s ran out before the first test started "
                "(starting Python, pytest and the backend takes a few seconds: raise --timeout)"
            )
    elif not doc["done"]:
        result.status = Status.CRASHED
        result.note = f"the check process {_how(run)}"
        if current:
            reported[current] = TestResult(current, Outcome.ERROR, f"the check process {_how(run)} during this test")
    elif doc.get("collect_errors"):
        result.status = Status.BROKEN
        result.note = "the hidden suite could not be collected: " + "; ".join(doc["collect_errors"])
    if crashed and result.status is Status.PASSED:
        result.status = Status.CRASHED
        result.note = f"the check process crashed during {sum(t.outcome is Outcome.ERROR for t in crashed)} test(s); the others ran again without them"
    for name in doc.get("collected") or []:  # tests that never ran (after a time-out or a crash)
        reported.setdefault(name, TestResult(name, Outcome.NOT_RUN, "not run: an earlier test stopped the check"))
    result.tests = list(reported.values())
    if any("out of memory" in t.message for t in result.tests) and result.status in (Status.PASSED, Status.CRASHED):
        result.status = Status.OUT_OF_MEMORY
    if result.status is Status.PASSED and (not result.tests or any(t.outcome in (Outcome.FAILED, Outcome.ERROR, Outcome.NOT_RUN) for t in result.tests)):
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
