"""Walk the inputs, turn each into articles, and write them as entries.

Never loses or clobbers anything: an article already in `content/` (same
source URL, or same body text) is reported and not written again, and a new
one never replaces a file (see `store`). An article without a date is
written as a draft, never with an invented date. A dry run writes nothing.
Nothing here prints: the result is an `ImportReport` of rows and diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from briefgen.config import Config
from briefgen.diagnostics import Diagnostic, error, quote, warning
from briefgen.frontmatter import FENCE
from briefgen.ingest.article import Article, IngestError, missing_fields
from briefgen.ingest.dates import DateValue
from briefgen.ingest.decode import DecodeError, decode
from briefgen.ingest.entry import body_hash, entry_path, format_date, render_entry
from briefgen.ingest.fetch import MAX_BYTES, TIMEOUT, describe_size, fetch
from briefgen.ingest.refresh import merge, record_line
from briefgen.ingest.rules import Rules, build_rules
from briefgen.ingest.store import (
    ContentIndex,
    free_name,
    import_lock,
    is_http_url,
    normalize_url,
    read_entry,
    replace_file,
    scan_content,
    write_new,
)
from briefgen.ingest.text import text_to_article

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text", *MARKDOWN_SUFFIXES)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".json")
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES
Progress = Callable[[int, int], None]
NOT_AN_ARTICLE_JSON = "not an article: JSON data (a JSON Feed needs its jsonfeed.org version)"
ALREADY_AN_ENTRY = "already a briefgen entry (front matter found): copy it into content/ instead"


@dataclass(frozen=True)
class ImportOptions:
    topics: tuple[str, ...] = ()
    source_url: str = ""
    date: DateValue | None = None
    lang: str = ""
    dry_run: bool = False
    update: bool = False  # re-import what is already there, keeping the user's edits
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Row:
    """One article of the summary table."""

    input: str
    status: str  # "written", "would write", "duplicate", "updated", "unchanged", "retagged"
    path: str  # of the entry, relative to the project root
    title: str
    date: str
    outlet: str
    lang: str
    words: int
    missing: tuple[str, ...] = ()  # one hint per field that could not be found
    notes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass
class ImportReport:
    rows: list[Row] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # path -> entry text (dry run too)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


@dataclass(frozen=True)
class Input:
    label: str  # what the user named: a path, a URL, "-"
    path: Path | None = None
    url: str = ""


def run_import(
    config: Config,
    inputs: Sequence[str],
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    cwd: Path | None = None,
) -> ImportReport:
    """Import every input; a failed input is a diagnostic, the others go on.

    A real import holds the project's import lock from the scan of content/ to
    the last write, so concurrent imports of one article write it once.
    """
    if options.dry_run:
        return _run(config, inputs, options, progress, stdin, cwd)
    try:
        with import_lock(config):
            return _run(config, inputs, options, progress, stdin, cwd)
    except OSError as exc:
        report = ImportReport()
        message = f"cannot lock the project for the import: {exc.strerror or exc}"
        report.diagnostics.append(error(str(config.root), 0, message, code="import"))
        return report


def _run(
    config: Config,
    inputs: Sequence[str],
    options: ImportOptions,
    progress: Progress | None,
    stdin: BinaryIO | None,
    cwd: Path | None,
) -> ImportReport:
    report = ImportReport()
    rules = rules_for(config)
    index = scan_content(config)
    base = cwd or Path.cwd()
    sources = list(expand_inputs(inputs, base, report.diagnostics))
    for done, source in enumerate(sources, start=1):
        warnings: list[str] = []
        try:
            articles = read_articles(source, config, rules.for_one_file(), options, stdin, warnings)
        except IngestError as exc:
            report.diagnostics.append(error(source.label, 0, str(exc), code="import"))
        else:
            for article in articles:
                article = apply_options(drop_bad_source_url(article), options, rules)
                _store(article, source, config, options, index, report)
        report.diagnostics.extend(
            warning(source.label, 0, text, code="import") for text in warnings
        )
        if progress is not None:
            progress(done, len(sources))
    return report


def rules_for(config: Config) -> Rules:
    rules = config.import_rules
    return build_rules(
        boilerplate=rules.boilerplate,
        topics=rules.topics,
        tags=rules.tags,
        sources=rules.sources,
    )


def expand_inputs(
    inputs: Sequence[str], base: Path, diagnostics: list[Diagnostic]
) -> Iterator[Input]:
    for name in inputs:
        if name == "-":
            yield Input("<stdin>")
        elif name.startswith(("http://", "https://")):
            yield Input(name, url=name)
        else:
            path = base / name
            if path.is_dir():
                yield from _folder(name, path, diagnostics)
            elif path.is_file():
                yield Input(name, path=path)
            else:
                diagnostics.append(error(name, 0, "no such file or folder", code="import"))


def _folder(name: str, folder: Path, diagnostics: list[Diagnostic]) -> Iterator[Input]:
    found = False
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        label = str(Path(name) / relative)
        if path.suffix.lower() in SUPPORTED:
            found = True
            yield Input(label, path=path)
        else:
            diagnostics.append(
                warning(
                    label,
                    0,
                    f"skipped: not a text, HTML or feed file ({', '.join(SUPPORTED)})",
                    code="import",
                )
            )
    if not found:
        diagnostics.append(
            error(name, 0, "no text, HTML or feed file in this folder", code="import")
        )


def read_articles(
    source: Input,
    config: Config,
    rules: Rules,
    options: ImportOptions,
    stdin: BinaryIO | None,
    warnings: list[str],
) -> list[Article]:
    """The bytes of one input -> its articles (one, or one per feed item)."""
    content_type = ""
    url = source.url
    if source.url:
        fetched = fetch(source.url, timeout=options.timeout, max_bytes=options.max_bytes)
        data, content_type, url = fetched.data, fetched.content_type, fetched.url
    elif source.path is not None:
        data = _read_file(source.path, options.max_bytes)
    else:
        data = stdin.read(options.max_bytes + 1) if stdin is not None else b""
        if len(data) > options.max_bytes:
            raise IngestError(f"input too large (the limit is {describe_size(options.max_bytes)})")
    if not data.strip():
        raise IngestError("empty file (expected the text of an article)")
    kind = sniff_kind(source.path.suffix.lower() if source.path else "", content_type, data)
    if kind == "json":
        raise IngestError(NOT_AN_ARTICLE_JSON)
    if kind == "feed":
        from briefgen.ingest.feed import feed_to_articles

        articles, skipped = feed_to_articles(data, rules, config.zone, default_lang=config.language)
        warnings.extend(skipped)
        return articles
    try:
        text, _encoding = decode(data)
    except DecodeError as exc:
        raise IngestError(str(exc)) from exc
    if not text.strip():
        raise IngestError("empty file (expected the text of an article)")
    is_markdown = source.path is not None and source.path.suffix.lower() in MARKDOWN_SUFFIXES
    if is_markdown and has_front_matter(text):
        raise IngestError(ALREADY_AN_ENTRY)
    if kind == "html":
        from briefgen.ingest.html import html_to_article

        return [html_to_article(text, rules, config.zone, url=url, default_lang=config.language)]
    article = text_to_article(text, rules, config.zone, default_lang=config.language)
    if not article.body_markdown.strip():
        raise IngestError("no article text found (only a title and site furniture)")
    if url and not article.source_url:
        article = with_source_url(article, url, rules)
    return [article]


def has_front_matter(text: str) -> bool:
    """A `---` first line and a closing `---` (or `...`) line: a Markdown file's front matter."""
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != FENCE:
        return False
    return any(line.rstrip() in (FENCE, "...") for line in lines[1:])


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                f"file too large ({size / (1024 * 1024):.1f} MB; the limit is "
                f"{describe_size(max_bytes)})"
            )
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc


def sniff_kind(suffix: str, content_type: str, data: bytes) -> str:
    """ "feed", "html" or "text", from the content first, then the name or media type."""
    from briefgen.ingest.feed import is_json_feed

    if is_json_feed(data):
        return "feed"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "json"
    is_xml = head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    if is_xml and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:1024]:
        return "html"
    if suffix in HTML_SUFFIXES or "html" in content_type:
        return "html"
    if suffix in FEED_SUFFIXES or content_type.endswith(("rss+xml", "atom+xml", "/xml")):
        return "feed"
    return "text"


def apply_options(article: Article, options: ImportOptions, rules: Rules) -> Article:
    """`--date`, `--source-url`, `--topic`, `--lang` fill or override the found fields."""
    if options.source_url:
        article = with_source_url(article, options.source_url, rules)
    topics = clean_topics(options.topics)
    if topics:
        article = replace(article, topics=topics)
    if options.lang:
        article = replace(article, lang=options.lang)
    if options.date is not None:
        article = recount_missing(replace(article, date=options.date))
    return article


def drop_bad_source_url(article: Article) -> Article:
    """A source URL found in the input that is not a usable http(s) URL is not written."""
    if not article.source_url or is_http_url(article.source_url):
        return article
    note = f"source URL left out: not a valid http(s) URL ({quote(article.source_url)})"
    return recount_missing(replace(article, source_url="", notes=(*article.notes, note)))


def with_source_url(article: Article, url: str, rules: Rules) -> Article:
    """`source.url` set to `url` (an option, or where the input was fetched): the
    outlet looked up from its host when none was found, the gaps counted again."""
    name = article.source_name or rules.outlet_for(url)
    return recount_missing(replace(article, source_url=url, source_name=name))


def recount_missing(article: Article) -> Article:
    return replace(
        article,
        missing=missing_fields(
            date_value=article.date,
            source_name=article.source_name,
            source_url=article.source_url,
            authors=article.authors,
        ),
    )


def clean_topics(topics: Sequence[str]) -> tuple[str, ...]:
    """`--topic` values without surrounding spaces; empty and repeated ones left out."""
    return tuple(dict.fromkeys(topic.strip() for topic in topics if topic.strip()))


def _store(
    article: Article,
    source: Input,
    config: Config,
    options: ImportOptions,
    index: ContentIndex,
    report: ImportReport,
) -> None:
    digest = body_hash(article.body_markdown)
    url_key = normalize_url(article.source_url) if article.source_url else ""
    existing, reason = "", ""
    if url_key and url_key in index.urls:
        existing, reason = index.urls[url_key], "same source URL"
    elif article.body_markdown.strip() and digest in index.hashes:
        existing, reason = index.hashes[digest], "same text"
    by_url = reason == "same source URL"
    if existing and (by_url or options.update) and _refreshes(options, config, existing, article):
        _refresh(article, source, config, options, existing, report)
        return
    if existing:
        report.rows.append(
            report_row(
                source,
                article,
                "duplicate",
                existing,
                notes=(f"already imported as {existing} ({reason})",),
            )
        )
        return
    content_dir = config.content_path.relative_to(config.root).as_posix()
    relative = free_name(f"{content_dir}/{entry_path(article, config.zone)}", index, config.root)
    # never an invented date: without one the entry is a draft, left out of builds
    text = render_entry(
        article, draft=True if article.date is None else None, record=record_line(article)
    )
    if not options.dry_run:
        try:
            relative = write_new(config.root, relative, text, index)
        except OSError as exc:
            report.diagnostics.append(
                error(
                    source.label,
                    0,
                    f"cannot write {relative}: {exc.strerror or exc}",
                    code="import",
                )
            )
            return
    index.taken.add(relative)
    if article.body_markdown.strip():  # link entries share an empty body, not a text
        index.hashes[digest] = relative
    if url_key:
        index.urls[url_key] = relative
    report.texts[relative] = text
    status = "would write" if options.dry_run else "written"
    report.rows.append(report_row(source, article, status, relative))


def _refreshes(options: ImportOptions, config: Config, existing: str, article: Article) -> bool:
    """--update, or a full article arriving where a link entry (a feed stub) is."""
    if options.update:
        return True
    if not article.body_markdown.strip():
        return False
    found = read_entry(config.root / existing, config)
    return found is not None and not found[1].body_markdown.strip()


def _refresh(
    article: Article,
    source: Input,
    config: Config,
    options: ImportOptions,
    existing: str,
    report: ImportReport,
) -> None:
    found = read_entry(config.root / existing, config)
    if found is None:
        report.diagnostics.append(
            error(existing, 0, "cannot update: not a readable entry", code="import")
        )
        return
    old_text, old, extra = found
    merged, kept = merge(old, extra.record, article)
    draft = extra.draft
    if draft is True and old.date is None and merged.date is not None:
        draft = None  # the import made it a draft for want of a date: it has one now
    text = render_entry(
        merged, story=extra.story, draft=draft, slug=extra.slug, record=record_line(article)
    )
    status = "unchanged" if text == old_text else "updated"
    if status == "updated" and not options.dry_run:
        try:
            replace_file(config.root / existing, text)
        except OSError as exc:
            message = f"cannot update {existing}: {exc.strerror or exc}"
            report.diagnostics.append(error(source.label, 0, message, code="import"))
            return
    report.texts[existing] = text
    notes = (f"kept your edits of {', '.join(kept)}",) if kept else ()
    if not old.body_markdown.strip() and merged.body_markdown.strip():
        notes = ("the full article replaces the link entry", *notes)
    report.rows.append(report_row(source, merged, status, existing, notes=notes))


def report_row(
    source: Input, article: Article, status: str, path: str, notes: tuple[str, ...] = ()
) -> Row:
    return Row(
        input=source.label,
        status=status,
        path=path,
        title=article.title,
        date=format_date(article.date) if article.date is not None else "",
        outlet=article.source_name,
        lang=article.lang,
        words=article.words,
        missing=() if status in ("duplicate", "retagged") else missing_hints(article.missing, path),
        notes=notes or article.notes,
        topics=article.topics,
        tags=article.tags,
    )


def missing_hints(missing: Sequence[str], path: str) -> tuple[str, ...]:
    """One line per field that could not be found, saying how to fill it."""
    hints = []
    if "date" in missing:
        hints.append(
            f"no date found: pass --date or edit {path} (written as a draft until it has a date)"
        )
    if "source.url" in missing and "source.name" in missing:
        hints.append(f"no source found: pass --source-url or edit {path}")
    elif "source.url" in missing:
        hints.append(f"no source URL found: pass --source-url or edit {path}")
    elif "source.name" in missing:
        hints.append(f"no outlet name found: edit {path}")
    if "author" in missing:
        hints.append(f"no author found: edit {path}")
    return tuple(hints)
