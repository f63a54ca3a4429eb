"""Noticing saves: file events (watchdog) where they arrive, polling where they do not.

`Watcher(paths)` watches a few files (their folders, not the files: an editor that writes a temporary
file and renames it over the attempt replaces the inode, and a watch on the old inode would go quiet).
A change is a new (mtime_ns, size, inode) signature of an existing file, reported once the file has been
quiet for a short debounce window, so one save that the editor does in three writes checks once.

With file events a stat now and then still runs: a save seen by stat but by no event means events do not
arrive here (a network drive, WSL on a Windows folder), and the watcher switches to polling and says so.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

DEBOUNCE_S = 0.03  # quiet time after the last event before a save counts (editors finish a save in a few ms)
MAX_DEBOUNCE_S = 1.0  # a file that never stops changing is checked anyway after this
POLL_INTERVAL_S = 0.2
SAFETY_STAT_S = 1.0  # with file events: how often a stat makes sure no save was missed
EVENT_GRACE_S = 0.5  # how long a save seen by stat may wait for its event before events count as broken

Signature = tuple[int, int, int] | None


def signature(path: Path) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Watcher:
    """Wait for saves of `paths`: `wait(timeout)` returns the files that changed ([] when the time is up)."""

    def __init__(self, paths: Iterable[Path], poll: bool = False, interval: float = POLL_INTERVAL_S, debounce: float = DEBOUNCE_S):
        self.paths = [Path(p).absolute() for p in paths]
        self.interval = interval
        self.debounce = debounce
        self.seen = {p: signature(p) for p in self.paths}
        self.polling = True
        self.note = "--poll" if poll else ""
        self._hit = threading.Event()
        self._observer = None
        if not poll:
            self._start_events()

    @property
    def mode(self) -> str:
        if self.polling:
            return f"polling every {self.interval:g} s" + (f" ({self.note})" if self.note else "")
        return "file events"

    def add(self, path: Path) -> None:
        """Watch one more file (in a folder already watched, or polled)."""
        path = Path(path).absolute()
        if path not in self.seen:
            self.paths.append(path)
            self.seen[path] = signature(path)
            if self._observer is not None and path.parent not in {p.parent for p in self.paths[:-1]}:
                self._schedule(path.parent)

    def sync(self, path: Path) -> None:
        """Take the file as it is now as seen: a write of our own is not a save."""
        path = Path(path).absolute()
        if path in self.seen:
            self.seen[path] = signature(path)

    # -- file events ----------------------------------------------------------------------
    def _start_events(self) -> None:
        try:
            from watchdog.observers import Observer
        except ImportError:
            self.note = "watchdog is not installed: pip install watchdog"
            return
        try:
            self._observer = Observer()
            for folder in sorted({p.parent for p in self.paths}):
                self._schedule(folder)
            self._observer.daemon = True
            self._observer.start()
        except (OSError, RuntimeError) as exc:  # no inotify watches left, an unsupported filesystem ...
            self._stop_events()
            self.note = f"file events are unavailable here ({exc})"
            return
        self.polling = False

    def _schedule(self, folder: Path) -> None:
        from watchdog.events import FileSystemEventHandler

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                names = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
                if any(Path(n).absolute() in watcher.seen for n in names if n):
                    watcher._hit.set()

        self._observer.schedule(Handler(), str(folder), recursive=False)

    def _stop_events(self) -> None:
        if self._observer is not None:
            try:
                self._observer.stop()
                self._observer.join(timeout=2.0)
            except RuntimeError:  # never started
                pass
            self._observer = None

    def close(self) -> None:
        self._stop_events()

    def __enter__(self) -> "Watcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- waiting --------------------------------------------------------------------------
    def _changed(self) -> list[Path]:
        out = []
        for path in self.paths:
            now = signature(path)
            if now != self.seen[path]:
                self.seen[path] = now
                if now is not None:  # a file that is gone (mid-replace) is not a save; its return is
                    out.append(path)
        return out

    def _settle_events(self) -> None:
        started = time.monotonic()
        while time.monotonic() - started < MAX_DEBOUNCE_S:
            self._hit.clear()
            if not self._hit.wait(self.debounce):
                return

    def _settle_stat(self, changed: list[Path]) -> None:
        started = time.monotonic()
        while time.monotonic() - started < MAX_DEBOUNCE_S:
            time.sleep(self.debounce)
            if not self._changed():
                return

    def wait(self, timeout: float | None = None) -> list[Path]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return []
            if self.polling:
                time.sleep(self.interval if left is None else min(self.interval, left))
                changed = self._changed()
                if changed:
                    self._settle_stat(changed)
                    return changed
                continue
            if self._hit.wait(SAFETY_STAT_S if left is None else min(SAFETY_STAT_S, left)):
                self._settle_events()
                changed = self._changed()
                if changed:
                    return changed
                continue
            changed = self._changed()  # no event: did a save slip past?
            if changed:
                if not self._hit.wait(EVENT_GRACE_S):
                    self._stop_events()
                    self.polling = True
                    self.note = "file events did not arrive for a save here"
                else:
                    self._settle_events()
                    self._changed()
                return changed


def watch_loop(watcher: Watcher, check: Callable[[Path], None], max_checks: int | None = None, on_mode_change: Callable[[str], None] | None = None) -> int:
    """Check once now, then on every save; returns the number of checks run (stops at max_checks)."""
    path = watcher.paths[0]
    checks = 0
    mode = watcher.mode
    check(path)
    checks += 1
    while max_checks is None or checks < max_checks:
        changed = watcher.wait()
        if watcher.mode != mode and on_mode_change:
            mode = watcher.mode
            on_mode_change(mode)
        if changed:
            check(path)
            checks += 1
    return checks
