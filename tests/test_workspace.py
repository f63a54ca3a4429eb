"""A learner's work is never overwritten or lost: atomic writes, backups first, clear errors."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

import pytest

from mlkata.errors import AttemptExists, WorkspaceError
from mlkata.workspace import Workspace, atomic_write


def test_atomic_write_leaves_the_old_file_when_the_disk_is_full(tmp_path, monkeypatch):
    target = tmp_path / "attempt.py"
    target.write_text("my work\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        atomic_write(target, "new content\n")
    assert target.read_text() == "my work\n"
    assert [p.name for p in tmp_path.iterdir()] == ["attempt.py"], "a temporary file was left behind"


def test_force_start_keeps_a_backup_even_if_writing_the_stub_fails(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    path, _ = ws.write_stub("attention", "numpy", "stub\n")
    path.write_text("my work\n")
    with pytest.raises(AttemptExists):
        ws.write_stub("attention", "numpy", "stub\n")
    real_replace = os.replace

    def fail_on_attempt(src, dst):
        if str(dst).endswith("attention_numpy.py"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_attempt)
    with pytest.raises(OSError):
        ws.write_stub("attention", "numpy", "stub\n", force=True)
    assert path.read_text() == "my work\n"
    assert [b.read_text() for b in ws.backups.iterdir()] == ["my work\n"]


def test_workspace_that_cannot_be_created_is_one_clear_line(mlkata, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = mlkata("--workspace", str(blocker / "ws"), "start", "attention")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot use workspace" in lines[0] and "Traceback" not in result.stderr


def test_unicode_and_spaces_in_the_workspace_path(mlkata, workspace):
    assert " " in str(workspace) and "ü" in str(workspace)
    assert mlkata("start", "attention").returncode == 0
    result = mlkata("check", "--json")
    assert result.returncode == 1 and '"not started"' in result.stdout


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["ctrl-c", "kill", "terminal-closed"])
def test_interrupting_a_check_stops_the_child_and_loses_nothing(workspace, tmp_path, signum):
    pidfile = tmp_path / "child.pid"
    attempt = workspace / "attention_numpy.py"
    source = f"import os, time\nopen({str(pidfile)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)\n"
    attempt.write_text(source)
    env = {**os.environ, "MLKATA_WORKSPACE": str(workspace), "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mlkata", "check", "attention"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not pidfile.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert pidfile.exists(), "the check never started"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    child = int(pidfile.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
    assert attempt.read_text() == source


def test_read_only_workspace_is_one_clear_error(tmp_path):
    ws = Workspace(tmp_path / "ro")
    (tmp_path / "ro").mkdir()
    os.chmod(tmp_path / "ro", 0o555)
    try:
        if os.access(tmp_path / "ro", os.W_OK):
            pytest.skip("running as root: permissions do not make a folder read-only here")
        with pytest.raises(WorkspaceError, match="cannot use workspace|read-only"):
            ws.ensure()
    finally:
        os.chmod(tmp_path / "ro", 0o755)
