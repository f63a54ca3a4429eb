"""Typed results of a check: what the runner returns and the renderer shows (no pytest here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Outcome(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"
    TIMED_OUT = "timed out"
    NOT_RUN = "not run"


class Status(str, Enum):
    PASSED = "passed"  # every test passed
    FAILED = "failed"  # some test failed or errored
    NOT_STARTED = "not started"  # the attempt is still the untouched stub
    TIMED_OUT = "timed out"  # the time limit stopped the suite
    OUT_OF_MEMORY = "out of memory"  # the memory limit stopped the suite
    CRASHED = "crashed"  # the child died (segfault, os._exit ...) before the suite finished
    BROKEN = "broken"  # the attempt could not be imported (syntax error ...)


@dataclass
class TestResult:
    name: str
    outcome: Outcome
    message: str = ""
    duration_s: float = 0.0


@dataclass
class CheckResult:
    kata: str
    backend: str
    attempt: str
    status: Status
    tests: list[TestResult] = field(default_factory=list)
    duration_s: float = 0.0
    note: str = ""  # one line about the run as a whole (import error, time limit, cut output)
    output_tail: str = ""  # the end of what the attempt printed, bounded

    def count(self, *outcomes: Outcome) -> int:
        return sum(t.outcome in outcomes for t in self.tests)

    @property
    def passed(self) -> int:
        return self.count(Outcome.PASSED)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED, Outcome.TIMED_OUT)

    @property
    def errors(self) -> int:
        return self.count(Outcome.ERROR)

    @property
    def not_run(self) -> int:
        return self.count(Outcome.NOT_RUN)

    @property
    def ok(self) -> bool:
        return self.status is Status.PASSED

    def to_json(self) -> dict:
        return {
            "kata": self.kata,
            "backend": self.backend,
            "attempt": self.attempt,
            "status": self.status.value,
            "passed": self.passed,
            "failed": self.failed,
            "errors": self.errors,
            "not_run": self.not_run,
            "duration_s": round(self.duration_s, 3),
            "note": self.note,
            "tests": [
                {"name": t.name, "outcome": t.outcome.value, "message": t.message, "duration_s": round(t.duration_s, 4)}
                for t in self.tests
            ],
        }
