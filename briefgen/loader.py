"""Walk `content/`, read every entry, and return them with every problem found.

Nothing is skipped silently: a file that cannot be read, decoded or
validated produces diagnostics naming the file, the line and the field, and
the walk goes on so that one build reports every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from briefgen import fields
from briefgen.config import Config, closest
from briefgen.diagnostics import Diagnostic, error, quote, warning
from briefgen.frontmatter import YamlMapping, split
from briefgen.model import Entry
from briefgen.parallel import ordered_map
from briefgen.slugs import is_reserved, slugify
from briefgen.sources import project_files

KEYS = (
    "title",
    "date",
    "updated",
    "source",
    "author",
    "lang",
    "topics",
    "tags",
    "summary",
    "story",
    "draft",
    "slug",
)
SOURCE_KEYS = ("name", "url")
DATE_PREFIX = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|\d{1,2})-(?=.)")
Progress = Callable[[int, int], None]


STORY_NOTES = "stories"  # content/stories/SLUG.md: the editor's page of a story


def is_entry(relative: str) -> bool:
    """A file of `content/` that is an entry: Markdown, not hidden, not a README.

    `content/stories/` holds the editors' pages of stories, not entries.
    """
    name = relative.rsplit("/", 1)[-1]
    return (
        name.endswith(".md")
        and name.lower() != "readme.md"
        and not relative.startswith(STORY_NOTES + "/")
        and not any(part.startswith(".") for part in relative.split("/"))
    )


def content_files(config: Config) -> tuple[list[Path], list[Diagnostic]]:
    """Every entry file of `content/`, in a stable order, and the links and folders skipped."""
    found, problems = project_files(config.content_path, config.root)
    return [path for relative, path in found if is_entry(relative)], problems


def load_entries(
    config: Config, *, drafts: bool = False, progress: Progress | None = None
) -> tuple[list[Entry], list[Diagnostic]]:
    """All entries of the project (drafts only when asked) and every diagnostic."""
    files, diagnostics = content_files(config)
    entries: list[Entry] = []
    loaded = ordered_map(lambda path: load_entry(path, config), files, progress)
    for entry, problems in loaded:
        diagnostics.extend(problems)
        if entry is not None and (drafts or not entry.draft):
            entries.append(entry)
    diagnostics.extend(duplicate_slugs(entries))
    return entries, diagnostics


def duplicate_slugs(entries: Iterable[Entry]) -> list[Diagnostic]:
    seen: dict[str, Entry] = {}
    problems: list[Diagnostic] = []
    for entry in sorted(entries, key=lambda e: e.path):
        first = seen.setdefault(entry.slug, entry)
        if first is not entry:
            problems.append(
                error(
                    entry.path,
                    1,
                    f"the slug {quote(entry.slug)} is already used by {first.path} "
                    "(expected a unique `slug:` or file name)",
                    field="slug",
                )
            )
    return problems


def load_entry(path: Path, config: Config) -> tuple[Entry | None, list[Diagnostic]]:
    """Read and validate one content file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        shown = config.shown(path)
        return None, [error(shown, 0, f"cannot read the file: {exc.strerror}", code="read")]
    return parse_entry(raw, path, config)


def parse_entry(raw: bytes, path: Path, config: Config) -> tuple[Entry | None, list[Diagnostic]]:
    """Decode, split and validate the bytes of one content file. Pure: no I/O."""
    shown = config.shown(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            error(
                shown,
                line,
                "not valid UTF-8 text (expected a UTF-8 Markdown file)",
                code="encoding",
            )
        ]
    document, diagnostics = split(text, shown)
    if document is None:
        return None, diagnostics
    entry, problems = _validate(document.meta, document.body, shown, path, config)
    diagnostics += problems
    return (None if any(d.is_error for d in diagnostics) else entry), diagnostics


# codes of the warnings the CLI groups into one line ("3 entries have no source URL")
NO_SOURCE_URL = "no-source-url"
NO_OUTLET = "no-outlet"


class _Checker:
    """Collects the problems of one file while its fields are converted."""

    def __init__(self, shown: str, meta: YamlMapping) -> None:
        self.shown = shown
        self.meta = meta
        self.problems: list[Diagnostic] = []

    def take(self, key: str, result: tuple[Any, str], *, severity: str = "error") -> Any:
        value, problem = result
        if problem:
            make = error if severity == "error" else warning
            line = self.meta.line(key) or 1
            self.problems.append(make(self.shown, line, problem, field=key))
        return value

    def warn(self, key: str, message: str, line: int | None = None, code: str = "") -> None:
        where = self.meta.line(key) if line is None else line
        self.problems.append(warning(self.shown, where, message, field=key, code=code))


def _validate(
    meta: YamlMapping, body: str, shown: str, path: Path, config: Config
) -> tuple[Entry | None, list[Diagnostic]]:
    data = meta.data
    check = _Checker(shown, meta)
    for key in data:
        if str(key) not in KEYS:
            check.problems.append(
                error(
                    shown,
                    meta.line(str(key)),
                    f"unknown key{closest(str(key), KEYS)}",
                    field=str(key),
                    code="unknown-key",
                )
            )
    title = check.take("title", fields.text(data.get("title"), required=True))
    if data.get("date") in (None, "") and data.get("draft") is True:
        # an imported article whose date was not found: kept out of the site, not an error
        check.warn(
            "date",
            "missing: the draft stays out of the site until it has a date "
            "(expected YYYY-MM-DD or an ISO 8601 date-time)",
            1,
        )
        moment = None
    else:
        moment = check.take("date", fields.when(data.get("date"), config.zone))
    updated = None  # optional, written by import: the last modification
    if data.get("updated") is not None:
        updated = check.take("updated", fields.when(data.get("updated"), config.zone))
    if updated is not None and moment is not None and updated[0] < moment[0]:
        shown_date = _shown_when(moment)
        check.warn("updated", f"before the entry's date (expected {shown_date} or later)")
    source = data.get("source")
    source_name, source_url = "", ""
    if isinstance(source, dict):
        for key in source:
            if key not in SOURCE_KEYS:
                check.problems.append(
                    error(
                        shown,
                        meta.line(f"source.{key}"),
                        "unknown key"
                        + (closest(str(key), SOURCE_KEYS) or " (expected `name` or `url`)"),
                        field=f"source.{key}",
                        code="unknown-key",
                    )
                )
        source_name = check.take("source.name", fields.text(source.get("name")))
        source_url = check.take("source.url", fields.http_url(source.get("url")))
    elif source is not None:
        check.take("source", ("", "expected a mapping with `name` and `url`"))
    if not source_name:
        where = meta.line("source") or 1
        check.warn("source.name", "missing (expected the outlet's name)", where, NO_OUTLET)
    if not source_url and not any(p.field == "source.url" for p in check.problems):
        where = meta.line("source") or 1
        message = "missing (expected the original article's http(s) URL)"
        check.warn("source.url", message, where, NO_SOURCE_URL)
    authors = check.take("author", fields.string_list(data.get("author")))
    lang = check.take("lang", fields.language(data.get("lang"), config.language))
    topics = check.take("topics", fields.string_list(data.get("topics")))
    tags = check.take("tags", fields.string_list(data.get("tags")))
    summary = check.take("summary", fields.text(data.get("summary")))
    story = check.take("story", fields.slug(data.get("story")))
    draft = check.take("draft", fields.boolean(data.get("draft")))
    slug = check.take("slug", fields.slug(data.get("slug")))
    if not slug:
        slug = slugify(DATE_PREFIX.sub("", path.stem)) or slugify(title) or "entry"
        slug = f"{slug}-entry" if is_reserved(slug) else slug  # `con/` breaks Windows
    if draft:  # a draft is work in progress: only what stops it is reported
        check.problems = [p for p in check.problems if p.is_error]
    if any(p.is_error for p in check.problems) or moment is None:
        return None, check.problems
    entry = Entry(
        path=shown,
        slug=slug,
        title=title,
        date=moment[0],
        has_time=moment[1],
        day=fields.local_day(moment[0] if moment[1] else moment[0].date(), config.zone),
        source_name=source_name,
        source_url=source_url,
        authors=authors,
        lang=lang,
        topics=topics,
        tags=tags,
        summary=summary,
        story=story,
        draft=draft,
        body=body,
        updated=updated[0] if updated else None,
        updated_has_time=updated[1] if updated else False,
    )
    return entry, check.problems


def _shown_when(moment: tuple[Any, bool]) -> str:
    """A validated `date` as a message shows it: ISO 8601, the date alone without a time."""
    value, has_time = moment
    return str(value.isoformat() if has_time else value.date().isoformat())
