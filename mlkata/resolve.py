"""From what the learner typed to a kata, a backend and an attempt file (current kata, defaults)."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from mlkata.catalog import BACKENDS, Catalog, Kata
from mlkata.errors import BackendUnavailable, UnknownBackend
from mlkata.workspace import Workspace

DEFAULT_BACKEND = "numpy"


@dataclass(frozen=True)
class Target:
    kata: Kata
    backend: str
    attempt: Path


def require_backend_installed(backend: str) -> None:
    if backend == "torch" and importlib.util.find_spec("torch") is None:
        raise BackendUnavailable(
            "the torch backend needs PyTorch, which is not installed",
            "install it with: pip install 'mlkata[torch]'",
        )


def validate_backend(backend: str | None) -> str | None:
    backend = backend.lower() if backend else backend
    if backend is not None and backend not in BACKENDS:
        raise UnknownBackend(f"unknown backend '{backend}'", f"choose one of: {', '.join(BACKENDS)}")
    return backend


def target(catalog: Catalog, workspace: Workspace, kata: str | None, backend: str | None, file: Path | None = None) -> Target:
    """KATA and --backend as given, else the current kata and its backend, else numpy."""
    backend = validate_backend(backend)
    if kata is None:
        current = workspace.current()
        found = catalog.get(current.kata)
        backend = backend or current.backend
    else:
        found = catalog.get(kata)
        if backend is None:
            backend = _backend_of_file(file) if file else _guess_backend(found, workspace)
    found.backend(backend)
    attempt = file.expanduser().resolve() if file else workspace.attempt_path(found.id, backend)
    return Target(found, backend, attempt)


def _guess_backend(kata: Kata, workspace: Workspace) -> str:
    """The current backend if this is the current kata, else the only backend with an attempt, else numpy."""
    try:
        current = workspace.current()
        if current.kata == kata.id:
            return current.backend
    except Exception:
        pass
    existing = [b for b in kata.backends if workspace.attempt_path(kata.id, b).exists()]
    return existing[0] if len(existing) == 1 else DEFAULT_BACKEND


def _backend_of_file(file: Path) -> str:
    """--file without --backend: torch if the file imports torch, else numpy."""
    try:
        text = file.expanduser().read_text(encoding="utf-8", errors="replace")
    except OSError:
        return DEFAULT_BACKEND
    return "torch" if re.search(r"^\s*(import torch|from torch)\b", text, re.M) else DEFAULT_BACKEND
