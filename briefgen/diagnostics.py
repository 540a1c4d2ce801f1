"""Diagnostics: one problem in the user's input, and its one-line text form.

This module is a leaf: it knows nothing of the rest of briefgen. Library code
returns diagnostics (or raises `BriefgenError` carrying them); only the CLI
prints them.
"""

from __future__ import annotations

import enum
import re
import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUOTE_LIMIT = 40  # characters of a user value shown in a message
CLIP_LIMIT = 160  # characters of a free text (a parser's complaint, a key) shown in a message
ELLIPSIS = "…"


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` on one line, its control characters written as `\\xNN`: a file name or a
    parser's complaint can neither break the line nor send escape codes to a terminal."""
    return CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


def clip(text: str, limit: int = CLIP_LIMIT) -> str:
    """`text` cut to `limit` characters, with `…` when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """A user value as a message shows it: quoted like `repr`, at most about `limit` characters.

    The work done is bounded whatever the value: a string is cut before `repr` sees it, and a
    list or mapping (perhaps built from YAML aliases that share their parts) is named, never
    walked; anything else goes through `reprlib`, a few items deep.
    """
    if isinstance(value, str):
        shown = repr(value[:limit])
        if len(value) > limit:
            shown = shown[:-1] + ELLIPSIS + shown[-1]
        return shown
    if isinstance(value, list | tuple | dict | set):  # its kind says more than its items
        return "a mapping" if isinstance(value, dict) else "a list"
    shortener = reprlib.Repr()
    shortener.maxlevel = 2
    shortener.maxlist = shortener.maxdict = shortener.maxset = shortener.maxtuple = 4
    shortener.maxstring = shortener.maxother = limit
    shortener.maxlong = limit
    try:
        shown = shortener.repr(value)
    except ValueError:  # an integer too long to turn into digits
        shown = f"<{type(value).__name__}>"
    return clip(shown, limit + 2)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in a file: `path:line:col: severity: message`.

    `line` and `col` are 1-based; 0 means unknown. `code` is a short stable
    identifier (`date`, `unknown-key`, `template`…) that tests and tools may
    match on; `field` names the front-matter or config key when there is one.
    """

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = self.path
        if where and self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        prefix = f"{clip(self.field, QUOTE_LIMIT)}: " if self.field else ""
        text = f"{self.severity.value}: {prefix}{self.message}"
        return visible(f"{where}: {text}" if where else text)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(
    path: str | Path, line: int, message: str, *, field: str = "", code: str = "", col: int = 0
) -> Diagnostic:
    return Diagnostic(
        str(path), line, col, Severity.ERROR, code or field or "error", message, field
    )


def warning(
    path: str | Path, line: int, message: str, *, field: str = "", code: str = "", col: int = 0
) -> Diagnostic:
    return Diagnostic(
        str(path), line, col, Severity.WARNING, code or field or "warning", message, field
    )


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """True when any diagnostic fails the run (warnings too under `strict`)."""
    return any(d.is_error or strict for d in diagnostics)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.col, d.message))


class BriefgenError(Exception):
    """A problem in the user's input that stops a command: never a bug.

    The CLI prints each diagnostic on its own line and exits with status 1.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic] | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [error("", 0, diagnostics)]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[BriefgenError], tuple[list[Diagnostic]]]:
        # keep the diagnostics whole when the error crosses from a worker process
        return (BriefgenError, (self.diagnostics,))
