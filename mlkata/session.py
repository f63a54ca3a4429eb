"""Timed practice sessions: pick katas, write fresh stubs in a session folder, re-check on save, summarise.

A session never touches the learner's workspace attempts: its stubs go to a new folder
<workspace>/sessions/<local time>/. Saving a file there re-checks it with the warm checker; the
countdown is real (monotonic) time, the history's timestamps come from `progress.now()`. It ends when
the time is up, every kata passes, the learner presses q, or on Ctrl-C / SIGTERM; the per-kata summary
is saved to the history in every case. Nothing here talks to rich: the display comes from render.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mlkata.catalog import Catalog, Kata
from mlkata.errors import MlkataError
from mlkata.progress import KataProgress, Progress, ProgressError, SessionKataRecord, now
from mlkata.workspace import Workspace, atomic_write

DIFFICULTIES = ("easy", "medium", "hard")
DEFAULT_MINUTES = 45.0
MINUTES_PER_KATA = 15.0  # the default count: one kata per this many minutes, 1 to 5
TICK_S = 0.1  # how often keys and the clock are looked at


@dataclass(frozen=True)
class Plan:
    katas: tuple[Kata, ...]
    backend: str
    minutes: float
    interview: bool = False


def choose(
    catalog: Catalog,
    summary: dict[tuple[str, str], KataProgress],
    backend: str,
    count: int | None,
    minutes: float,
    difficulty: str | None = None,
    tag: str | None = None,
    ids: list[str] | None = None,
    seed: int | None = None,
) -> list[Kata]:
    """New katas first, then those failed or revealed, then the least recently practised; ties at random
    (the same with the same --seed and the same history)."""
    if count is not None and count < 1:
        raise MlkataError(f"--count must be at least 1, not {count}")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        raise MlkataError(f"unknown difficulty '{difficulty}'", f"choose one of: {', '.join(DIFFICULTIES)}")
    if ids:
        chosen: list[Kata] = []
        for name in ids:
            kata = catalog.get(name)
            kata.backend(backend)
            if kata not in chosen:
                chosen.append(kata)
        return chosen[:count] if count else chosen
    pool = [k for k in catalog.select(tag, difficulty) if backend in k.backends]
    if not pool:
        wanted = " ".join(f"--{name} {value}" for name, value in (("difficulty", difficulty), ("tag", tag)) if value)
        raise MlkataError(f"no kata with a {backend} backend matches {wanted or 'the catalog'}", "mlkata list shows the katas and their tags")
    count = count or max(1, min(5, round(minutes / MINUTES_PER_KATA)))

    def rank(kata: Kata) -> tuple[int, float]:
        seen = summary.get((kata.id, backend))
        if seen is None or seen.status == "new":
            return (0, 0.0)
        if seen.status in ("attempted", "revealed"):
            return (1, 0.0)
        return (2, seen.last_ts or 0.0)  # passed: the least recently practised first

    random.Random(seed).shuffle(pool)  # the sort is stable: this breaks ties
    pool.sort(key=rank)
    return pool[:count]


@dataclass
class Item:
    """One kata of a session, as the display shows it."""

    kata: Kata
    backend: str
    path: Path
    state: str = "waiting"  # waiting (interview: not reached yet) / new / failing / passed
    started: float | None = None  # monotonic
    time_to_pass: float | None = None
    checks: int = 0
    hints: int = 0
    passed: int = 0
    total: int = 0
    last: str = ""  # one line about the latest check

    def record(self) -> SessionKataRecord:
        return SessionKataRecord(
            self.kata.id, self.backend, str(self.path), self.state != "waiting", self.time_to_pass is not None, self.time_to_pass, self.checks, self.hints
        )


@dataclass
class State:
    items: list[Item]
    backend: str
    interview: bool
    minutes: float
    folder: Path
    deadline: float  # monotonic
    started: float  # monotonic
    keys: bool = False  # whether h / q are read
    mode: str = ""  # how saves are noticed
    focus: int = 0
    checking: str | None = None
    end_reason: str | None = None
    messages: deque = field(default_factory=lambda: deque(maxlen=4))

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def done(self) -> bool:
        return all(i.time_to_pass is not None for i in self.items)


class Stop(Exception):
    """SIGTERM (or another polite stop) during a session: end it, save, summarise."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Keys:
    """Single key presses from the terminal in cbreak mode; the terminal is restored on exit, whatever happens."""

    def __init__(self, enabled: bool):
        self.fd = sys.stdin.fileno() if enabled else None
        self.saved = None

    def __enter__(self) -> "Keys":
        if self.fd is not None:
            import termios
            import tty

            try:
                self.saved = termios.tcgetattr(self.fd)
                tty.setcbreak(self.fd)
            except (termios.error, OSError):
                self.fd = None
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None and self.saved is not None:
            import termios

            try:
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
            except (termios.error, OSError):
                pass

    @property
    def enabled(self) -> bool:
        return self.fd is not None

    def read(self) -> str:
        if self.fd is None:
            return ""
        try:
            ready, _, _ = select.select([self.fd], [], [], 0)
            if not ready:
                return ""
            data = os.read(self.fd, 64)
        except OSError:
            data = b""
        if not data:  # the terminal went away: no more keys
            self.__exit__()
            self.fd = None
        return data.decode("utf-8", "ignore")


class Session:
    """The running session: what happens on a save, a key, and at the end."""

    def __init__(self, plan: Plan, ws: Workspace, progress: Progress | None, display, checker, timeout_s: float = 60.0):
        self.plan = plan
        self.ws = ws
        self.progress = progress
        self.display = display
        self.checker = checker
        self.timeout_s = timeout_s
        self.session_id: int | None = None
        self.state: State | None = None
        self.watcher = None  # set once watching: a stub written later is not a save
        self._warned = False

    # -- history ----------------------------------------------------------------------------
    def _record(self, kind: str, item: Item, **fields) -> None:
        if self.progress is None:
            return
        try:
            self.progress.record(kind, item.kata.id, item.backend, session_id=self.session_id, **fields)
        except ProgressError as exc:
            if not self._warned:
                self._warned = True
                self.display.say(f"warning: {exc.message}")

    # -- start ------------------------------------------------------------------------------
    def begin(self) -> State:
        folder = self.ws.new_session_folder(datetime.fromtimestamp(now()))
        items = [Item(k, self.plan.backend, folder / self.ws.attempt_path(k.id, self.plan.backend).name) for k in self.plan.katas]
        started = time.monotonic()
        planned = self.plan.minutes * 60
        self.state = State(items, self.plan.backend, self.plan.interview, self.plan.minutes, folder, started + planned, started)
        if self.progress is not None:
            try:
                self.session_id = self.progress.begin_session(planned, self.plan.backend, self.plan.interview, folder)
            except ProgressError as exc:
                self.display.say(f"warning: {exc.message}")
        for item in items[:1] if self.plan.interview else items:
            self._open(item)
        return self.state

    def _open(self, item: Item) -> None:
        """Write the kata's fresh stub in the session folder and start its clock."""
        atomic_write(item.path, item.kata.stub_path(item.backend).read_text(encoding="utf-8"))
        if self.watcher is not None:
            self.watcher.sync(item.path)
        item.state = "new"
        item.started = time.monotonic()
        self._record("start", item, detail=str(item.path))

    # -- events -----------------------------------------------------------------------------
    def saved(self, path: Path) -> None:
        from mlkata.runner import run_check

        assert self.state is not None
        item = next((i for i in self.state.items if i.path == path and i.state != "waiting"), None)
        if item is None:
            return
        self.state.focus = self.state.items.index(item)
        self.state.checking = item.kata.id
        self.display.refresh()
        try:
            result = run_check(item.kata, item.backend, item.path, timeout=self.timeout_s, executor=self.checker)
        finally:
            self.state.checking = None
        item.checks += 1
        item.passed, item.total = result.passed, len(result.tests)
        self._record("check", item, outcome=result.status.value, passed=result.passed, failed=result.failed + result.errors, duration_s=result.duration_s)
        if result.ok and item.time_to_pass is None:
            item.time_to_pass = time.monotonic() - (item.started or self.state.started)
        if item.time_to_pass is None:
            item.state = "new" if result.status.value == "not started" else "failing"
        else:
            item.state = "passed"
        item.last = _one_line(result)
        self.display.checked(item, result)
        if self.plan.interview and result.ok:
            following = next((i for i in self.state.items if i.state == "waiting"), None)
            if following is not None:
                self._open(following)
                self.display.opened(following)
                self.state.focus = self.state.items.index(following)

    def key(self, key: str) -> str | None:
        """One key press; returns an end reason for q."""
        assert self.state is not None
        if key in "qQ":
            return "quit"
        if key in "hH":
            self.hint()
        elif key.isdigit() and 1 <= int(key) <= len(self.state.items) and self.state.items[int(key) - 1].state != "waiting":
            self.state.focus = int(key) - 1
        return None

    def hint(self) -> None:
        assert self.state is not None
        if self.plan.interview:
            self.display.say("no hints in an interview session")
            return
        item = self.state.items[self.state.focus]
        if item.time_to_pass is not None:  # passed: the next one that is not
            item = next((i for i in self.state.items if i.time_to_pass is None and i.state != "waiting"), item)
        hints = item.kata.hints
        if item.hints >= len(hints):
            self.display.say(f"no hints left for {item.kata.id} (all {len(hints)} shown)")
            return
        item.hints += 1
        self._record("hint", item, detail=str(item.hints))
        self.display.hint(item, item.hints, len(hints), hints[item.hints - 1])

    # -- end --------------------------------------------------------------------------------
    def finish(self, reason: str) -> list[SessionKataRecord]:
        assert self.state is not None
        self.state.end_reason = reason
        records = [i.record() for i in self.state.items]
        if self.progress is not None and self.session_id is not None:
            try:
                self.progress.end_session(self.session_id, reason, records)
            except ProgressError as exc:
                self.display.say(f"warning: {exc.message}")
        return records


def _one_line(result) -> str:
    if result.status.value == "not started":
        return "NOT STARTED: still the untouched stub"
    text = f"{result.status.value.upper()} {result.passed} passed, {result.failed} failed"
    if result.errors:
        text += f", {result.errors} errors"
    first = next((t for t in result.tests if t.outcome.value not in ("passed", "skipped")), None)
    if first is not None:
        message = (first.message or "").strip().splitlines()
        text += f"; {first.name}" + (f": {message[0][:160]}" if message else "")
    elif result.note and not result.ok:
        text += f"; {result.note}"
    return text


def run(plan: Plan, ws: Workspace, progress: Progress | None, display_factory, read_keys: bool, poll: bool = False, timeout_s: float = 60.0):
    """Run a whole session; returns (state, records). Ends on time up, all passed, q, Ctrl-C or SIGTERM."""
    from mlkata.warm import WarmChecker
    from mlkata.watch import Watcher

    def on_term(signum, frame):
        raise Stop("terminated")

    previous = signal.signal(signal.SIGTERM, on_term)
    previous_hup = signal.signal(signal.SIGHUP, on_term) if hasattr(signal, "SIGHUP") else None  # the terminal closed
    reason = "interrupted"
    session = None
    try:
        with WarmChecker(plan.backend) as warm, Keys(read_keys) as keys:
            checker = Prewarmed(warm)
            state_holder: dict = {}
            with display_factory(lambda: state_holder.get("state")) as display:
                session = Session(plan, ws, progress, display, checker, timeout_s)
                state = session.begin()
                state.keys = keys.enabled
                state_holder["state"] = state
                with Watcher([i.path for i in state.items], poll=poll) as watcher:
                    session.watcher = watcher
                    state.mode = watcher.mode
                    display.started(state)
                    try:
                        reason = _loop(session, state, watcher, keys, display)
                    finally:
                        checker.close()
    except KeyboardInterrupt:
        reason = "interrupted"
    except Stop as stop:
        reason = stop.reason
    finally:
        signal.signal(signal.SIGTERM, previous)
        if previous_hup is not None:
            signal.signal(signal.SIGHUP, previous_hup)
    if session is None or session.state is None:
        return None, []
    # saving must not be cut short by a second Ctrl-C
    old_int, old_term = signal.signal(signal.SIGINT, signal.SIG_IGN), signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        records = session.finish(reason)
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)
    return session.state, records


def _loop(session: Session, state: State, watcher, keys: Keys, display) -> str:
    while True:
        if state.done:
            return "all passed"
        left = state.left()
        if left <= 0:
            return "time up"
        changed = watcher.wait(min(TICK_S, left))
        for path in changed:
            session.saved(path)
        if state.mode != watcher.mode:
            state.mode = watcher.mode
            display.say(f"now {watcher.mode}: {watcher.note}")
        pressed = keys.read()
        for key in pressed:
            if session.key(key) == "quit":
                return "quit"
        if changed or pressed:
            display.refresh()  # the countdown itself refreshes on its own


class Prewarmed:
    """The warm checker, started in the background while the learner reads the stubs, so that the first
    save checks fast; a lock keeps the warm-up and the first check from starting two workers."""

    def __init__(self, checker):
        import threading

        self.checker = checker
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._warm, daemon=True).start()

    def _warm(self) -> None:
        with self.lock:
            if self.closed:
                return
            try:
                self.checker.start()
            except Exception:  # the first check starts it again, or falls back to a cold one, and says so
                pass

    @property
    def note(self) -> str:
        return self.checker.note

    def run(self, args, workdir, limits):
        with self.lock:
            return self.checker.run(args, workdir, limits)

    def close(self) -> None:
        if self.lock.acquire(timeout=5.0):
            self.closed = True
            self.lock.release()
