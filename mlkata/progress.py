"""The progress store: an SQLite history of starts, checks, hints, reveals, resets and sessions per workspace.

Schema changes are numbered migrations; the database runs in WAL mode with a busy timeout so that two
mlkata processes can record at once, and a file that is not a database is moved aside, never a crash.
Time comes from `now()`: the wall clock, or `MLKATA_NOW` (epoch seconds) where tests inject it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from mlkata.errors import MlkataError

NOW_ENV = "MLKATA_NOW"


def now() -> float:
    """Epoch seconds: $MLKATA_NOW if set (tests, demos), else the wall clock."""
    raw = os.environ.get(NOW_ENV)
    if raw is None or not raw.strip():
        return time.time()
    try:
        return float(raw)
    except ValueError:
        raise MlkataError(f"{NOW_ENV} must be epoch seconds (a number), not {raw!r}", f"unset it: unset {NOW_ENV}") from None


class ProgressError(MlkataError):
    """The history could not be read or written (locked for too long, disk full ...)."""


MIGRATIONS = [
    # 1: one row per thing the learner did
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('start', 'check', 'hint', 'reveal', 'reset')),
        kata TEXT NOT NULL,
        backend TEXT,
        outcome TEXT,
        passed INTEGER,
        failed INTEGER,
        duration_s REAL,
        detail TEXT
    );
    CREATE INDEX events_by_kata ON events (kata, backend, kind, ts);
    """,
    # 2: timed sessions, their katas, and which session an event belongs to
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started REAL NOT NULL,
        ended REAL,
        planned_s REAL NOT NULL,
        backend TEXT NOT NULL,
        interview INTEGER NOT NULL DEFAULT 0,
        folder TEXT NOT NULL,
        end_reason TEXT,
        pid INTEGER,
        wall_deadline REAL
    );
    CREATE TABLE session_katas (
        session_id INTEGER NOT NULL REFERENCES sessions (id),
        position INTEGER NOT NULL,
        kata TEXT NOT NULL,
        backend TEXT NOT NULL,
        attempt TEXT NOT NULL,
        reached INTEGER NOT NULL DEFAULT 1,
        passed INTEGER NOT NULL DEFAULT 0,
        time_to_pass_s REAL,
        checks INTEGER NOT NULL DEFAULT 0,
        hints INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, position)
    );
    ALTER TABLE events ADD COLUMN session_id INTEGER REFERENCES sessions (id);
    """,
]

STATUSES = ("new", "attempted", "passed", "revealed")


@dataclass(frozen=True)
class KataProgress:
    status: str  # new / attempted / passed / revealed
    best_s: float | None  # fastest start-to-pass, in seconds
    checks: int
    hints: int
    first_s: float | None = None  # start to the first passing check, the first time it was passed
    checks_to_pass: int | None = None  # checks run up to and including the first pass
    revealed: bool = False  # the reference was shown at some point
    passed_after_reveal: bool = False  # passed, but only after seeing the reference
    first_ts: float | None = None
    last_ts: float | None = None  # last time anything happened on it


@dataclass(frozen=True)
class SessionKataRecord:
    kata: str
    backend: str
    attempt: str
    reached: bool
    passed: bool
    time_to_pass_s: float | None
    checks: int
    hints: int


@dataclass(frozen=True)
class SessionRecord:
    id: int
    started: float
    ended: float | None
    planned_s: float
    backend: str
    interview: bool
    folder: str
    end_reason: str | None
    katas: tuple[SessionKataRecord, ...] = ()


def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Not a database, or a damaged one; a busy lock or a full disk (OperationalError) is not corruption."""
    return not isinstance(exc, sqlite3.OperationalError)


class Progress:
    def __init__(self, path: Path, clock=now):
        self.path = path
        self.clock = clock
        self.warning: str | None = None
        try:
            self._db = self._open()
        except sqlite3.Error as exc:
            raise ProgressError(f"cannot open the progress database {path}: {exc}", "your files are unchanged; try again") from None

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc):
                raise
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.warning = f"the progress database was unreadable; moved it to {aside} and started a fresh one"
            db = self._connect()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            self._migrate(db)
            db.execute("SELECT COUNT(*) FROM events").fetchone()  # reads pages past the header: damage shows here
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._db.close()

    # -- recording ------------------------------------------------------------------------
    def record(self, kind: str, kata: str, backend: str | None = None, **fields) -> None:
        columns = ["ts", "kind", "kata", "backend", *fields]
        values = [self.clock(), kind, kata, backend, *fields.values()]
        marks = ", ".join("?" for _ in columns)
        self._write(f"INSERT INTO events ({', '.join(columns)}) VALUES ({marks})", values)

    def _write(self, sql: str, args) -> int:
        try:
            with self._db:
                return self._db.execute(sql, args).lastrowid
        except sqlite3.Error as exc:
            raise ProgressError(f"could not record in the progress database: {exc}", "your files are unchanged") from None

    def begin_session(self, planned_s: float, backend: str, interview: bool, folder: Path) -> int:
        """A session starts: returns its id. `pid` and the wall-clock deadline tell whether it still runs."""
        return self._write(
            "INSERT INTO sessions (started, planned_s, backend, interview, folder, pid, wall_deadline) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.clock(), planned_s, backend, int(interview), str(folder), os.getpid(), time.time() + planned_s),
        )

    def end_session(self, session_id: int, reason: str, katas: list[SessionKataRecord]) -> None:
        """Close a session and keep its per-kata summary, in one transaction."""
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("UPDATE sessions SET ended = ?, end_reason = ? WHERE id = ?", (self.clock(), reason, session_id))
                self._db.executemany(
                    "INSERT OR REPLACE INTO session_katas (session_id, position, kata, backend, attempt, reached, passed, time_to_pass_s, checks, hints)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (session_id, i, k.kata, k.backend, k.attempt, int(k.reached), int(k.passed), k.time_to_pass_s, k.checks, k.hints)
                        for i, k in enumerate(katas)
                    ],
                )
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise ProgressError(f"could not record the session in the progress database: {exc}", "your files are unchanged") from None

    # -- reading --------------------------------------------------------------------------
    def events(self, kata: str | None = None, backend: str | None = None) -> list[sqlite3.Row]:
        self._db.row_factory = sqlite3.Row
        sql, args = "SELECT * FROM events WHERE 1=1", []
        if kata:
            sql, args = sql + " AND kata = ?", [*args, kata]
        if backend:
            sql, args = sql + " AND backend = ?", [*args, backend]
        return self._db.execute(sql + " ORDER BY ts, id", args).fetchall()

    def hints_seen(self, kata: str) -> int:
        """Hints shown by `mlkata hint` (a session counts its own, from the first)."""
        return self._db.execute("SELECT COUNT(*) FROM events WHERE kind = 'hint' AND kata = ? AND session_id IS NULL", (kata,)).fetchone()[0]

    def practice_days(self) -> list[float]:
        """Timestamps of every start, check and reset: the days with any of them are practice days."""
        return [row[0] for row in self._db.execute("SELECT ts FROM events WHERE kind IN ('start', 'check', 'reset') ORDER BY ts")]

    def sessions(self, limit: int | None = None) -> list[SessionRecord]:
        """Sessions, newest first, with their katas."""
        sql = "SELECT id, started, ended, planned_s, backend, interview, folder, end_reason FROM sessions ORDER BY started DESC, id DESC"
        rows = self._db.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
        out = []
        for row in rows:
            katas = self._db.execute(
                "SELECT kata, backend, attempt, reached, passed, time_to_pass_s, checks, hints FROM session_katas WHERE session_id = ? ORDER BY position",
                (row[0],),
            ).fetchall()
            kata_records = tuple(SessionKataRecord(k[0], k[1], k[2], bool(k[3]), bool(k[4]), k[5], k[6], k[7]) for k in katas)
            out.append(SessionRecord(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7], kata_records))
        return out

    def active_interview(self) -> SessionRecord | None:
        """An interview session that is running now (its process lives and its time is not up)."""
        rows = self._db.execute("SELECT id, pid, wall_deadline FROM sessions WHERE interview = 1 AND ended IS NULL ORDER BY id DESC").fetchall()
        for session_id, pid, deadline in rows:
            if deadline is not None and time.time() > deadline + 60:
                continue
            if pid is None or not _alive(pid):
                continue
            return next((s for s in self.sessions() if s.id == session_id), None)
        return None

    def summary(self) -> dict[tuple[str, str], KataProgress]:
        """Status and best time per (kata, backend) with any history."""
        by_key: dict[tuple[str, str], list] = {}
        for row in self.events():
            if row["backend"]:
                by_key.setdefault((row["kata"], row["backend"]), []).append(row)
        hints: dict[str, int] = {}
        for row in self.events():
            if row["kind"] == "hint":
                hints[row["kata"]] = hints.get(row["kata"], 0) + 1
        return {key: _fold(rows, hints.get(key[0], 0)) for key, rows in by_key.items()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fold(rows, hints: int) -> KataProgress:
    started: dict = {}  # clock per attempt: the workspace file (None) and each session's fresh file
    revealed = passed = passed_clean = False
    best = first = checks_to_pass = None
    checks = 0
    for row in rows:
        kind = row["kind"]
        where = row["session_id"] if "session_id" in row.keys() else None
        if kind in ("start", "reset"):  # a reset starts the clock over, as a start does
            started[where] = row["ts"]
        elif kind == "reveal":
            revealed = True
        elif kind == "check":
            checks += 1
            if row["outcome"] == "passed":
                if not passed:
                    checks_to_pass = checks
                passed = True
                passed_clean = passed_clean or not revealed
                if started.get(where) is not None:
                    took = row["ts"] - started.pop(where)  # solve time is start to the first passing check
                    best = took if best is None else min(best, took)
                    first = took if first is None else first
    if passed_clean:
        status = "passed"
    elif revealed:
        status = "revealed"
    else:
        status = "attempted" if rows else "new"
    return KataProgress(
        status, best, checks, hints, first, checks_to_pass, revealed, passed and not passed_clean,
        rows[0]["ts"] if rows else None, rows[-1]["ts"] if rows else None,
    )  # fmt: skip
