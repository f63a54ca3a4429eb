"""The learner's workspace: attempt files, the current kata, backups; every write is atomic."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mlkata.errors import AttemptExists, AttemptMissing, NoCurrentKata, WorkspaceError

ENV_VAR = "MLKATA_WORKSPACE"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    A crash, Ctrl-C or a full disk leaves either the old file or the new one, never half of one.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile  # not at the top: `mlkata list` never writes

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class Current:
    kata: str
    backend: str


_BACKUP_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{12}Z)(?P<suffix>\.[^.]+)$")


@dataclass(frozen=True)
class Backup:
    """A kept copy of an attempt: `<stem>.<UTC stamp><suffix>` in .mlkata/backups/."""

    path: Path
    original: str  # the attempt's file name, e.g. attention_numpy.py
    taken: datetime  # UTC

    @property
    def name(self) -> str:
        return self.path.name

    @classmethod
    def parse(cls, path: Path) -> "Backup | None":
        match = _BACKUP_NAME.match(path.name)
        if not match:
            return None
        taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
        return cls(path, match["stem"] + match["suffix"], taken)


class Workspace:
    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def resolve(cls, option: str | Path | None) -> "Workspace":
        raw = option or os.environ.get(ENV_VAR) or Path.home() / "mlkata"
        return cls(Path(raw).expanduser().resolve())

    @property
    def meta(self) -> Path:
        return self.root / ".mlkata"

    @property
    def backups(self) -> Path:
        return self.meta / "backups"

    def ensure(self) -> None:
        try:
            self.backups.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(
                f"cannot use workspace {self.root}: {exc.strerror}",
                "choose another with --workspace DIR or MLKATA_WORKSPACE",
            ) from None
        if not os.access(self.root, os.W_OK) or not os.access(self.meta, os.W_OK):
            raise WorkspaceError(f"workspace {self.root} is read-only", "choose another with --workspace DIR or MLKATA_WORKSPACE")

    def attempt_path(self, kata_id: str, backend: str) -> Path:
        return self.root / f"{kata_id.replace('-', '_')}_{backend}.py"

    # -- writing attempts -----------------------------------------------------------------
    def backup(self, path: Path) -> Path:
        """Copy an attempt into .mlkata/backups/ with a timestamp; returns the copy."""
        self.ensure()
        target = self.backups / f"{path.stem}.{_stamp()}{path.suffix}"
        atomic_write(target, path.read_bytes())
        return target

    def write_stub(self, kata_id: str, backend: str, stub: str, force: bool = False) -> tuple[Path, Path | None]:
        """Write the stub as the attempt; an existing attempt is backed up first, and only with force."""
        self.ensure()
        path = self.attempt_path(kata_id, backend)
        backup = None
        if path.exists():
            if not force:
                raise AttemptExists(
                    f"{path} already exists; not overwriting your work",
                    f"continue with 'mlkata check', or start over with 'mlkata start {kata_id} --backend {backend} --force' (keeps a backup)",
                )
            backup = self.backup(path)
        atomic_write(path, stub)
        return path, backup

    def require_attempt(self, path: Path) -> Path:
        if path.is_dir():
            raise AttemptMissing(f"{path} is a folder, not an attempt file", "pass the .py file itself")
        if not path.is_file():
            raise AttemptMissing(f"attempt file not found: {path}", "write one with 'mlkata start KATA' or pass --file PATH")
        return path

    def reset_to_stub(self, path: Path, stub: str) -> Path | None:
        """Put the stub back in place of the attempt; the attempt is backed up first (unless it is the stub)."""
        self.ensure()
        backup = None
        if path.exists() and path.read_text(encoding="utf-8", errors="replace") != stub:
            backup = self.backup(path)
        atomic_write(path, stub)
        return backup

    # -- backups --------------------------------------------------------------------------
    def list_backups(self, originals: set[str] | None = None) -> list[Backup]:
        """Backups, newest first; only those of these attempt file names if given."""
        try:
            found = [b for p in self.backups.iterdir() if p.is_file() and (b := Backup.parse(p))]
        except FileNotFoundError:
            return []
        return sorted((b for b in found if originals is None or b.original in originals), key=lambda b: b.taken, reverse=True)

    def find_backup(self, name: str) -> Backup:
        """A backup by its file name, or by a part of it that names only one."""
        backups = self.list_backups()
        exact = [b for b in backups if b.name == name or str(b.path) == name]
        matches = exact or [b for b in backups if name in b.name]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise WorkspaceError(f"no backup named '{name}' in {self.backups}", "list them with: mlkata reset --list")
        raise WorkspaceError(f"'{name}' matches {len(matches)} backups", "give more of the name (mlkata reset --list shows them)")

    def restore_backup(self, backup: Backup) -> tuple[Path, Path | None]:
        """Copy a backup back over its attempt; the attempt there now is backed up first. Returns (attempt, its backup)."""
        self.ensure()
        target = self.root / backup.original
        data = backup.path.read_bytes()
        kept = None
        if target.exists() and target.read_bytes() != data:
            kept = self.backup(target)
        atomic_write(target, data)
        return target, kept

    # -- sessions -------------------------------------------------------------------------
    def new_session_folder(self, when: datetime) -> Path:
        """A fresh folder <workspace>/sessions/<local time>/ (with -2, -3 ... if taken): never an existing one."""
        self.ensure()
        base = self.root / "sessions"
        base.mkdir(exist_ok=True)
        stamp = when.strftime("%Y-%m-%d_%H%M%S")
        for n in range(1, 1000):
            folder = base / (stamp if n == 1 else f"{stamp}-{n}")
            try:
                folder.mkdir()
                return folder
            except FileExistsError:
                continue
        raise WorkspaceError(f"cannot make a new session folder under {base}", "remove old sessions from it")

    # -- the current kata -----------------------------------------------------------------
    @property
    def _state_file(self) -> Path:
        return self.meta / "current.json"

    def set_current(self, kata_id: str, backend: str) -> None:
        self.ensure()
        atomic_write(self._state_file, json.dumps({"kata": kata_id, "backend": backend}))

    def current(self) -> Current:
        try:
            data = json.loads(self._state_file.read_text(encoding="utf-8"))
            return Current(str(data["kata"]), str(data["backend"]))
        except FileNotFoundError:
            raise NoCurrentKata("no current kata", "start one with 'mlkata start KATA', or name the kata: 'mlkata <command> KATA'") from None
        except (OSError, ValueError, KeyError, TypeError):
            raise NoCurrentKata(
                f"{self._state_file} is unreadable", "start a kata again with 'mlkata start KATA' (your attempts are untouched)"
            ) from None


def open_in_editor(path: Path) -> None:
    """Open `path` in $MLKATA_EDITOR, else $VISUAL, else $EDITOR (the command may carry flags)."""
    import shlex
    import subprocess

    editor = os.environ.get("MLKATA_EDITOR") or os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise WorkspaceError("no editor to open the stub with", "set MLKATA_EDITOR or EDITOR, e.g. export EDITOR=vim")
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)
    except (OSError, ValueError) as exc:
        raise WorkspaceError(f"cannot start the editor '{editor}': {getattr(exc, 'strerror', None) or exc}", "check MLKATA_EDITOR / EDITOR") from None
