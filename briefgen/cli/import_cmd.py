"""`briefgen import PATH…`: articles (text, HTML, feeds, URLs) become entries."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

import click

from briefgen.cli.console import Console, ProgressReporter, noise_options
from briefgen.config import load_project
from briefgen.diagnostics import BriefgenError, quote, visible
from briefgen.ingest.dates import parse_user_date
from briefgen.ingest.importer import (
    ImportOptions,
    ImportReport,
    Row,
    clean_topics,
    run_import,
)
from briefgen.ingest.lang import normalize_tag
from briefgen.ingest.retag import retag_entries
from briefgen.ingest.store import is_http_url

COLUMNS = ("entry", "date", "outlet", "lang", "words", "missing")
TABLE_WIDTH = 100  # columns: the table fits a terminal of this width
OUTLET_WIDTH = 18
MISSING_WIDTH = 18


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and parse_user_date(value, UTC) is None:
        raise click.BadParameter(
            f"expected YYYY-MM-DD or an ISO 8601 date-time such as 2023-09-14T16:50:56, "
            f"got {quote(value)}"
        )
    return value


def _check_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not is_http_url(value):
        raise click.BadParameter(f"expected an http(s) URL, got {quote(value)}")
    return value


def _check_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A BCP 47 tag, as written in entries: `en_gb` -> `en-GB`."""
    if value is None:
        return None
    tag = normalize_tag(value)
    if not tag:
        expected = "expected a language tag such as 'fr' or 'en-GB'"
        raise click.BadParameter(f"{expected}, got {quote(value)}")
    return tag


@click.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("--topic", "topics", multiple=True, help="Topic of every entry (repeatable).")
@click.option("--source-url", callback=_check_url, help="URL of the original article.")
@click.option("--date", "date_text", callback=_check_date, help="Date: YYYY-MM-DD or ISO 8601.")
@click.option("--lang", callback=_check_lang, help="Language tag of the articles (fr, en…).")
@click.option("--dry-run", is_flag=True, help="Write nothing; show what would be written.")
@click.option(
    "--update",
    is_flag=True,
    help="Re-import articles already imported, keeping the fields you edited.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.01),
    default=10.0,
    show_default=True,
    help="Seconds allowed to fetch a URL, redirects included (a total deadline).",
)
@noise_options
@click.pass_obj
def import_command(
    console: Console,
    paths: Sequence[str],
    topics: Sequence[str],
    source_url: str | None,
    date_text: str | None,
    lang: str | None,
    dry_run: bool,
    update: bool,
    timeout: float,
) -> None:
    """Turn articles into entries under content/.

    PATH is a text file copied from a web page, an HTML page, an RSS or Atom
    feed, a folder of those, an http(s) URL, or - for standard input.
    """
    try:
        config = load_project(Path.cwd())
    except BriefgenError as err:
        console.fail(err)
    options = ImportOptions(
        topics=clean_topics(topics),
        source_url=source_url or "",
        date=parse_user_date(date_text, config.zone) if date_text else None,
        lang=lang or "",
        dry_run=dry_run,
        update=update,
        timeout=timeout,
    )
    progress = ProgressReporter(console, "Importing")
    report = run_import(config, paths, options, progress=progress, stdin=sys.stdin.buffer)
    _print_report(console, report, dry_run=dry_run)
    console.diagnostics(report.diagnostics)
    if report.failed:
        raise SystemExit(1)


def _print_report(console: Console, report: ImportReport, *, dry_run: bool) -> None:
    """The table, the hints and notes, the summary; with `-q` only the problems (the
    hints of missing fields), each once."""
    quiet = console.verbosity < 0
    if report.rows and not quiet:
        console.result(format_table(report.rows))
    for row in report.rows:
        for hint in row.missing:
            console.result(hint)
        if quiet or row.status == "duplicate":
            continue  # the table says "duplicate of …": not said twice
        for note in row.notes:
            console.result(f"{row.path}: {note}")
    if dry_run and console.verbosity > 0:
        for path, text in report.texts.items():
            console.result(f"\n# {path}\n{text}")
    if not quiet:
        console.result(summary_line(report, dry_run=dry_run))


def format_table(rows: Sequence[Row], width: int = TABLE_WIDTH) -> str:
    """One line per entry, at most `width` columns: the entry's path (under content/)
    is cut in the middle when it must be; the title is in its slug."""
    cells = (
        [COLUMNS]
        + [
            (
                visible(_entry_cell(row)),  # no escape codes from a file name or a title
                visible(row.date[:10] or "-"),
                visible(_cut(row.outlet or "-", OUTLET_WIDTH)),
                visible(_cut(row.lang or "-", 5)),
                str(row.words),
                _cut(", ".join(_short_missing(row)) or "-", MISSING_WIDTH),
            )
            for row in rows
        ]
    )
    widths = [max(len(line[index]) for line in cells) for index in range(len(COLUMNS))]
    widths[0] = min(widths[0], max(20, width - sum(widths[1:]) - 2 * (len(COLUMNS) - 1)))
    return "\n".join(
        "  ".join(
            _cut_middle(cell, size).ljust(size) for cell, size in zip(line, widths, strict=True)
        ).rstrip()
        for line in cells
    )


def _entry_cell(row: Row) -> str:
    path = row.path.split("/", 1)[1] if "/" in row.path else row.path  # under content/
    if row.status in ("duplicate", "updated", "unchanged"):
        return f"= {path} ({row.status})"
    return path


def _cut_middle(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep // 2] + "…" + text[len(text) - (keep - keep // 2) :]


def _short_missing(row: Row) -> list[str]:
    return [hint.split(" found", 1)[0].removeprefix("no ") for hint in row.missing]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_line(report: ImportReport, *, dry_run: bool) -> str:
    stored = sum(row.status in ("written", "would write") for row in report.rows)
    duplicates = sum(row.status == "duplicate" for row in report.rows)
    updated = sum(row.status == "updated" for row in report.rows)
    unchanged = sum(row.status == "unchanged" for row in report.rows)
    failed = len({d.path for d in report.diagnostics if d.is_error})
    noun = "entry" if stored == 1 else "entries"
    parts = [
        f"would write {stored} {noun} (dry run: nothing written)"
        if dry_run
        else f"{stored} {noun} written"
    ]
    if updated:
        parts.append(f"{updated} updated" + (" (dry run: nothing written)" if dry_run else ""))
    if unchanged:
        parts.append(f"{unchanged} unchanged")
    if duplicates:
        parts.append(f"{duplicates} already imported (nothing new; --update re-imports)")
    if failed:
        parts.append(f"{failed} failed")
    return ", ".join(parts)


@click.command("retag")
@click.option("--dry-run", is_flag=True, help="Write nothing; show what would change.")
@noise_options
@click.pass_obj
def retag_command(console: Console, dry_run: bool) -> None:
    """Apply the current topic, tag and outlet rules of briefgen.yaml to every entry.

    New matches are added; topics and tags an entry already has are kept.
    """
    try:
        config = load_project(Path.cwd())
    except BriefgenError as err:
        console.fail(err)
    report = retag_entries(config, dry_run=dry_run)
    for row in report.rows:
        parts = [f"topics: {', '.join(row.topics) or '-'}", f"tags: {', '.join(row.tags) or '-'}"]
        console.info(f"{row.path}: {'; '.join(parts)}; outlet: {row.outlet or '-'}")
    console.diagnostics(report.diagnostics)
    count = len(report.rows)
    noun = "entry" if count == 1 else "entries"
    verb = "would change" if dry_run else "changed"
    console.result(f"{count} {noun} {verb}")
    if report.failed:
        raise SystemExit(1)
