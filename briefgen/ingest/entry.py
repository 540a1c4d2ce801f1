"""`Article` -> the text of a content entry: front matter in DESIGN order, then Markdown.

Order: title, date, updated, source {name, url}, author, lang, topics, tags, summary,
story, draft. What is unknown is left out. Strings are YAML double-quoted by
PyYAML's safe dumper, so any title survives a round trip; list items stay
plain when they read back as the same string.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, tzinfo

import yaml

from briefgen.fields import local_day
from briefgen.ingest.article import Article
from briefgen.slugs import slugify

SLUG_LENGTH = 60
PLAIN_ITEM = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#:]*(?<!\s)$")


def quote(value: str) -> str:
    """A YAML double-quoted scalar on one line."""
    dumped = yaml.safe_dump(
        value, default_style='"', allow_unicode=True, width=1_000_000, explicit_end=False
    )
    return dumped.strip().removesuffix("...").strip()


def flow_item(value: str) -> str:
    """A list item: plain when safe (`Corée du Nord`), else double-quoted."""
    if PLAIN_ITEM.match(value) and yaml.safe_load(f"[{value}]") == [value]:
        return value
    return quote(value)


def format_date(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def render_entry(
    article: Article,
    *,
    story: str = "",
    draft: bool | None = None,
    slug: str = "",
    record: str = "",
) -> str:
    """The whole file: `---`, front matter, `---`, body. `record` is the comment line
    that says what the import wrote (see `refresh`)."""
    lines = ["---", f"title: {quote(article.title)}"]
    if article.date is not None:
        lines.append(f"date: {format_date(article.date)}")
    if article.updated is not None and article.updated != article.date:
        lines.append(f"updated: {format_date(article.updated)}")
    if article.source_name or article.source_url:
        lines.append("source:")
        if article.source_name:
            lines.append(f"  name: {quote(article.source_name)}")
        if article.source_url:
            lines.append(f"  url: {quote(article.source_url)}")
    if len(article.authors) == 1:
        lines.append(f"author: {quote(article.authors[0])}")
    elif article.authors:
        lines.append("author: [" + ", ".join(flow_item(a) for a in article.authors) + "]")
    if article.lang:
        lines.append(f"lang: {article.lang}")
    if article.topics:
        lines.append("topics: [" + ", ".join(flow_item(t) for t in article.topics) + "]")
    if article.tags:
        lines.append("tags: [" + ", ".join(flow_item(t) for t in article.tags) + "]")
    if article.summary:
        lines.append(f"summary: {quote(article.summary)}")
    if story:
        lines.append(f"story: {story}")
    if draft is not None:
        lines.append(f"draft: {'true' if draft else 'false'}")
    if slug:
        lines.append(f"slug: {quote(slug)}")
    if record:
        lines.append(record)
    lines.append("---")
    body = article.body_markdown.strip("\n")
    return "\n".join(lines) + "\n" + body + "\n"


def entry_path(article: Article, zone: tzinfo) -> str:
    """`YYYY/MM/DD-slug.md` under content/ (day in the site's zone); `undated/slug.md`."""
    slug = short_slug(article.title)
    if article.date is None:
        return f"undated/{slug}.md"
    day = local_day(article.date, zone)
    return f"{day:%Y/%m}/{day:%d}-{slug}.md"


def short_slug(title: str, limit: int = SLUG_LENGTH) -> str:
    """The title's slug cut after its last whole word within `limit` characters."""
    slug = slugify(title, max_length=10_000) or "article"
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut or slug[:limit]


def body_hash(body: str) -> str:
    """A hash of the body's words, blind to spacing and line breaks: the dedupe key."""
    normalized = " ".join(body.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()
