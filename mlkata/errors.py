"""Domain errors and exit statuses: one path for every error the learner can see."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # every test passed, or the command did what it was asked
    FAILED = 1  # the check ran and something failed, errored or timed out
    USAGE = 2  # bad input: unknown kata, missing file, refused overwrite ...


class MlkataError(Exception):
    """An error the learner caused or can fix; printed as one line, never a traceback."""

    status = ExitStatus.USAGE

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UnknownKata(MlkataError):
    def __init__(self, name: str, suggestion: str | None = None):
        hint = f"did you mean '{suggestion}'? mlkata list shows them all" if suggestion else "mlkata list shows every kata"
        super().__init__(f"unknown kata '{name}'", hint)
        self.name = name
        self.suggestion = suggestion


class UnknownBackend(MlkataError):
    pass


class BackendUnavailable(MlkataError):
    pass


class AttemptMissing(MlkataError):
    pass


class AttemptExists(MlkataError):
    pass


class NoCurrentKata(MlkataError):
    pass


class CatalogError(MlkataError):
    """A kata.toml or a stub in the catalog is malformed; names the file and the key."""


class WorkspaceError(MlkataError):
    pass


class RunnerError(MlkataError):
    """The checker itself could not run (not the learner's attempt failing)."""
