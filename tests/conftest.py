"""Fixtures for mlkata's own tests (the hidden suites get theirs from mlkata.plugin)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MISTAKES = REPO / "tests" / "mistakes"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch) -> Path:
    """An empty workspace, selected through MLKATA_WORKSPACE."""
    ws = tmp_path / "work space ü"  # spaces and unicode on purpose
    ws.mkdir()
    monkeypatch.setenv("MLKATA_WORKSPACE", str(ws))
    monkeypatch.setenv("NO_COLOR", "1")
    return ws


@pytest.fixture
def mlkata(workspace):
    """Run the real `mlkata` command in a subprocess: mlkata("check", "--json") -> CompletedProcess."""

    def run(*args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {**os.environ, "MLKATA_WORKSPACE": str(workspace), "NO_COLOR": "1", "COLUMNS": "200"}
        return subprocess.run(
            [sys.executable, "-m", "mlkata", *args],
            capture_output=True, text=True, env=env, input=input, timeout=timeout, cwd=workspace,
        )  # fmt: skip

    return run


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


needs_torch = pytest.mark.skipif(not torch_available(), reason="torch is not installed: pip install 'mlkata[torch]'")


@pytest.fixture(scope="session")
def warm_checkers():
    """One warm checker per backend, shared by the meta-tests: checks through forks, not cold starts."""
    from mlkata.warm import WarmChecker

    checkers: dict = {}

    def get(backend: str):
        if backend not in checkers:
            checkers[backend] = WarmChecker(backend)
        return checkers[backend]

    yield get
    for checker in checkers.values():
        checker.close()
