"""The practice loop through the real `mlkata` command: history, stats, reset, watch, sessions, hints.

Time is injected with MLKATA_NOW (epoch seconds) wherever the history's clock matters; sessions run for
fractions of a minute (--minutes 0.05 is 3 s) and end sooner when their katas pass, so nothing sleeps
for real minutes. The numpy backend and the attention kata keep every check quick.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REFERENCE = (REPO / "solutions" / "attention" / "solution_numpy.py").read_text(encoding="utf-8")
STUB = (REPO / "katas" / "attention" / "stub_numpy.py").read_text(encoding="utf-8")
WRONG = REFERENCE.replace("/ np.sqrt(d_k)", "/ d_k")  # scaled by d_k, not its square root
DAY = 86400.0
T0 = 1_750_000_000.0 - (1_750_000_000.0 % DAY) + 12 * 3600  # noon UTC: day arithmetic stays clear of midnight
RESULT_LINE = re.compile(r"^(PASSED|FAILED|NOT STARTED|TIMED OUT|CRASHED|BROKEN) ")


def _env(workspace: Path, now: float | None = None) -> dict:
    env = {**os.environ, "MLKATA_WORKSPACE": str(workspace), "NO_COLOR": "1", "COLUMNS": "200", "TZ": "UTC"}
    env.pop("MLKATA_NOW", None)
    if now is not None:
        env["MLKATA_NOW"] = repr(now)
    return env


@pytest.fixture
def cli(workspace):
    """cli("stats", "--json", now=T0) -> CompletedProcess; `now` injects the history's clock."""

    def run(*args: str, now: float | None = None, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mlkata", *args],
            capture_output=True, text=True, env=_env(workspace, now), input=input, timeout=timeout, cwd=workspace,
        )  # fmt: skip

    return run


@pytest.fixture
def spawn(workspace):
    """Start `mlkata ...` in the background, stdout piped line by line; killed at the end of the test."""
    procs: list[subprocess.Popen] = []

    def start(*args: str, now: float | None = None, **kwargs) -> subprocess.Popen:
        kwargs.setdefault("stdin", subprocess.DEVNULL)
        proc = subprocess.Popen(
            [sys.executable, "-m", "mlkata", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, env=_env(workspace, now), cwd=workspace, **kwargs,
        )  # fmt: skip
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def read_until(proc: subprocess.Popen, pattern: str, timeout: float = 60) -> tuple[str, list[str]]:
    """Lines of stdout up to the first that matches `pattern` (a regex); fails on EOF or time-out."""
    seen: list[str] = []
    found: list[str] = []

    def reader():
        for line in proc.stdout:
            seen.append(line.rstrip("\n"))
            if re.search(pattern, line):
                found.append(line.rstrip("\n"))
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(timeout)
    assert found, f"no line matching {pattern!r} in:\n" + "\n".join(seen)
    return found[0], seen


def save_like_an_editor(path: Path, text: str) -> None:
    """Write a temporary file and rename it over the attempt, as vim, VS Code and JetBrains do."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in text, f"expected one line, got: {text!r}"
    return lines[0]


def rows(workspace: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(workspace / ".mlkata" / "progress.db")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_wrong_attempt_fixture_really_is_wrong():
    assert WRONG is not None and WRONG != REFERENCE


# -- help and start-up ---------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["stats", "reset", "watch", "session"])
def test_new_commands_have_help(cli, command):
    result = cli(command, "--help")
    assert result.returncode == 0 and "Usage" in result.stdout


@pytest.mark.parametrize("args", [["hint", "attention"], ["stats"], ["reset", "--list"]])
def test_lean_commands_import_no_heavy_library(workspace, args):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "mlkata", *args], capture_output=True, text=True, env=_env(workspace))
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert not imported & {"numpy", "torch", "pytest"}


# -- the history ---------------------------------------------------------------------------------
def test_stats_with_no_history(cli):
    result = cli("stats")
    assert result.returncode == 0
    assert "easy" in result.stdout and "no history yet" in result.stdout
    doc = json.loads(cli("stats", "--json").stdout)
    assert doc["katas"] == [] and doc["streak"]["current"] == 0 and doc["difficulty"]["easy"]["total"] >= 1


def test_solve_times_attempts_hints_and_reveals_reach_stats_json_and_csv(cli, workspace, tmp_path):
    attempt = workspace / "attention_numpy.py"
    assert cli("start", "attention", now=T0).returncode == 0
    attempt.write_text(WRONG)
    assert cli("check", now=T0 + 60).returncode == 1
    assert "hint 1/3" in cli("hint", now=T0 + 120).stdout
    attempt.write_text(REFERENCE)
    assert cli("check", now=T0 + 300).returncode == 0
    assert cli("reset", "--yes", now=T0 + 1000).returncode == 0  # the clock starts again
    attempt.write_text(REFERENCE)
    assert cli("check", now=T0 + 1100).returncode == 0

    doc = json.loads(cli("stats", "--json", now=T0 + 2000).stdout)
    (row,) = doc["katas"]
    assert (row["kata"], row["backend"], row["status"]) == ("attention", "numpy", "passed")
    assert row["attempts"] == 3 and row["first_pass_s"] == 300 and row["best_s"] == 100
    assert row["hints"] == 1 and row["revealed"] is False
    assert doc["difficulty"]["easy"]["passed"] == 1
    assert doc["streak"] == {"current": 1, "longest": 1, "today": True, "days": 1}

    text = cli("stats", now=T0 + 2000).stdout
    assert re.search(r"attention\s+numpy\s+passed\s+3\s+5m00s\s+1m40s\s+1\s+no", text), text
    assert "1/" in text and "streak 1 day" in text

    export = tmp_path / "out dir" / "progress.csv"
    export.parent.mkdir()
    assert cli("stats", "--export", str(export), now=T0 + 2000).returncode == 0
    (line,) = list(csv.DictReader(export.open()))
    assert line["kata"] == "attention" and line["first_pass_s"] == "300.0" and line["best_s"] == "100.0" and line["attempts"] == "3"


def test_a_pass_after_a_reveal_is_shown_as_such_and_is_worth_redoing(cli, workspace):
    cli("start", "attention", now=T0)
    assert cli("reveal", "--yes", now=T0 + 10).returncode == 0
    (workspace / "attention_numpy.py").write_text(REFERENCE)
    assert cli("check", now=T0 + 20).returncode == 0
    doc = json.loads(cli("stats", "--json", now=T0 + 30).stdout)
    (row,) = doc["katas"]
    assert row["status"] == "revealed" and row["revealed"] and row["passed_after_reveal"]
    assert doc["redo"][0]["kata"] == "attention" and "after seeing the reference" in doc["redo"][0]["reason"]
    text = cli("stats", now=T0 + 30).stdout
    assert "passed after reveal" in text and "most worth redoing" in text
    assert "revealed" in cli("list").stdout


def test_streak_counts_consecutive_practice_days_in_injected_time(cli):
    cli("start", "attention", now=T0)
    for day in (1, 2, 4, 5):  # a gap on day 3
        assert cli("reset", "attention", "--yes", now=T0 + day * DAY).returncode == 0
    streak = lambda day: json.loads(cli("stats", "--json", now=T0 + day * DAY).stdout)["streak"]  # noqa: E731
    assert streak(5) == {"current": 2, "longest": 3, "today": True, "days": 5}
    assert streak(6) == {"current": 2, "longest": 3, "today": False, "days": 5}  # today's practice may be yet to come
    assert streak(7)["current"] == 0
    assert "practise today to keep it" in cli("stats", now=T0 + 6 * DAY).stdout


def test_bad_clock_and_bad_export_are_one_line_errors(cli, workspace):
    bad = subprocess.run([sys.executable, "-m", "mlkata", "stats"], capture_output=True, text=True, env={**_env(workspace), "MLKATA_NOW": "noon"})
    assert bad.returncode == 2 and "MLKATA_NOW" in one_line(bad.stderr)
    folder = cli("stats", "--export", str(workspace))
    assert folder.returncode == 2 and "folder" in one_line(folder.stderr)


def test_a_version_1_database_is_migrated_and_keeps_its_rows(cli, workspace):
    from mlkata.progress import MIGRATIONS

    (workspace / ".mlkata").mkdir()
    db = sqlite3.connect(workspace / ".mlkata" / "progress.db")
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO events (ts, kind, kata, backend) VALUES (?, 'start', 'attention', 'numpy')", (T0,))
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    assert "attempted" in cli("list").stdout
    assert rows(workspace, "PRAGMA user_version") == [(2,)]
    assert rows(workspace, "SELECT kata, session_id FROM events") == [("attention", None)]


def test_concurrent_writers_lose_no_rows(workspace):
    """Four processes, each with its own connection, create the database and record at the same time."""
    code = (
        "import sys; from pathlib import Path; from mlkata.progress import Progress\n"
        "p = Progress(Path(sys.argv[1]))\n"
        "for i in range(100): p.record('check', 'attention', 'numpy', outcome='passed', passed=1, failed=0, duration_s=0.1)\n"
    )
    (workspace / ".mlkata").mkdir()
    path = workspace / ".mlkata" / "progress.db"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    assert rows(workspace, "SELECT COUNT(*) FROM events") == [(400,)]


def test_two_check_processes_at_once_both_record(workspace, spawn):
    (workspace / "attention_numpy.py").write_text(REFERENCE)
    procs = [spawn("check", "attention") for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, out + err
    assert rows(workspace, "SELECT COUNT(*) FROM events WHERE kind = 'check' AND outcome = 'passed'") == [(2,)]


@pytest.mark.parametrize("damage", ["garbage", "damaged pages"])
def test_a_corrupt_database_is_moved_aside_with_a_warning(cli, workspace, damage):
    cli("start", "attention")
    path = workspace / ".mlkata" / "progress.db"
    if damage == "garbage":
        path.write_bytes(b"this is not a database\n" * 100)
    else:
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode = DELETE")  # fold the WAL in, then scribble over the data pages
        db.executemany("INSERT INTO events (ts, kind, kata) VALUES (?, 'hint', 'attention')", [(T0,)] * 500)
        db.commit()
        db.close()
        raw = bytearray(path.read_bytes())
        raw[1024:] = b"\xff" * (len(raw) - 1024)
        path.write_bytes(bytes(raw))
    result = cli("list")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "moved it to" in result.stderr and "started a fresh one" in result.stderr
    assert list(path.parent.glob("progress.db.corrupt-*"))
    assert cli("start", "attention", "--force").returncode == 0
    assert rows(workspace, "SELECT kind FROM events") == [("start",)]


# -- hint ----------------------------------------------------------------------------------------
def test_hint_needs_a_kata(cli):
    result = cli("hint")
    assert result.returncode == 2 and "no current kata" in one_line(result.stderr)


def test_hints_of_a_named_kata_are_recorded(cli, workspace):
    assert "hint 1/3 for attention" in cli("hint", "attention").stdout
    assert rows(workspace, "SELECT kind, kata, detail FROM events") == [("hint", "attention", "1")]


# -- reset ---------------------------------------------------------------------------------------
def test_reset_needs_yes_without_a_terminal_and_touches_nothing(cli, workspace):
    cli("start", "attention")
    attempt = workspace / "attention_numpy.py"
    attempt.write_text("# my precious work\n")
    refused = cli("reset")
    assert refused.returncode == 2 and "--yes" in one_line(refused.stderr)
    assert attempt.read_text() == "# my precious work\n"
    assert not list((workspace / ".mlkata" / "backups").iterdir())


def test_reset_backs_up_lists_and_restores_and_nothing_is_lost(cli, workspace):
    cli("start", "attention")
    attempt = workspace / "attention_numpy.py"
    attempt.write_text("# my precious work\n")
    done = cli("reset", "--yes")
    assert done.returncode == 0 and "kept your attempt in" in done.stdout
    assert attempt.read_text() == STUB
    (backup,) = (workspace / ".mlkata" / "backups").iterdir()
    assert backup.read_text() == "# my precious work\n"

    listed = cli("reset", "--list", "attention")
    assert backup.name in listed.stdout and "attention_numpy.py" in listed.stdout
    assert "no backups" in cli("reset", "--list", "knn").stdout

    attempt.write_text("# second try\n")
    restored = cli("reset", "--restore", backup.name)
    assert restored.returncode == 0, restored.stderr
    assert attempt.read_text() == "# my precious work\n"
    kept = sorted(p.read_text() for p in (workspace / ".mlkata" / "backups").iterdir())
    assert kept == ["# my precious work\n", "# second try\n"]  # the file that was there is kept too
    assert rows(workspace, "SELECT kind FROM events WHERE kind = 'reset'") == [("reset",)]


def test_reset_writes_a_missing_attempt_and_refuses_unknown_backups(cli, workspace):
    result = cli("reset", "attention")  # nothing to lose: no question asked
    assert result.returncode == 0 and (workspace / "attention_numpy.py").read_text() == STUB
    unknown = cli("reset", "--restore", "nope")
    assert unknown.returncode == 2 and "no backup named 'nope'" in one_line(unknown.stderr)
    both = cli("reset", "--list", "--restore", "x")
    assert both.returncode == 2 and "do not go together" in one_line(both.stderr)


# -- watch ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("poll", [False, True], ids=["file-events", "polling"])
def test_watch_rechecks_on_editor_style_saves(workspace, spawn, poll):
    attempt = workspace / "attention_numpy.py"
    attempt.write_text(STUB)
    proc = spawn("watch", "attention", "--max-checks", "3", *(["--poll"] if poll else []))
    line, seen = read_until(proc, RESULT_LINE.pattern)
    assert line.startswith("NOT STARTED")
    assert ("polling" if poll else "file events") in seen[0]
    save_like_an_editor(attempt, WRONG)
    assert read_until(proc, RESULT_LINE.pattern)[0].startswith("FAILED ")
    save_like_an_editor(attempt, REFERENCE)
    assert read_until(proc, RESULT_LINE.pattern)[0].startswith("PASSED ")
    assert proc.wait(timeout=30) == 0  # --max-checks 3: the first check and two saves
    assert rows(workspace, "SELECT outcome FROM events WHERE kind = 'check' ORDER BY id") == [("not started",), ("failed",), ("passed",)]


def test_watch_stops_cleanly_on_ctrl_c(workspace, spawn):
    (workspace / "attention_numpy.py").write_text(REFERENCE)
    proc = spawn("watch", "attention")
    read_until(proc, RESULT_LINE.pattern)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "stopped watching" in out
    assert "Traceback" not in out + err


def test_watcher_falls_back_to_polling_when_file_events_do_not_arrive(tmp_path):
    from mlkata.watch import Watcher

    attempt = tmp_path / "attention_numpy.py"
    attempt.write_text(STUB)
    with Watcher([attempt]) as watcher:
        assert watcher.mode == "file events"
        watcher._stop_events()  # as on a network drive: the observer runs, but nothing ever reaches it
        save_like_an_editor(attempt, REFERENCE)
        assert watcher.wait(timeout=5) == [attempt]  # the save is not lost ...
        assert watcher.polling and "did not arrive" in watcher.mode + watcher.note  # ... and it says so
        save_like_an_editor(attempt, WRONG)
        assert watcher.wait(timeout=5) == [attempt]


def test_watch_without_an_attempt_is_a_usage_error(cli):
    result = cli("watch", "attention")
    assert result.returncode == 2 and "not found" in one_line(result.stderr)


# -- sessions ------------------------------------------------------------------------------------
def session_folder(proc) -> Path:
    line, _ = read_until(proc, r"your files: ")
    return Path(line.split("your files: ")[1].strip())


def test_session_ends_when_all_pass_and_is_saved(workspace, spawn, cli):
    (workspace / "attention_numpy.py").write_text("# my own attempt, not the session's\n")
    proc = spawn("session", "--no-input", "--minutes", "1", "--kata", "attention", now=T0)
    folder = session_folder(proc)
    assert folder.parent == workspace / "sessions"
    attempt = folder / "attention_numpy.py"
    assert attempt.read_text() == STUB
    save_like_an_editor(attempt, REFERENCE)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err
    assert "session over (all passed): 1 of 1 passed" in out
    assert re.search(r"attention\s+numpy\s+passed\s+\dm\d\ds\s+1\s+0", out), out
    assert (workspace / "attention_numpy.py").read_text() == "# my own attempt, not the session's\n"
    (session,) = json.loads(cli("stats", "--json", now=T0).stdout)["sessions"]
    assert session["end"] == "all passed" and session["katas"][0]["passed"] and session["katas"][0]["checks"] == 1
    assert rows(workspace, "SELECT kind, session_id IS NOT NULL FROM events ORDER BY id") == [("start", 1), ("check", 1)]


def test_session_time_up_keeps_summary_and_never_reuses_a_folder(cli, workspace):
    first = cli("session", "--no-input", "--minutes", "0.02", "--kata", "attention", now=T0)
    second = cli("session", "--no-input", "--minutes", "0.02", "--kata", "attention", now=T0)  # the same second
    for result in (first, second):
        assert result.returncode == 0, result.stderr
        assert "session over (time is up): 0 of 1 passed" in result.stdout
        assert re.search(r"attention\s+numpy\s+not passed", result.stdout)
    folders = sorted(p.name for p in (workspace / "sessions").iterdir())
    assert len(folders) == 2 and folders[1] == folders[0] + "-2"
    assert rows(workspace, "SELECT end_reason, interview FROM sessions") == [("time up", 0), ("time up", 0)]


def test_session_picks_new_katas_first_reproducibly(cli, workspace):
    cli("start", "attention")
    (workspace / "attention_numpy.py").write_text(REFERENCE)
    assert cli("check").returncode == 0

    def picked(seed: str) -> list[str]:
        out = cli("session", "--no-input", "--minutes", "0.01", "--difficulty", "easy", "--count", "3", "--seed", seed).stdout
        return re.findall(r"^  \d\. (\S+) \(easy\)", out, flags=re.M)

    db = workspace / ".mlkata" / "progress.db"
    kept = sqlite3.connect(":memory:")
    with sqlite3.connect(db) as source:
        source.backup(kept)
    first = picked("7")
    assert len(first) == 3 and "attention" not in first  # the passed kata comes after the new ones
    second = picked("7")
    assert len(second) == 3 and not set(second) & set(first)  # the history changed: those are attempted now
    with sqlite3.connect(db) as target:
        kept.backup(target)  # the same history again ...
    assert picked("7") == first  # ... the same katas


def test_interview_session_refuses_hints_and_reveal_until_it_ends(workspace, spawn, cli):
    proc = spawn("session", "--no-input", "--interview", "--minutes", "1", "--kata", "attention", "--kata", "knn")
    folder = session_folder(proc)
    read_until(proc, r"re-checking on save")
    assert [p.name for p in folder.iterdir()] == ["attention_numpy.py"]  # one kata at a time
    for args in (["reveal", "attention", "--yes"], ["hint", "attention"]):
        refused = cli(*args)
        assert refused.returncode == 2 and "interview session is running" in one_line(refused.stderr)
    save_like_an_editor(folder / "attention_numpy.py", REFERENCE)
    read_until(proc, r"^next: knn")
    assert (folder / "knn_numpy.py").exists()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in out + err
    assert "session over (terminated): 1 of 2 passed" in out
    assert rows(workspace, "SELECT end_reason, interview FROM sessions") == [("terminated", 1)]
    assert rows(workspace, "SELECT kata, passed, reached FROM session_katas ORDER BY position") == [("attention", 1, 1), ("knn", 0, 1)]
    assert cli("reveal", "attention", "--yes").returncode == 0  # over: allowed again


def test_session_keys_give_hints_and_quit_and_restore_the_terminal(workspace):
    import termios

    leader, follower = os.openpty()
    before = termios.tcgetattr(follower)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlkata", "session", "--minutes", "1", "--kata", "attention"],
        stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, env=_env(workspace),
    )  # fmt: skip
    try:
        read_until(proc, r"keys: h hint, q end")
        os.write(leader, b"h")
        assert "hint 1/3 for attention" in read_until(proc, r"^hint ")[0]
        os.write(leader, b"q")
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        after = termios.tcgetattr(follower)
        os.close(leader)
        os.close(follower)
    assert proc.returncode == 0, err
    assert "session over (ended with q)" in out and re.search(r"attention\s+numpy\s+not passed\s+-\s+0\s+1", out)
    assert after == before, "the terminal was left in cbreak mode"
    assert rows(workspace, "SELECT kind, detail FROM events WHERE kind = 'hint'") == [("hint", "1")]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--minutes", "0"], "--minutes must be more than 0"),
        (["--count", "0"], "--count must be at least 1"),
        (["--difficulty", "extreme"], "unknown difficulty 'extreme'"),
        (["--kata", "atention"], "did you mean 'attention'"),
        (["--tag", "no-such-tag"], "no kata with a numpy backend matches --tag no-such-tag"),
        (["--backend", "jax"], "unknown backend 'jax'"),
    ],
)
def test_session_bad_input_is_one_line(cli, workspace, args, message):
    result = cli("session", "--no-input", *args)
    assert result.returncode == 2 and message in one_line(result.stderr)
    assert not (workspace / "sessions").exists()
