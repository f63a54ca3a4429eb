"""What the history says: katas passed per difficulty, the practice streak, per-kata numbers, what to redo.

Pure functions over the progress store and the catalog; `mlkata stats` renders them, `--json` and
`--export FILE.csv` hand them over as data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from mlkata.catalog import Catalog
from mlkata.progress import KataProgress, Progress, SessionRecord

DIFFICULTIES = ("easy", "medium", "hard")
REDO_SHOWN = 5
STALE_DAYS = 14  # a kata passed this long ago is worth a fresh go


@dataclass(frozen=True)
class KataRow:
    kata: str
    backend: str
    difficulty: str
    status: str  # attempted / passed / revealed
    attempts: int  # checks run
    first_pass_s: float | None
    best_s: float | None
    hints: int
    revealed: bool
    passed_after_reveal: bool
    last_practised: str | None  # ISO local time


@dataclass(frozen=True)
class Redo:
    kata: str
    backend: str
    reason: str
    score: float


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive practice days up to today (or yesterday, if today has none yet)
    longest: int
    today: bool  # practised today
    days: int  # practice days in all


@dataclass(frozen=True)
class Stats:
    difficulty: dict[str, dict[str, int]]  # easy -> {passed, total}
    streak: Streak
    katas: list[KataRow]
    redo: list[Redo]
    sessions: list[dict]

    def to_json(self) -> dict:
        return {
            "difficulty": self.difficulty,
            "streak": asdict(self.streak),
            "katas": [asdict(k) for k in self.katas],
            "redo": [asdict(r) for r in self.redo],
            "sessions": self.sessions,
        }


def streak(timestamps: list[float], today: date) -> Streak:
    days = sorted({datetime.fromtimestamp(ts).date() for ts in timestamps})
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    practised = set(days)
    current = 0
    day = today if today in practised else today - timedelta(days=1)  # today's practice may be yet to come
    while day in practised:
        current += 1
        day -= timedelta(days=1)
    return Streak(current, longest, today in practised, len(days))


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts).isoformat(timespec="seconds")


def redo(summary: dict[tuple[str, str], KataProgress], now: float) -> list[Redo]:
    """Katas most worth redoing: revealed or never passed first, then hard-won passes, then stale ones."""
    out = []
    for (kata, backend), p in summary.items():
        score, reasons = 0.0, []
        if p.revealed:
            score += 5
            reasons.append("passed only after seeing the reference" if p.passed_after_reveal else "you saw the reference")
        elif p.status != "passed":
            score += 4
            reasons.append(f"not passed yet ({p.checks} checks)" if p.checks else "started, never checked")
        if p.hints:
            score += min(p.hints, 3)
            reasons.append(f"{p.hints} hint{'s' if p.hints != 1 else ''}")
        if p.checks_to_pass and p.checks_to_pass > 2:
            score += min(p.checks_to_pass - 2, 5) * 0.5
            reasons.append(f"{p.checks_to_pass} checks to pass")
        if p.status == "passed" and p.last_ts is not None:
            days = (now - p.last_ts) / 86400
            if days >= STALE_DAYS:
                score += min(days / STALE_DAYS, 3)
                reasons.append(f"last practised {int(days)} days ago")
        if score > 0:
            out.append(Redo(kata, backend, "; ".join(reasons), round(score, 2)))
    out.sort(key=lambda r: (-r.score, r.kata, r.backend))
    return out[:REDO_SHOWN]


def _session_json(s: SessionRecord) -> dict:
    return {
        "started": _iso(s.started),
        "minutes": round(s.planned_s / 60, 2),
        "backend": s.backend,
        "interview": s.interview,
        "end": s.end_reason or "did not finish",
        "folder": s.folder,
        "katas": [
            {"kata": k.kata, "passed": k.passed, "reached": k.reached, "time_to_pass_s": k.time_to_pass_s, "checks": k.checks, "hints": k.hints}
            for k in s.katas
        ],
    }


def compute(progress: Progress | None, catalog: Catalog, now: float) -> Stats:
    summary = progress.summary() if progress else {}
    difficulty = {}
    for level in DIFFICULTIES:
        katas = [k for k in catalog.katas.values() if k.difficulty == level]
        passed = sum(any(summary.get((k.id, b)) and summary[(k.id, b)].status == "passed" for b in k.backends) for k in katas)
        difficulty[level] = {"passed": passed, "total": len(katas)}
    rows = []
    for (kata_id, backend), p in sorted(summary.items()):
        level = catalog.katas[kata_id].difficulty if kata_id in catalog.katas else "?"
        rows.append(KataRow(kata_id, backend, level, p.status, p.checks, p.first_s, p.best_s, p.hints, p.revealed, p.passed_after_reveal, _iso(p.last_ts)))
    days = progress.practice_days() if progress else []
    sessions = [_session_json(s) for s in progress.sessions(limit=20)] if progress else []
    return Stats(difficulty, streak(days, datetime.fromtimestamp(now).date()), rows, redo(summary, now), sessions)


CSV_COLUMNS = [f for f in KataRow.__dataclass_fields__]


def to_csv(stats: Stats) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in stats.katas:
        values = asdict(row)
        for key in ("first_pass_s", "best_s"):
            values[key] = "" if values[key] is None else f"{values[key]:.1f}"
        writer.writerow(values)
    return buffer.getvalue()
