"""Everything the learner sees: the only module that talks to rich (imported lazily per function)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from mlkata.catalog import Kata
from mlkata.results import CheckResult, Outcome, Status


def _console(stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or "COLUMNS" in os.environ else 160  # piped: no wrapping at 80
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width, no_color="NO_COLOR" in os.environ or None)


def _symbols() -> dict[str, str]:
    fancy = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return {"pass": "✓" if fancy else "PASS", "fail": "✗" if fancy else "FAIL", "skip": "-" if fancy else "SKIP"}


def error(message: str, hint: str | None = None) -> None:
    from rich.markup import escape

    console = _console(stderr=True)
    console.print(f"[bold red]error:[/] {escape(message)}" + (f" [dim]({escape(hint)})[/]" if hint else ""))


def warning(message: str) -> None:
    from rich.markup import escape

    _console(stderr=True).print(f"[yellow]warning:[/] {escape(message)}")


def info(message: str) -> None:
    from rich.markup import escape

    _console().print(escape(message))


def link(path: Path) -> str:
    """A path the terminal can open (file:// hyperlink on terminals that support it)."""
    from rich.markup import escape

    return f"[link=file://{escape(str(path))}]{escape(str(path))}[/link]"


@contextlib.contextmanager
def spinner(text: str):
    if not sys.stderr.isatty():
        yield
        return
    with _console(stderr=True).status(text):
        yield


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


STATUS_STYLE = {"new": "dim", "attempted": "yellow", "passed": "green", "revealed": "magenta"}


def catalog_table(rows: list[dict], problems: list[str]) -> None:
    """rows: {id, title, difficulty, tags, status: {backend: status}, best: seconds or None}."""
    from rich.table import Table

    console = _console()
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "difficulty", "numpy", "torch", "best", "title", "tags"):
        table.add_column(column, no_wrap=column not in ("title", "tags"), overflow="fold", ratio=1 if column in ("title", "tags") else None)
    for row in rows:
        cells = []
        for backend in ("numpy", "torch"):
            status = row["status"].get(backend)
            cells.append(f"[{STATUS_STYLE[status]}]{status}[/]" if status else "[dim]n/a[/]")
        table.add_row(row["id"], row["difficulty"], *cells, _duration(row["best"]), row["title"], ", ".join(row["tags"]))
    console.print(table)
    for problem in problems:
        warning(problem)


def kata_details(kata: Kata) -> None:
    from rich.markup import escape

    console = _console()
    console.print(f"[bold]{escape(kata.title)}[/]  [dim]({kata.id}, {kata.difficulty}; {', '.join(kata.tags)})[/]")
    console.print(escape(kata.description))
    if kata.equation:
        console.print(f"\n  [cyan]{escape(kata.equation)}[/]")
    for name, spec in kata.backends.items():
        console.print(f"\n[bold]{name}[/]")
        for signature in spec.entry_points:
            if "." in signature.split("(", 1)[0]:  # a method: shown under its class
                console.print(f"      .{escape(signature.split('.', 1)[1])}")
                continue
            keyword = "class" if signature[:1].isupper() else "def"
            console.print(f"  {keyword} {escape(signature)}")
        if spec.forbidden:
            console.print(f"  [dim]not allowed: {escape(', '.join(spec.forbidden))}[/]")
    console.print(f"\n[dim]start it: mlkata start {kata.id} --backend numpy|torch[/]")


def check_result(result: CheckResult) -> None:
    from rich.markup import escape

    console = _console()
    sym = _symbols()
    console.print(f"[bold]{escape(result.kata)}[/] ({result.backend}) {link(Path(result.attempt))}")
    if result.status is Status.NOT_STARTED:
        console.print(f"[yellow]NOT STARTED[/] {escape(result.note)} ({len(result.tests)} tests wait for it)")
        return
    for test in result.tests:
        if test.outcome is Outcome.PASSED:
            console.print(f"  [green]{sym['pass']}[/] {escape(test.name)}")
        elif test.outcome is Outcome.SKIPPED:
            console.print(f"  [dim]{sym['skip']} {escape(test.name)}: skipped ({escape(test.message)})[/]")
        else:
            label = "" if test.outcome is Outcome.FAILED else f" [bold]{test.outcome.value.upper()}[/]"
            console.print(f"  [red]{sym['fail']}[/] {escape(test.name)}{label}")
            for line in (test.message or "failed").splitlines()[:12]:
                console.print(f"      [red]{escape(line)}[/]")
    if result.output_tail.strip() and not result.ok:
        console.print("[dim]output (last lines):[/]")
        for line in result.output_tail.rstrip().splitlines()[-15:]:
            console.print(f"  [dim]{escape(line)}[/]")
    if result.note:
        console.print(f"[yellow]{escape(result.note)}[/]")
    summary = f"{result.passed} passed, {result.failed} failed"
    if result.errors:
        summary += f", {result.errors} errors"
    colour = "green" if result.ok else "red"
    word = "PASSED" if result.ok else result.status.value.upper()
    console.print(f"[bold {colour}]{word}[/] {summary} in {result.duration_s:.1f}s")
    if result.status is Status.PASSED:
        console.print(f"[dim]see the reference with: mlkata reveal {result.kata} --backend {result.backend}[/]")


def source(path: Path, title: str) -> None:
    from rich.syntax import Syntax

    console = _console()
    console.rule(title)
    console.print(Syntax(path.read_text(encoding="utf-8"), "python", line_numbers=True, word_wrap=True))


def hint(kata_id: str, number: int, total: int, text: str) -> None:
    from rich.markup import escape

    _console().print(f"[bold]hint {number}/{total}[/] for {kata_id}: {escape(text)}")
