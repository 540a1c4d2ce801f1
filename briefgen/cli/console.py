"""How commands talk to the user: diagnostics, progress, summaries.

A progress bar with counts on a terminal; plain lines when output is not a
terminal (logs, CI), so that nothing is lost in a pipe.
"""

from __future__ import annotations

import posixpath
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
        """Errors always; warnings unless quiet (or `all`, when they are why a command failed).

        Warnings of the same kind about several entries make one line (each
        its own with `-v`, or when they are why a command failed).
        """
        ordered = sort_diagnostics(diagnostics)
        grouped = {} if all or self.verbosity > 0 else group_warnings(ordered)
        shown: set[str] = set()
        for diagnostic in ordered:
            if not (diagnostic.is_error or all or self.verbosity >= 0):
                continue
            line = grouped.get(diagnostic, str(diagnostic))
            if line not in shown:
                shown.add(line)
                self.echo(line)

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


# warning code -> how several of them are told: "4 entries have no source URL"
GROUPS = {
    "no-source-url": "have no source URL",
    "no-outlet": "name no outlet",
}
GROUP_NAMES = 3  # files named on a grouped line; -v lists them all


def group_warnings(diagnostics: list[Diagnostic]) -> dict[Diagnostic, str]:
    """The one line that stands for each warning of a kind found in several files."""
    kinds: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if not diagnostic.is_error and diagnostic.code in GROUPS:
            kinds.setdefault(diagnostic.code, []).append(diagnostic)
    lines: dict[Diagnostic, str] = {}
    for code, members in kinds.items():
        paths = sorted({d.path for d in members})
        if len(paths) < 2:
            continue
        try:
            folder = posixpath.commonpath([posixpath.dirname(p) or "." for p in paths])
        except ValueError:  # absolute and relative paths mixed
            folder = ""
        names = ", ".join(_short(posixpath.relpath(p, folder)) for p in paths[:GROUP_NAMES])
        more = len(paths) - GROUP_NAMES
        names += f" and {more} more" if more > 0 else ""
        told = f"warning: {len(paths)} entries {GROUPS[code]}: {names} (-v: one line each)"
        line = f"{folder}/: {told}" if folder not in ("", ".") else told
        lines.update((d, line) for d in members)
    return lines


def _short(name: str, limit: int = 32) -> str:
    """A file name cut in its middle part: `13-kim-s-aligne-sur-la-guerre….md`."""
    stem, suffix = posixpath.splitext(name)
    return name if len(name) <= limit else stem[: limit - len(suffix) - 1] + "…" + suffix


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
