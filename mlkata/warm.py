"""The warm checker: a long-lived worker that has imported pytest, numpy and torch, and forks per check.

`watch` and `session` re-check on every save; a cold check pays Python's start and torch's import each
time. The worker pays them once; each check is a fresh fork that imports the attempt anew and runs the
suite (state never leaks between checks), in its own process group, under the same time and memory
limits, writing the same JSON report. Where fork does not exist, or the worker dies and cannot be
restarted, checks fall back to cold ones and say so.

Protocol (one JSON object per line): the worker says {"ready": pid}; for each request
{"args", "workdir", "memory_bytes"} it answers {"pid": fork_pid}, then {"returncode", "output", "cut"}.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from mlkata.runner import ChildRun, ColdExecutor, Limits, Tail, child_env, kill_group, limit_memory

READY_TIMEOUT_S = 60.0


class WorkerDied(RuntimeError):
    pass


class WarmChecker:
    """An executor for `runner.run_check` (pass it as `executor=`); one per backend."""

    def __init__(self, backend: str):
        self.backend = backend
        self.note = ""
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self._cold = ColdExecutor()
        if not hasattr(os, "fork"):
            self.note = "this platform has no fork: checks are cold"

    # -- worker lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        if self.note or (self.proc and self.proc.poll() is None):
            return
        if self.proc is not None:  # it died since the last check
            self.close()
            self.restarts += 1
        env = child_env()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mlkata.warm", self.backend],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        hello = self._read(READY_TIMEOUT_S)
        if "ready" not in hello:
            raise WorkerDied("the warm checker did not start")

    def close(self) -> None:
        if self.proc is not None:
            kill_group(self.proc.pid)
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                stream.close()
            self.proc = None

    def __enter__(self) -> "WarmChecker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read(self, timeout: float) -> dict:
        assert self.proc is not None and self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, timeout))
        if not ready:
            raise TimeoutError
        line = self.proc.stdout.readline()
        if not line:
            raise WorkerDied("the warm checker exited")
        return json.loads(line)

    # -- one check ------------------------------------------------------------------------
    def run(self, args: list[str], workdir: Path, limits: Limits) -> ChildRun:
        if self.note:
            return self._cold.run(args, workdir, limits)
        for _ in range(2):
            try:
                self.start()
                return self._run_warm(args, workdir, limits)
            except (WorkerDied, OSError, ValueError, TimeoutError):
                self.close()
                self.restarts += 1  # counted here when it died during the check
        self.note = "the warm checker could not be (re)started: this check was cold"
        return self._cold.run(args, workdir, limits)

    def _run_warm(self, args: list[str], workdir: Path, limits: Limits) -> ChildRun:
        assert self.proc is not None and self.proc.stdin is not None
        started = time.monotonic()
        request = {"args": args, "workdir": str(workdir), "memory_bytes": limits.memory_bytes}
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        pid = self._read(READY_TIMEOUT_S)["pid"]
        timed_out = False
        try:
            done = self._read(limits.timeout_s - (time.monotonic() - started))
        except TimeoutError:
            timed_out = True
            kill_group(pid)  # the fork leads its own group: it and its children go
            done = self._read(5.0)
        except BaseException:
            kill_group(pid)
            raise
        return ChildRun(done["returncode"], timed_out, done["output"], done["cut"])


# -- the worker process ---------------------------------------------------------------------
def _send(message: dict) -> None:
    sys.__stdout__.write(json.dumps(message) + "\n")
    sys.__stdout__.flush()


def _serve_one(request: dict) -> None:
    import pytest

    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the fork: a fresh process for this one check
        code = 3
        try:
            os.setsid()
            os.close(read_fd)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(write_fd, 1)
            os.dup2(write_fd, 2)
            os.chdir(request["workdir"])
            limit_memory(request["memory_bytes"])
            code = int(pytest.main(request["args"]))
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(write_fd)
    _send({"pid": pid})
    tail = Tail()
    reader = threading.Thread(target=tail.drain, args=(read_fd,), daemon=True)
    reader.start()
    _, status = os.waitpid(pid, 0)
    reader.join(timeout=1.0)
    if not reader.is_alive():
        os.close(read_fd)
    returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    _send({"returncode": returncode, "output": tail.text(), "cut": tail.cut})


def serve(backend: str) -> None:
    os.environ.update({k: v for k, v in child_env().items() if k.startswith(("PYTEST_", "PYTHON"))})
    import numpy  # noqa: F401  (imported once, shared by every fork)
    import pytest  # noqa: F401

    import mlkata.backends  # noqa: F401
    import mlkata.plugin  # noqa: F401
    import mlkata.testing  # noqa: F401

    if backend == "torch":
        import torch  # noqa: F401  (no tensor op here: no thread pool exists at fork time)
    import gc
    import importlib

    from _pytest.config import default_plugins

    for name in default_plugins:  # pytest imports these on every start: do it once, here
        importlib.import_module(f"_pytest.{name}")
    gc.freeze()  # what is loaded now is never collected: no fork walks (or copies) it again
    _send({"ready": os.getpid()})
    for line in sys.stdin:
        if line.strip():
            _serve_one(json.loads(line))


if __name__ == "__main__":
    serve(sys.argv[1])
