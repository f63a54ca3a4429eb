"""The mlkata command line: declarations only; each command calls the modules that do the work."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from mlkata import render
from mlkata.catalog import load_catalog
from mlkata.errors import ExitStatus, MlkataError, WorkspaceError
from mlkata.resolve import require_backend_installed, target, validate_backend
from mlkata.workspace import Workspace

app = typer.Typer(
    help="Offline interview practice for ML algorithms: pick a kata, implement it in NumPy or PyTorch, check it.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
_state: dict = {}


def command(name: str | None = None):
    """Register a command whose errors take one path: a single line on stderr and a named exit status."""

    def register(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except MlkataError as exc:
                if _state.get("traceback"):
                    raise
                render.error(exc.message, exc.hint)
                raise typer.Exit(exc.status) from None
            except KeyboardInterrupt:
                render.error("interrupted; nothing was lost")
                raise typer.Exit(130) from None
            except BrokenPipeError:  # `mlkata list | head`: the reader left; say nothing more
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(ExitStatus.OK) from None
            except OSError as exc:  # a full disk, a read-only folder ...: what and where, in one line
                if _state.get("traceback"):
                    raise
                where = f"{exc.filename}: " if exc.filename else ""
                render.error(f"{where}{exc.strerror or exc}", "your files are unchanged")
                raise typer.Exit(ExitStatus.USAGE) from None
            except (typer.Exit, typer.Abort):
                raise
            except Exception as exc:  # a bug in mlkata: still one line, the stack on request
                if _state.get("traceback"):
                    raise
                render.error(f"internal error: {type(exc).__name__}: {exc}", "run again with --traceback and report it")
                raise typer.Exit(70) from None

        return app.command(name)(run)

    return register


def _complete_kata(incomplete: str) -> list[str]:
    return [k for k in load_catalog().ids() if k.startswith(incomplete.replace("_", "-"))]


KataArg = Annotated[Optional[str], typer.Argument(help="kata id (default: the current kata)", autocompletion=_complete_kata, show_default=False)]
BackendOpt = Annotated[Optional[str], typer.Option("--backend", "-b", help="numpy or torch", show_default=False)]


@app.callback()
def _main(
    workspace: Annotated[
        Optional[Path], typer.Option("--workspace", "-w", help="workspace folder (else $MLKATA_WORKSPACE, else ~/mlkata)", show_default=False)
    ] = None,
    traceback: Annotated[bool, typer.Option("--traceback", help="show the Python stack of an error (for debugging mlkata)")] = False,
) -> None:
    _state["workspace"] = workspace
    _state["traceback"] = traceback


def _workspace() -> Workspace:
    return Workspace.resolve(_state.get("workspace"))


def _progress(ws: Workspace):
    """The history store, or None where the workspace cannot hold one (read-only, missing, locked)."""
    from mlkata.progress import Progress, ProgressError

    try:
        ws.ensure()
        progress = Progress(ws.meta / "progress.db")
    except (WorkspaceError, OSError):
        return None
    except ProgressError as exc:
        render.warning(f"{exc.message}; this run is not recorded")
        return None
    if progress.warning:
        render.warning(progress.warning)
    return progress


def _checkable(kata: str | None, backend: str | None, file: Path | None, timeout: float):
    """The workspace and the attempt that `check` and `watch` run, after validating what they share."""
    if timeout <= 0:
        raise MlkataError(f"--timeout must be positive, not {timeout:g}")
    ws = _workspace()
    chosen = target(load_catalog(), ws, kata, backend, file)
    require_backend_installed(chosen.backend)
    ws.require_attempt(chosen.attempt)
    return ws, chosen


@command("list")
def list_(
    tag: Annotated[Optional[str], typer.Option(help="only katas with this tag")] = None,
    difficulty: Annotated[Optional[str], typer.Option(help="easy, medium or hard")] = None,
) -> None:
    """The catalog, with your status per backend and best time."""
    catalog = load_catalog()
    ws = _workspace()
    summary = {}
    if (ws.meta / "progress.db").exists():
        progress = _progress(ws)
        summary = progress.summary() if progress else {}
    rows = []
    for kata in catalog.select(tag, difficulty):
        status = {b: summary[(kata.id, b)].status if (kata.id, b) in summary else "new" for b in kata.backends}
        times = [summary[(kata.id, b)].best_s for b in kata.backends if (kata.id, b) in summary and summary[(kata.id, b)].best_s is not None]
        rows.append({"id": kata.id, "title": kata.title, "difficulty": kata.difficulty, "tags": kata.tags, "status": status, "best": min(times, default=None)})
    render.catalog_table(rows, [p.message for p in catalog.problems])


@command()
def show(kata: Annotated[str, typer.Argument(help="kata id", autocompletion=_complete_kata)]) -> None:
    """Description, equation and signatures of a kata (no solution)."""
    render.kata_details(load_catalog().get(kata))


@command()
def start(
    kata: Annotated[str, typer.Argument(help="kata id", autocompletion=_complete_kata)],
    backend: Annotated[str, typer.Option("--backend", "-b", help="numpy or torch")] = "numpy",
    force: Annotated[bool, typer.Option("--force", help="replace an existing attempt (it is backed up first)")] = False,
    open_: Annotated[bool, typer.Option("--open", help="open the stub in $MLKATA_EDITOR or $EDITOR")] = False,
) -> None:
    """Write the stub to your workspace, make it the current kata and start its clock."""
    backend = validate_backend(backend)
    found = load_catalog().get(kata)
    found.backend(backend)
    require_backend_installed(backend)
    ws = _workspace()
    path, backup = ws.write_stub(found.id, backend, found.stub_path(backend).read_text(encoding="utf-8"), force=force)
    ws.set_current(found.id, backend)
    if (progress := _progress(ws)) is not None:
        progress.record("start", found.id, backend)
    if backup:
        render.info(f"kept your previous attempt in {backup}")
    render.info(f"{found.title} ({backend}): wrote {path}")
    render.info("edit it, then run: mlkata check")
    if open_:
        from mlkata.workspace import open_in_editor

        open_in_editor(path)


@command()
def check(
    kata: KataArg = None,
    backend: BackendOpt = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="check this file instead of the workspace attempt")] = None,
    timeout: Annotated[float, typer.Option(help="time limit for the whole check, in seconds")] = 60.0,
    memory: Annotated[
        Optional[int], typer.Option("--memory", help="memory limit in MB (default: $MLKATA_MEMORY_MB, else half of this machine's)", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON document instead of the report")] = False,
) -> None:
    """Run the kata's hidden suite against your attempt. Exit 0: all pass; 1: something failed."""
    import json

    from mlkata.runner import run_check

    if memory is not None and memory < 64:
        raise MlkataError(f"--memory is in MB and must be at least 64, not {memory}")
    ws, chosen = _checkable(kata, backend, file, timeout)
    with render.spinner(f"checking {chosen.kata.id} ({chosen.backend}) ..."):
        result = run_check(chosen.kata, chosen.backend, chosen.attempt, timeout=timeout, memory_mb=memory)
    workspace_attempt = chosen.attempt == ws.attempt_path(chosen.kata.id, chosen.backend)
    if workspace_attempt and (progress := _progress(ws)) is not None:  # a --file elsewhere is not your attempt's history
        failed = result.failed + result.errors
        progress.record("check", chosen.kata.id, chosen.backend, outcome=result.status.value, passed=result.passed, failed=failed, duration_s=result.duration_s)
    if as_json:
        import json

        print(json.dumps(result.to_json(), indent=2))
    else:
        render.check_result(result)
    raise typer.Exit(ExitStatus.OK if result.ok else ExitStatus.FAILED)


@command()
def hint(kata: KataArg = None) -> None:
    """Show the next hint you have not seen yet."""
    ws = _workspace()
    chosen = target(load_catalog(), ws, kata, None)
    progress = _progress(ws)
    _refuse_during_interview(progress)
    seen = progress.hints_seen(chosen.kata.id) if progress else 0
    hints = chosen.kata.hints
    if seen >= len(hints):
        render.info(f"no hints left for {chosen.kata.id} (all {len(hints)} shown); 'mlkata reveal' shows the reference")
        return
    if progress:
        progress.record("hint", chosen.kata.id, chosen.backend, detail=str(seen + 1))
    render.hint(chosen.kata.id, seen + 1, len(hints), hints[seen])


@command()
def reveal(
    kata: KataArg = None,
    backend: BackendOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="reveal without asking")] = False,
) -> None:
    """Show the commented reference solution (asks first if you have not passed the kata)."""
    ws = _workspace()
    chosen = target(load_catalog(), ws, kata, backend)
    progress = _progress(ws)
    _refuse_during_interview(progress)
    summary = progress.summary() if progress else {}
    passed = (chosen.kata.id, chosen.backend) in summary and summary[(chosen.kata.id, chosen.backend)].status == "passed"
    if not passed and not yes:
        if not sys.stdin.isatty():
            raise MlkataError(f"you have not passed {chosen.kata.id} ({chosen.backend}) yet", "pass --yes to reveal the reference anyway")
        if not typer.confirm(f"You have not passed {chosen.kata.id} ({chosen.backend}) yet. Reveal the reference?", default=False):
            raise typer.Exit(ExitStatus.OK)
    if progress:
        progress.record("reveal", chosen.kata.id, chosen.backend)
    render.source(chosen.kata.solution_path(chosen.backend), f"{chosen.kata.title}: reference ({chosen.backend})")


def _refuse_during_interview(progress) -> None:
    if progress is not None and (active := progress.active_interview()) is not None:
        raise MlkataError(f"an interview session is running ({active.folder}): no hints and no reveal until it ends", "press q in the session to end it")


@command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="print the numbers as one JSON document")] = False,
    export: Annotated[Optional[Path], typer.Option("--export", help="write one row per kata and backend to this CSV file", show_default=False)] = None,
) -> None:
    """Your history: passed per difficulty, practice streak, per-kata attempts and times, what to redo."""
    from mlkata import stats as stats_
    from mlkata.progress import now
    from mlkata.workspace import atomic_write

    ws = _workspace()
    progress = _progress(ws) if (ws.meta / "progress.db").exists() else None
    data = stats_.compute(progress, load_catalog(), now())
    if export is not None:
        export = export.expanduser()
        if export.is_dir():
            raise MlkataError(f"--export needs a file name, and {export} is a folder", "for example: --export progress.csv")
        atomic_write(export.resolve(), stats_.to_csv(data))
    if as_json:
        import json

        print(json.dumps(data.to_json(), indent=2))
    else:
        render.stats(data)
    if export is not None and not as_json:
        render.info(f"wrote {len(data.katas)} rows to {export}")


@command()
def reset(
    kata: KataArg = None,
    backend: BackendOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="reset without asking (your attempt is backed up all the same)")] = False,
    list_: Annotated[bool, typer.Option("--list", help="show the backups (of KATA, if given)")] = False,
    restore: Annotated[
        Optional[str], typer.Option("--restore", help="bring back this backup (a name from --list); what is there now is backed up first", show_default=False)
    ] = None,
) -> None:
    """Put the stub back in place of your attempt; the attempt is kept in .mlkata/backups/ first."""
    ws = _workspace()
    catalog = load_catalog()
    if list_ and restore:
        raise MlkataError("--list and --restore do not go together", "list first, then restore one")
    if list_:
        originals = None
        if kata is not None:
            found = catalog.get(kata)
            originals = {ws.attempt_path(found.id, b).name for b in ([validate_backend(backend)] if backend else found.backends)}
        render.backups(ws.list_backups(originals), ws.backups)
        return
    if restore is not None:
        chosen_backup = ws.find_backup(restore)
        path, kept = ws.restore_backup(chosen_backup)
        if kept:
            render.info(f"kept the file that was there in {kept}")
        render.info(f"restored {chosen_backup.name} to {path}")
        return
    chosen = target(catalog, ws, kata, backend)
    stub = chosen.kata.stub_path(chosen.backend).read_text(encoding="utf-8")
    exists = chosen.attempt.exists()
    if exists and not yes:
        question = f"Replace {chosen.attempt} with the stub of {chosen.kata.id} ({chosen.backend})? Your attempt is backed up first."
        if not sys.stdin.isatty():
            raise MlkataError(f"reset replaces {chosen.attempt} with the stub", "pass --yes to confirm (your attempt is backed up first)")
        if not typer.confirm(question, default=False):
            raise typer.Exit(ExitStatus.OK)
    backup = ws.reset_to_stub(chosen.attempt, stub)
    if (progress := _progress(ws)) is not None:
        progress.record("reset", chosen.kata.id, chosen.backend, detail=str(backup) if backup else None)
    if backup:
        render.info(f"kept your attempt in {backup}")
    render.info(f"{chosen.kata.title} ({chosen.backend}): {'reset' if exists else 'wrote'} {chosen.attempt} to the stub; its clock starts again")


@command()
def watch(
    kata: KataArg = None,
    backend: BackendOpt = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="watch this file instead of the workspace attempt")] = None,
    poll: Annotated[bool, typer.Option("--poll", help="poll the file instead of waiting for file events (network drives, WSL)")] = False,
    timeout: Annotated[float, typer.Option(help="time limit for each check, in seconds")] = 60.0,
    max_checks: Annotated[Optional[int], typer.Option("--max-checks", help="stop after this many checks (the first one included)", show_default=False)] = None,
) -> None:
    """Check now, then again on every save of the attempt (Ctrl-C stops)."""
    from mlkata.runner import run_check
    from mlkata.warm import WarmChecker
    from mlkata.watch import Watcher, watch_loop

    if max_checks is not None and max_checks < 1:
        raise MlkataError(f"--max-checks must be at least 1, not {max_checks}")
    ws, chosen = _checkable(kata, backend, file, timeout)
    progress = _progress(ws)

    def check_once(path: Path) -> None:
        with render.spinner(f"checking {chosen.kata.id} ({chosen.backend}) ..."):
            result = run_check(chosen.kata, chosen.backend, path, timeout=timeout, executor=checker)
        if progress is not None:
            failed = result.failed + result.errors
            record = dict(outcome=result.status.value, passed=result.passed, failed=failed, duration_s=result.duration_s)
            progress.record("check", chosen.kata.id, chosen.backend, **record)
        render.check_result(result)
        render.flush()

    try:
        with WarmChecker(chosen.backend) as checker, Watcher([chosen.attempt], poll=poll) as watcher:
            render.watching(chosen.attempt, watcher.mode)
            watch_loop(watcher, check_once, max_checks, on_mode_change=lambda mode: render.warning(f"now {mode}: {watcher.note}"))
    except KeyboardInterrupt:
        render.info("stopped watching")


@command()
def session(
    minutes: Annotated[float, typer.Option("--minutes", "-m", help="length of the session (fractions work: 0.5 = 30 s)")] = 45.0,
    count: Annotated[Optional[int], typer.Option("--count", "-n", help="how many katas (default: one per 15 minutes, 1 to 5)", show_default=False)] = None,
    backend: Annotated[str, typer.Option("--backend", "-b", help="numpy or torch")] = "numpy",
    difficulty: Annotated[Optional[str], typer.Option(help="only katas of this difficulty: easy, medium or hard", show_default=False)] = None,
    tag: Annotated[Optional[str], typer.Option(help="only katas with this tag", show_default=False)] = None,
    kata: Annotated[
        Optional[list[str]], typer.Option("--kata", "-k", help="practise this kata (repeat for more)", autocompletion=_complete_kata, show_default=False)
    ] = None,
    seed: Annotated[Optional[int], typer.Option(help="pick the same katas again for the same history", show_default=False)] = None,
    interview: Annotated[bool, typer.Option("--interview", help="no hints, no reveal, one kata at a time")] = False,
    no_input: Annotated[bool, typer.Option("--no-input", help="read no keys (scripts, tests): ends when the time is up, all pass, or on Ctrl-C")] = False,
    poll: Annotated[bool, typer.Option("--poll", help="poll the files instead of waiting for file events")] = False,
) -> None:
    """Timed practice: a few katas in fresh files, a live countdown, re-checks on save, and a summary."""
    from mlkata import session as session_

    if not 0 < minutes <= 24 * 60:
        raise MlkataError(f"--minutes must be more than 0 and at most a day, not {minutes:g}")
    backend = validate_backend(backend)
    require_backend_installed(backend)
    ws = _workspace()
    ws.ensure()
    catalog = load_catalog()
    progress = _progress(ws)
    picked = session_.choose(catalog, progress.summary() if progress else {}, backend, count, minutes, difficulty, tag, kata, seed)
    plan = session_.Plan(tuple(picked), backend, minutes, interview)
    read_keys = not no_input and sys.stdin.isatty()
    state, records = session_.run(plan, ws, progress, render.session_display, read_keys, poll=poll)
    if state is not None:
        render.session_summary(state, records)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `mlkata` console script and `python -m mlkata`."""
    import signal

    # A closed terminal or a `kill` takes the same path as Ctrl-C: children killed, temp files removed.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)
    app(prog_name="mlkata")
