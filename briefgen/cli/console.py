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
    # a progress bar is drawn on the current line: end it before printing anything else
    mid_line: bool = False

    @property
    def is_tty(self) -> bool:
        return self.stream.isatty()

    def echo(self, message: str) -> None:
        """One line on the message stream, after any progress bar in the way."""
        if self.mid_line:
            self.stream.write("\n")
            self.mid_line = False
        click.echo(message, file=self.stream)

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            self.echo(message)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            self.echo(message)

    def result(self, message: str) -> None:
        """Output that is the point of the command (tables, listings): stdout."""
        click.echo(message)

    def diagnostics(self, diagnostics: Iterable[Diagnostic], *, all: bool = False) -> None:
        """Errors always; warnings unless quiet (or `all`, when they are why a command failed)."""
        for diagnostic in sort_diagnostics(diagnostics):
            if diagnostic.is_error or all or self.verbosity >= 0:
                self.echo(str(diagnostic))

    @contextmanager
    def progress(self, label: str) -> Iterator[ProgressReporter]:
        """A progress reporter for a piece of work; the line is ended when it is done."""
        try:
            yield ProgressReporter(self, label)
        finally:
            if self.mid_line:
                self.stream.write("\n")
                self.mid_line = False

    def fail(self, error: BriefgenError, summary: str = "") -> NoReturn:
        """Print every diagnostic of the error (and a summary line) and exit with status 1."""
        self.diagnostics(error.diagnostics, all=True)
        if summary:
            self.echo(summary)
        raise SystemExit(1)


class ProgressReporter:
    """A callable `(done, total)` that draws a bar on a TTY or prints milestones."""

    def __init__(self, console: Console, label: str) -> None:
        self.console = console
        self.label = label
        self._started = time.monotonic()
        self._last_line = 0.0

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
            self.console.echo(f"{self.label}: {done}/{total}")
            self._last_line = now

    def _draw(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        self.console.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.console.mid_line = True
        if done >= total:
            self.console.stream.write("\n")
            self.console.mid_line = False
        self.console.stream.flush()


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
