"""How commands talk to the user: diagnostics, progress, summaries.

A progress bar with counts on a terminal; plain lines when output is not a
terminal (logs, CI), so that nothing is lost in a pipe.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TextIO

import click

from briefgen.diagnostics import BriefgenError, Diagnostic, sort_diagnostics


@dataclass
class Console:
    """Verbosity-aware output. 0 is normal, negative is quieter, positive is louder."""

    verbosity: int = 0
    stream: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def is_tty(self) -> bool:
        return self.stream.isatty()

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, file=self.stream)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            click.echo(message, file=self.stream)

    def result(self, message: str) -> None:
        """Output that is the point of the command (tables, listings): stdout."""
        click.echo(message)

    def diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in sort_diagnostics(diagnostics):
            if diagnostic.is_error or self.verbosity >= 0:
                click.echo(str(diagnostic), file=self.stream)

    def fail(self, error: BriefgenError) -> NoReturn:
        """Print the error's diagnostics and exit with status 1."""
        self.diagnostics(error.diagnostics)
        raise SystemExit(1)

    @contextmanager
    def progress(self, label: str) -> Iterator[ProgressReporter]:
        reporter = ProgressReporter(self, label)
        try:
            yield reporter
        finally:
            reporter.close()


class ProgressReporter:
    """A callable `(done, total)` that draws a bar on a TTY or prints milestones."""

    def __init__(self, console: Console, label: str) -> None:
        self.console = console
        self.label = label
        self._bar: object | None = None
        self._started = time.monotonic()
        self._last_line = 0.0
        self._closed = False

    def __call__(self, done: int, total: int) -> None:
        """Report `done` of `total`: a bar on a terminal, a line every few seconds otherwise.

        Plain lines start only once the work has taken a second, so that a
        small build prints its summary and nothing else.
        """
        if self.console.verbosity < 0 or total <= 0:
            return
        if self.console.is_tty:
            self._draw(done, total)
            return
        now = time.monotonic()
        if now - self._started < 1.0:
            return
        if done >= total or now - self._last_line >= 2.0:
            click.echo(f"{self.label}: {done}/{total}", file=self.console.stream)
            self._last_line = now

    def _draw(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        self.console.stream.write(f"\r{self.label} [{bar}] {done}/{total}{end}")
        self.console.stream.flush()
        self._bar = None if done >= total else bar

    def close(self) -> None:
        if self._bar is not None and not self._closed:
            self.console.stream.write("\n")
            self.console.stream.flush()
        self._closed = True


def noise_options(command: click.decorators.FC) -> click.decorators.FC:
    """`-q` and `-v` on a subcommand too (`briefgen build -q`), added to the group's."""

    def adjust(ctx: click.Context, _param: click.Parameter, value: int) -> int:
        if value and isinstance(ctx.obj, Console):
            ctx.obj.verbosity += value if _param.name == "verbose" else -value
        return value

    command = click.option(
        "-q", "--quiet", count=True, expose_value=False, callback=adjust, help="Print less."
    )(command)
    command = click.option(
        "-v", "--verbose", count=True, expose_value=False, callback=adjust, help="Print more."
    )(command)
    return command


def relative(path: Path) -> str:
    """A path as the user would type it from the current folder."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)
