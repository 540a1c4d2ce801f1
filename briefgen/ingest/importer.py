"""Walk the inputs, turn each into articles, and write them as entries.

Never loses or clobbers anything: an article already in `content/` (same
source URL, or same body text) is reported and not written again; a
different article with a taken file name gets `-2`, `-3`…; each file is
written to a temporary file beside its target and linked into place only if
the name is still free. A dry run writes nothing. Nothing here prints: the
result is an `ImportReport` of rows and diagnostics.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefgen.config import Config
from briefgen.diagnostics import Diagnostic, error, warning
from briefgen.frontmatter import split
from briefgen.ingest.article import Article, IngestError, missing_fields
from briefgen.ingest.dates import DateValue
from briefgen.ingest.decode import DecodeError, decode
from briefgen.ingest.entry import body_hash, entry_path, format_date, render_entry
from briefgen.ingest.fetch import MAX_BYTES, TIMEOUT, describe_size, fetch
from briefgen.ingest.rules import Rules, build_rules
from briefgen.ingest.text import text_to_article

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    topics: tuple[str, ...] = ()
    source_url: str = ""
    date: DateValue | None = None
    lang: str = ""
    dry_run: bool = False
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Row:
    """One article of the summary table."""

    input: str
    status: str  # "written", "would write", "duplicate"
    path: str  # of the entry, relative to the project root
    title: str
    date: str
    outlet: str
    lang: str
    words: int
    missing: tuple[str, ...] = ()  # one hint per field that could not be found
    notes: tuple[str, ...] = ()


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


@dataclass
class _Index:
    """What `content/` already holds: source URLs, body hashes, file names."""

    urls: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)


def run_import(
    config: Config,
    inputs: Sequence[str],
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    cwd: Path | None = None,
) -> ImportReport:
    """Import every input; a failed input is a diagnostic, the others go on."""
    report = ImportReport()
    rules = rules_for(config)
    index = scan_content(config)
    base = cwd or Path.cwd()
    sources = list(expand_inputs(inputs, base, report.diagnostics))
    for done, source in enumerate(sources, start=1):
        warnings: list[str] = []
        try:
            articles = read_articles(source, config, rules, options, stdin, warnings)
        except IngestError as exc:
            report.diagnostics.append(error(source.label, 0, str(exc), code="import"))
        else:
            for article in articles:
                article = apply_options(article, options, rules)
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
    if kind == "html":
        from briefgen.ingest.html import html_to_article

        return [html_to_article(text, rules, config.zone, url=url, default_lang=config.language)]
    article = text_to_article(text, rules, config.zone, default_lang=config.language)
    if not article.body_markdown.strip():
        raise IngestError("no article text found (only a title and site furniture)")
    if url and not article.source_url:
        article = replace(article, source_url=url)
    return [article]


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
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
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
    changes: dict[str, object] = {}
    if options.date is not None:
        changes["date"] = options.date
    if options.source_url:
        changes["source_url"] = options.source_url
        if not article.source_name:
            changes["source_name"] = rules.outlet_for(options.source_url)
    if options.topics:
        changes["topics"] = options.topics
    if options.lang:
        changes["lang"] = options.lang
    if not changes:
        return article
    article = replace(article, **changes)  # type: ignore[arg-type]
    return replace(
        article,
        missing=missing_fields(
            date_value=article.date,
            source_name=article.source_name,
            source_url=article.source_url,
            authors=article.authors,
        ),
    )


def normalize_url(url: str) -> str:
    """The URL as a dedupe key: no fragment, no tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(("utm_", "fbclid"))]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(
        (
            "https" if parts.scheme == "http" else parts.scheme,
            parts.netloc.lower().removeprefix("www."),
            path,
            query,
            "",
        )
    )


def scan_content(config: Config) -> _Index:
    """Read the front matter and body of every existing entry, for dedupe."""
    index = _Index()
    root = config.content_path
    if not root.is_dir():
        return index
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(config.root).as_posix()
        index.taken.add(relative)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        document, _problems = split(text, relative)
        if document is None:
            continue
        source = document.meta.data.get("source")
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            index.urls.setdefault(normalize_url(source["url"]), relative)
        index.hashes.setdefault(body_hash(document.body), relative)
    return index


def _store(
    article: Article,
    source: Input,
    config: Config,
    options: ImportOptions,
    index: _Index,
    report: ImportReport,
) -> None:
    digest = body_hash(article.body_markdown)
    url_key = normalize_url(article.source_url) if article.source_url else ""
    existing, reason = "", ""
    if url_key and url_key in index.urls:
        existing, reason = index.urls[url_key], "same source URL"
    elif digest in index.hashes:
        existing, reason = index.hashes[digest], "same text"
    if existing:
        report.rows.append(
            _row(
                source,
                article,
                "duplicate",
                existing,
                notes=(f"already imported as {existing} ({reason})",),
            )
        )
        return
    content_dir = config.content_path.relative_to(config.root).as_posix()
    relative = _free_name(f"{content_dir}/{entry_path(article, config.zone)}", index, config.root)
    text = render_entry(article)
    if not options.dry_run:
        try:
            relative = _write_new(config.root, relative, text, index)
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
    index.hashes[digest] = relative
    if url_key:
        index.urls[url_key] = relative
    report.texts[relative] = text
    status = "would write" if options.dry_run else "written"
    report.rows.append(_row(source, article, status, relative))


def _free_name(relative: str, index: _Index, root: Path) -> str:
    stem, suffix = relative.removesuffix(".md"), ".md"
    candidate, number = relative, 2
    while candidate in index.taken or (root / candidate).exists():
        candidate = f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _write_new(root: Path, relative: str, text: str, index: _Index) -> str:
    """Write atomically under a free name (never replacing a file); return the name used."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        while True:
            try:
                os.link(temp_name, target)
                return target.relative_to(root).as_posix()
            except FileExistsError:
                index.taken.add(target.relative_to(root).as_posix())
                target = root / _free_name(relative, index, root)
            except OSError:
                if target.exists():
                    raise
                os.replace(temp_name, target)
                return target.relative_to(root).as_posix()
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def _row(
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
        missing=() if status == "duplicate" else missing_hints(article.missing, path),
        notes=notes or article.notes,
    )


def missing_hints(missing: Sequence[str], path: str) -> tuple[str, ...]:
    """One line per field that could not be found, saying how to fill it."""
    hints = []
    if "date" in missing:
        hints.append(f"no date found: pass --date or edit {path}")
    if "source.url" in missing and "source.name" in missing:
        hints.append(f"no source found: pass --source-url or edit {path}")
    elif "source.url" in missing:
        hints.append(f"no source URL found: pass --source-url or edit {path}")
    elif "source.name" in missing:
        hints.append(f"no outlet name found: edit {path}")
    if "author" in missing:
        hints.append(f"no author found: edit {path}")
    return tuple(hints)
