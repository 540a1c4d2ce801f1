"""`Article`: what an importer found in one input, before it becomes an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

When = datetime | date  # `date` is also a field name below
WORD_RE = re.compile(r"\w+(?:[’'-]\w+)*")


@dataclass(frozen=True)
class Article:
    """One article, cleaned. Unknown fields are empty, never guessed.

    `missing` names the front-matter fields that could not be found
    (`date`, `source.name`, `source.url`, `author`); `notes` say where a
    found value came from when the user should check it.
    """

    title: str
    body_markdown: str
    date: datetime | date | None = None
    source_name: str = ""
    source_url: str = ""
    authors: tuple[str, ...] = ()
    lang: str = ""
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""
    updated: When | None = None  # last modified, when the page says and it differs
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        return len(WORD_RE.findall(self.body_markdown))


def missing_fields(
    *, date_value: object, source_name: str, source_url: str, authors: tuple[str, ...]
) -> tuple[str, ...]:
    """The names of the fields left empty, in front-matter order."""
    missing = []
    if date_value is None:
        missing.append("date")
    if not source_name:
        missing.append("source.name")
    if not source_url:
        missing.append("source.url")
    if not authors:
        missing.append("author")
    return tuple(missing)


class IngestError(Exception):
    """An input that cannot become an entry; the message is the reason, for the user."""
