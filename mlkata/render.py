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
    header = ("id", "difficulty", "numpy", "torch", "best", "title", "tags")
    cells = [
        (
            row["id"],
            row["difficulty"],
            *(row["status"].get(b) or "n/a" for b in ("numpy", "torch")),
            _duration(row["best"]),
            row["title"],
            ", ".join(row["tags"]),
        )
        for row in rows
    ]
    if not sys.stdout.isatty():  # piped: plain aligned text, without paying for rich's import
        widths = [max(len(str(line[i])) for line in [header, *cells]) for i in range(len(header) - 1)]
        for line in [header, *cells]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)) + "  " + line[-1])
    else:
        from rich.table import Table

        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in header:
            table.add_column(column, no_wrap=column not in ("title", "tags"), overflow="fold", ratio=1 if column in ("title", "tags") else None)
        for line in cells:
            styled = [f"[{STATUS_STYLE.get(status, 'dim')}]{status}[/]" for status in line[2:4]]
            table.add_row(line[0], line[1], *styled, *line[4:])
        _console().print(table)
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
    previous = None
    for test in result.tests:
        if test.outcome is Outcome.PASSED:
            console.print(f"  [green]{sym['pass']}[/] {escape(test.name)}")
        elif test.outcome is Outcome.SKIPPED:
            console.print(f"  [dim]{sym['skip']} {escape(test.name)}: skipped ({escape(test.message)})[/]")
        elif test.outcome is not Outcome.NOT_RUN:
            label = "" if test.outcome is Outcome.FAILED else f" [bold]{test.outcome.value.upper()}[/]"
            same = test.message == previous
            console.print(f"  [red]{sym['fail']}[/] {escape(test.name)}{label}" + (" [dim](same as above)[/]" if same else ""))
            if not same:
                for line in (test.message or "failed").splitlines()[:12]:
                    console.print(f"      [red]{escape(line)}[/]")
            previous = test.message
    if result.not_run:
        console.print(f"  [dim]- {result.not_run} more tests not run: an earlier test stopped the check[/]")
    if result.output_tail.strip() and not result.ok:
        console.print("[dim]output (last lines):[/]")
        for line in result.output_tail.rstrip().splitlines()[-15:]:
            console.print(f"  [dim]{escape(line)}[/]")
    if result.note:
        console.print(f"[yellow]{escape(result.note)}[/]")
    summary = f"{result.passed} passed, {result.failed} failed"
    if result.errors:
        summary += f", {result.errors} errors"
    if result.not_run:
        summary += f", {result.not_run} not run"
    colour = "green" if result.ok else "red"
    word = "PASSED" if result.ok else result.status.value.upper()
    console.print(f"[bold {colour}]{word}[/] {summary} in {result.duration_s:.1f}s")
    if result.status is Status.PASSED:
        console.print(f"[dim]see the reference with: mlkata reveal {result.kata} --backend {result.backend}[/]")


def source(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    if not sys.stdout.isatty():  # piped or redirected: the plain file, ready to save as .py
        sys.stdout.write(text)
        return
    from rich.syntax import Syntax

    console = _console()
    console.rule(title)
    console.print(Syntax(text, "python", line_numbers=True, word_wrap=True))


def hint(kata_id: str, number: int, total: int, text: str) -> None:
    from rich.markup import escape

    _console().print(f"[bold]hint {number}/{total}[/] for {kata_id}: {escape(text)}")


def flush() -> None:
    """Push what was printed out now: a reader on a pipe (a test, a benchmark) sees each result at once."""
    sys.stdout.flush()
    sys.stderr.flush()


# -- stats ----------------------------------------------------------------------------------
def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled) if _fancy() else "#" * filled + "." * (width - filled)


def _fancy() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def stats(data) -> None:
    """data: mlkata.stats.Stats."""
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    console.print("[bold]passed per difficulty[/]")
    for level, counts in data.difficulty.items():
        console.print(f"  {level:<7} {_bar(counts['passed'], counts['total'])} {counts['passed']}/{counts['total']}")
    s = data.streak
    streak = f"{s.current} day{'s' if s.current != 1 else ''}"
    if s.current and not s.today:
        streak += " (practise today to keep it)"
    console.print(f"\n[bold]streak[/] {streak}; longest {s.longest}; {s.days} practice day{'s' if s.days != 1 else ''} in all")
    if not data.katas:
        console.print("\n[dim]no history yet: start one with 'mlkata start KATA' or 'mlkata session'[/]")
        return
    table = Table(box=None, header_style="bold", pad_edge=False, title_justify="left")
    for column in ("kata", "backend", "status", "attempts", "first pass", "best", "hints", "revealed"):
        table.add_column(column, no_wrap=True, justify="right" if column in ("attempts", "hints") else "left")
    for row in data.katas:
        status = row.status if not row.passed_after_reveal else "passed after reveal"
        style = STATUS_STYLE.get(row.status, "")
        table.add_row(
            row.kata, row.backend, f"[{style}]{status}[/]" if style else status, str(row.attempts),
            _duration(row.first_pass_s), _duration(row.best_s), str(row.hints), "yes" if row.revealed else "no",
        )  # fmt: skip
    console.print()
    console.print(table)
    if data.redo:
        console.print("\n[bold]most worth redoing[/]")
        for item in data.redo:
            console.print(f"  {escape(item.kata)} ({item.backend}): {escape(item.reason)}")
    if data.sessions:
        last = data.sessions[0]
        passed = sum(k["passed"] for k in last["katas"])
        console.print(
            f"\n[bold]sessions[/] {len(data.sessions)} recent; the last on {last['started'].replace('T', ' ')}: "
            f"{passed}/{len(last['katas'])} passed ({escape(last['end'])})"
        )


# -- reset and backups ----------------------------------------------------------------------
def backups(items, folder: Path) -> None:
    """items: mlkata.workspace.Backup, newest first."""
    from rich.table import Table

    console = _console()
    if not items:
        console.print(f"no backups in {link(folder)}", highlight=False)
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("name", "attempt", "taken", "size"):
        table.add_column(column, no_wrap=True)
    for b in items:
        try:
            size = f"{b.path.stat().st_size} B"
        except OSError:
            size = "?"
        table.add_row(b.name, b.original, b.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S"), size)
    console.print(table)
    console.print(f"[dim]in {link(folder)}; bring one back with: mlkata reset --restore NAME[/]")


# -- watch ----------------------------------------------------------------------------------
def watching(path: Path, mode: str) -> None:
    _console().print(f"watching {link(path)} ({mode}); save to re-check, Ctrl-C to stop")
    flush()


# -- sessions -------------------------------------------------------------------------------
def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


SESSION_STYLE = {"waiting": "dim", "new": "yellow", "failing": "red", "passed": "green"}


def _session_table(state):
    from rich.console import Group
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    if state is None:
        return Text("starting the session ...")
    left = state.left()
    colour = "red" if left < 60 else "yellow" if left < 300 else "green"
    mode = "interview, " if state.interview else ""
    head = f"[bold {colour}]{_clock(left)}[/] left  [dim]({mode}{state.backend}; {escape(str(state.folder))})[/]"
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("", "kata", "status", "time", "checks", "hints", "last check"):
        table.add_column(column, no_wrap=column != "last check", overflow="fold")
    for n, item in enumerate(state.items, 1):
        marker = "▶" if n - 1 == state.focus else " "
        status = "checking ..." if state.checking == item.kata.id else item.state
        took = _duration(item.time_to_pass) if item.time_to_pass is not None else "-"
        table.add_row(
            f"{marker}{n}", escape(item.kata.id), f"[{SESSION_STYLE.get(item.state, '')}]{status}[/]", took,
            str(item.checks), str(item.hints), escape(item.last or ("save the file to check it" if item.state == "new" else "")),
        )  # fmt: skip
    keys = ("q ends" if state.interview else "1-9 select, h hint, q end") if state.keys else "Ctrl-C ends"
    keys = f"[dim]save a file to check it; {keys}"
    return Group(Text.from_markup(head), table, Text.from_markup(keys + f"; {escape(state.mode)}[/]"))


class _SessionDisplay:
    """Live countdown on a terminal; plain lines (flushed) when piped."""

    def __init__(self, get_state):
        self.get_state = get_state
        self.console = _console()
        self.live = None

    def __enter__(self):
        if self.console.is_terminal:
            from rich.live import Live

            self.live = Live(console=self.console, get_renderable=lambda: _session_table(self.get_state()), refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc):
        if self.live is not None:
            self.live.__exit__(*exc)
        flush()

    def say(self, text: str) -> None:
        from rich.markup import escape

        self.console.print(escape(text))
        flush()

    def refresh(self) -> None:
        if self.live is not None:
            self.live.refresh()

    def started(self, state) -> None:
        from rich.markup import escape

        n = len(state.items)
        kind = "interview session" if state.interview else "session"
        self.console.print(f"[bold]{kind}[/]: {n} kata{'s' if n != 1 else ''} in {_clock(state.left())} ({state.backend}); your files: {link(state.folder)}")
        for i, item in enumerate(state.items, 1):
            where = link(item.path) if item.state != "waiting" else "[dim](comes when the one before passes)[/]"
            self.console.print(f"  {i}. {escape(item.kata.id)} [dim]({item.kata.difficulty})[/] {where}")
        if not self.live:
            how = "h hint, q end" if not state.interview else "q ends"
            keys = f"keys: {how}" if state.keys else "no keys read: it ends when the time is up, all pass, or on Ctrl-C"
            self.console.print(f"re-checking on save ({escape(state.mode)}); {keys}")
        flush()

    def opened(self, item) -> None:
        self.console.print(f"next: {item.kata.id} {link(item.path)}")
        flush()

    def checked(self, item, result) -> None:
        from rich.markup import escape

        colour = {"passed": "green", "failing": "red"}.get(item.state, "yellow")
        took = f"; solved in {_duration(item.time_to_pass)}" if result.ok and item.time_to_pass is not None else ""
        self.console.print(f"[{colour}]{escape(item.kata.id)}[/] ({item.backend}) check {item.checks}: {escape(item.last)}{took}")
        flush()

    def hint(self, item, number: int, total: int, text: str) -> None:
        from rich.markup import escape

        self.console.print(f"[bold]hint {number}/{total}[/] for {escape(item.kata.id)}: {escape(text)}")
        flush()


def session_display(get_state):
    return _SessionDisplay(get_state)


def session_summary(state, records) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    reasons = {"time up": "time is up", "all passed": "all passed", "quit": "ended with q", "interrupted": "interrupted", "terminated": "terminated"}
    passed = sum(r.passed for r in records)
    console.print(
        f"\n[bold]session over[/] ({reasons.get(state.end_reason, state.end_reason)}): {passed} of {len(records)} passed in {_duration(state.elapsed())}"
    )
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("kata", "backend", "result", "time to pass", "checks", "hints"):
        table.add_column(column, no_wrap=True)
    for r in records:
        result = "[green]passed[/]" if r.passed else ("[red]not passed[/]" if r.reached else "[dim]not reached[/]")
        table.add_row(escape(r.kata), r.backend, result, _duration(r.time_to_pass_s), str(r.checks), str(r.hints))
    console.print(table)
    console.print(f"saved to your history (mlkata stats); your files stay in {link(state.folder)}")
    flush()
