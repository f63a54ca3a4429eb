"""The progress store: an SQLite history of starts, checks, hints, reveals and resets per workspace.

Schema changes are numbered migrations; the database runs in WAL mode with a busy timeout so that two
mlkata processes can record at once, and a file that is not a database is moved aside, never a crash.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

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
]

STATUSES = ("new", "attempted", "passed", "revealed")


@dataclass(frozen=True)
class KataProgress:
    status: str  # new / attempted / passed / revealed
    best_s: float | None  # fastest start-to-pass, in seconds
    checks: int
    hints: int


class Progress:
    def __init__(self, path: Path, clock=time.time):
        self.path = path
        self.clock = clock
        self.warning: str | None = None
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
        except sqlite3.DatabaseError:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
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
        with self._db:
            self._db.execute(f"INSERT INTO events ({', '.join(columns)}) VALUES ({marks})", values)

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
        return self._db.execute("SELECT COUNT(*) FROM events WHERE kind = 'hint' AND kata = ?", (kata,)).fetchone()[0]

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


def _fold(rows, hints: int) -> KataProgress:
    started = None
    revealed = passed = passed_clean = False
    best = None
    checks = 0
    for row in rows:
        kind = row["kind"]
        if kind == "start":
            started = row["ts"]
        elif kind == "reveal":
            revealed = True
        elif kind == "check":
            checks += 1
            if row["outcome"] == "passed":
                passed = True
                passed_clean = passed_clean or not revealed
                if started is not None:
                    best = row["ts"] - started if best is None else min(best, row["ts"] - started)
                    started = None  # solve time is start to the first passing check
    if passed_clean:
        status = "passed"
    elif revealed:
        status = "revealed"
    else:
        status = "attempted" if rows else "new"
    return KataProgress(status, best, checks, hints)
