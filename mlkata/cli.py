"""The mlkata command line: declarations only; each command calls the modules that do the work."""

from __future__ import annotations

import functools
import json
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
    workspace: Annotated[Optional[Path], typer.Option("--workspace", "-w", help="workspace folder (else $MLKATA_WORKSPACE, else ~/mlkata)", show_default=False)] = None,
    traceback: Annotated[bool, typer.Option("--traceback", help="show the Python stack of an error (for debugging mlkata)")] = False,
) -> None:
    _state["workspace"] = workspace
    _state["traceback"] = traceback


def _workspace() -> Workspace:
    return Workspace.resolve(_state.get("workspace"))


def _progress(ws: Workspace):
    """The history store, or None where the workspace cannot hold one (read-only, missing)."""
    from mlkata.progress import Progress

    try:
        ws.ensure()
        progress = Progress(ws.meta / "progress.db")
    except (WorkspaceError, OSError):
        return None
    if progress.warning:
        render.warning(progress.warning)
    return progress


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
    validate_backend(backend)
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
    render.info(f"edit it, then run: mlkata check")
    if open_:
        from mlkata.workspace import open_in_editor

        open_in_editor(path)


@command()
def check(
    kata: KataArg = None,
    backend: BackendOpt = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="check this file instead of the workspace attempt")] = None,
    timeout: Annotated[float, typer.Option(help="time limit for the whole check, in seconds")] = 60.0,
    memory: Annotated[Optional[int], typer.Option("--memory", help="memory limit in MB (default: $MLKATA_MEMORY_MB, else half of this machine's)", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON document instead of the report")] = False,
) -> None:
    """Run the kata's hidden suite against your attempt. Exit 0: all pass; 1: something failed."""
    from mlkata.runner import run_check

    if timeout <= 0:
        raise MlkataError(f"--timeout must be positive, not {timeout:g}")
    if memory is not None and memory < 64:
        raise MlkataError(f"--memory is in MB and must be at least 64, not {memory}")
    ws = _workspace()
    chosen = target(load_catalog(), ws, kata, backend, file)
    require_backend_installed(chosen.backend)
    ws.require_attempt(chosen.attempt)
    with render.spinner(f"checking {chosen.kata.id} ({chosen.backend}) ..."):
        result = run_check(chosen.kata, chosen.backend, chosen.attempt, timeout=timeout, memory_mb=memory)
    if (progress := _progress(ws)) is not None:
        progress.record("check", chosen.kata.id, chosen.backend, outcome=result.status.value, passed=result.passed, failed=result.failed + result.errors, duration_s=result.duration_s)
    if as_json:
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


def main() -> None:
    """Entry point of the `mlkata` console script and `python -m mlkata`."""
    app(prog_name="mlkata")
