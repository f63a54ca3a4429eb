"""The runner's promises (issues: hardening, warm checker), each through the real check path.

A learner's code cannot hang, crash or fool mlkata: time and memory limits, huge output, exits and
crashes, a temporary working directory; and the warm checker gives exactly what a cold check gives.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import MISTAKES, needs_torch

from mlkata.catalog import load_catalog
from mlkata.results import Outcome, Status
from mlkata.runner import Tail, run_check
from mlkata.warm import WarmChecker

KATA = load_catalog().get("attention")
RIGHT = KATA.solution_path("numpy").read_text(encoding="utf-8")


def attempt(tmp_path: Path, body: str, prelude: str = "import numpy as np\n") -> Path:
    """The reference, with `body` run first inside the entry point."""
    path = tmp_path / "attention_numpy.py"
    head, sep, rest = RIGHT.partition("    d_k = Q.shape[-1]")
    indented = "".join(f"    {line}\n" for line in body.strip().splitlines())
    path.write_text(prelude + head + indented + sep + rest, encoding="utf-8")
    return path


def failures(result):
    return [t for t in result.tests if t.outcome is not Outcome.PASSED]


@pytest.fixture(params=["cold", "warm"])
def executor(request):
    if request.param == "cold":
        yield None
    else:
        with WarmChecker("numpy") as checker:
            checker.start()
            yield checker


def test_sleeping_attempt_stops_within_a_second_of_the_limit(tmp_path, executor):
    started = time.perf_counter()
    result = run_check(KATA, "numpy", attempt(tmp_path, "import time\ntime.sleep(60)"), timeout=3, executor=executor)
    assert time.perf_counter() - started < 3 + 1.5
    assert result.status is Status.TIMED_OUT
    assert any(t.outcome is Outcome.TIMED_OUT and "time limit of 3 s" in t.message for t in result.tests)
    assert all(t.outcome is Outcome.NOT_RUN for t in result.tests if t.outcome not in (Outcome.TIMED_OUT, Outcome.PASSED))


def test_children_of_the_attempt_are_killed_with_it(tmp_path, executor):
    marker = tmp_path / "child-alive"
    script = f"import time, pathlib; time.sleep(4); pathlib.Path({str(marker)!r}).touch()"
    body = f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', {script!r}])\nwhile True: pass"
    result = run_check(KATA, "numpy", attempt(tmp_path, body), timeout=2, executor=executor)
    assert result.status is Status.TIMED_OUT
    time.sleep(3)
    assert not marker.exists(), "a process started by the attempt outlived the check"


def test_unbounded_allocation_is_reported_as_out_of_memory(tmp_path, executor):
    body = "hog = []\nwhile True:\n    hog.append(np.ones(10_000_000))"
    result = run_check(KATA, "numpy", attempt(tmp_path, body), memory_mb=1500, executor=executor)
    assert result.status is Status.OUT_OF_MEMORY, result.to_json()
    assert any("out of memory" in t.message and "1500 MB" in t.message for t in result.tests)


def test_megabytes_of_output_keep_a_bounded_tail(tmp_path, executor):
    spam = "import sys\nsys.stdout.write(''.join(f'{\"spam\" * 20} {i}\\n' for i in range(300_000)))\n"
    result = run_check(KATA, "numpy", attempt(tmp_path, "pass", prelude="import numpy as np\n" + spam), executor=executor)
    assert result.status is Status.PASSED
    assert len(result.output_tail) < 10_000 and "only the end of the output" in result.note
    assert "299999" in result.output_tail


def test_tail_keeps_only_the_end():
    tail = Tail(limit=10)
    for chunk in (b"abcdef", b"ghijkl", b"mnopqr"):
        tail.feed(chunk)
    assert tail.text() == "ijklmnopqr" and tail.cut


@pytest.mark.parametrize(
    "body,message",
    [
        ("import sys\nsys.exit(4)", "your code raised SystemExit: 4"),
        ("raise KeyboardInterrupt", "your code raised KeyboardInterrupt"),
    ],
    ids=["sys-exit", "keyboard-interrupt"],
)
def test_exits_raised_by_the_attempt_fail_each_test(tmp_path, executor, body, message):
    result = run_check(KATA, "numpy", attempt(tmp_path, body), executor=executor)
    assert result.status is Status.FAILED
    assert failures(result) and all(message in t.message for t in failures(result))
    assert len(result.tests) > 10, "the session went on after the exit"


@pytest.mark.parametrize(
    "body,how",
    [
        ("import os\nif Q.ndim == 4: os._exit(0)", "exited with status 0"),
        ("import ctypes\nif Q.ndim == 4: ctypes.string_at(0)", "killed by signal SIGSEGV"),
    ],
    ids=["os-exit", "segfault"],
)
def test_a_crash_is_pinned_on_its_tests_and_the_rest_still_run(tmp_path, executor, body, how):
    result = run_check(KATA, "numpy", attempt(tmp_path, body), executor=executor)
    assert result.status is Status.CRASHED
    crashed = [t for t in result.tests if t.outcome is Outcome.ERROR]
    assert crashed and all(how in t.message for t in crashed)
    assert any(t.outcome is Outcome.PASSED and "batch" not in t.name for t in result.tests)


def test_attempt_runs_in_a_temporary_directory(tmp_path, executor, monkeypatch):
    monkeypatch.chdir(tmp_path)
    body = "open('scratch.txt', 'w').write('x')\nimport os\nassert 'report' not in ' '.join(os.listdir('.')) or True"
    result = run_check(KATA, "numpy", attempt(tmp_path, body), executor=executor)
    assert result.status is Status.PASSED
    assert not (tmp_path / "scratch.txt").exists()


CHEATS = {
    "module-alias": """
import torch.nn.functional as F

def scaled_dot_product_attention(Q, K, V, mask=None):
    return F.scaled_dot_product_attention(Q, K, V, attn_mask=mask)
""",
    "star-import": """
from torch.nn.functional import *

_builtin = scaled_dot_product_attention  # bound before the def below shadows it

def scaled_dot_product_attention(Q, K, V, mask=None):
    return _builtin(Q, K, V, attn_mask=mask)
""",
    "getattr-and-retry": """
import torch

sdpa = getattr(torch.nn.functional, "scaled_" + "dot_product_attention")

def scaled_dot_product_attention(Q, K, V, mask=None):
    try:
        return sdpa(Q, K, V, attn_mask=mask)
    except Exception:
        return sdpa(Q, K, V, attn_mask=mask)
""",
    "private-alias": """
import torch

def scaled_dot_product_attention(Q, K, V, mask=None):
    return torch._C._nn.scaled_dot_product_attention(Q, K, V, attn_mask=mask)
""",
}


@pytest.mark.parametrize("source", list(CHEATS.values()), ids=list(CHEATS))
@needs_torch
def test_forbidden_builtin_is_caught_by_any_path(tmp_path, source, warm_checkers):
    path = tmp_path / "attention_torch.py"
    path.write_text(source, encoding="utf-8")
    result = run_check(KATA, "torch", path, executor=warm_checkers("torch"))
    assert result.status is Status.FAILED
    assert failures(result) and all("is not allowed in this kata" in t.message for t in failures(result))


def _comparable(result):
    doc = result.to_json()
    doc.pop("duration_s")
    for test in doc["tests"]:
        test.pop("duration_s")
    return json.dumps(doc, sort_keys=True)


def _attempts_of(backend: str):
    yield KATA.solution_path(backend)
    yield KATA.stub_path(backend)
    yield from sorted((MISTAKES / "attention").glob(f"{backend}_*.py"))


@pytest.mark.parametrize("backend", ["numpy", pytest.param("torch", marks=needs_torch)])
def test_warm_and_cold_checks_give_identical_results(backend):
    with WarmChecker(backend) as checker:
        for path in _attempts_of(backend):
            cold = run_check(KATA, backend, path)
            warm = run_check(KATA, backend, path, executor=checker)
            assert _comparable(warm) == _comparable(cold), path.name
        assert checker.restarts == 0 and not checker.note


def test_warm_checker_restarts_a_dead_worker(tmp_path):
    with WarmChecker("numpy") as checker:
        checker.start()
        checker.proc.kill()
        checker.proc.wait()
        result = run_check(KATA, "numpy", KATA.solution_path("numpy"), executor=checker)
        assert result.status is Status.PASSED and checker.restarts == 1


def test_warm_checker_falls_back_to_cold_without_fork(monkeypatch):
    import mlkata.warm

    monkeypatch.delattr(mlkata.warm.os, "fork")
    checker = WarmChecker("numpy")
    result = run_check(KATA, "numpy", KATA.solution_path("numpy"), executor=checker)
    assert result.status is Status.PASSED and "no fork" in result.note




def test_one_warm_worker_serves_several_katas_without_leaking_state(tmp_path):
    other = load_catalog().get("linear-regression")
    leaky = tmp_path / "attention_numpy.py"
    leaky.write_text("import numpy as np\nnp.LEAKED = True\n" + RIGHT, encoding="utf-8")
    with WarmChecker("numpy") as checker:
        first = run_check(KATA, "numpy", leaky, executor=checker)
        second = run_check(other, "numpy", other.solution_path("numpy"), executor=checker)
        probe = tmp_path / "probe.py"
        probe.write_text("import numpy as np\nassert not hasattr(np, 'LEAKED'), 'state leaked between checks'\n" + RIGHT, encoding="utf-8")
        third = run_check(KATA, "numpy", probe, executor=checker)
    assert (first.status, second.status, third.status) == (Status.PASSED,) * 3, third.to_json()


def test_a_quick_save_of_the_same_size_is_never_stale(tmp_path, executor):
    path = tmp_path / "attention_numpy.py"
    right = RIGHT.replace("/ np.sqrt(d_k)", "/ np.sqrt(d_k)", 1)
    wrong = RIGHT.replace("/ np.sqrt(d_k)", "* np.sqrt(d_k)", 1)
    assert wrong != right and len(wrong) == len(right)
    path.write_text(wrong, encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    assert run_check(KATA, "numpy", path, executor=executor).status is Status.FAILED
    path.write_text(right, encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))  # the same second, the same size: a .pyc would look fresh
    assert run_check(KATA, "numpy", path, executor=executor).status is Status.PASSED


def test_a_slow_exit_after_every_test_ran_is_judged_by_the_results(tmp_path):
    path = attempt(tmp_path, "pass", prelude="import atexit, time\natexit.register(time.sleep, 30)\nimport numpy as np\n")
    result = run_check(KATA, "numpy", path, timeout=8)
    assert result.status is Status.PASSED, result.to_json()
    assert "still exiting" in result.note


def test_a_limit_too_short_to_start_blames_no_test(tmp_path):
    result = run_check(KATA, "numpy", KATA.solution_path("numpy"), timeout=0.1)
    assert result.status is Status.TIMED_OUT
    assert "before the first test started" in result.note
    assert not any(t.outcome is Outcome.TIMED_OUT for t in result.tests)
