"""Refreshing entries: `import --update`, a full article over a feed stub, `retag`.

An entry written by `briefgen import` ends its front matter with a comment
that records what the import wrote, one short hash per field:

    # imported: title=1a2b3c4d date=… body=…

A field whose value still has the recorded hash was not touched by hand, so
a refresh may replace it; a field the user edited keeps the user's value. An
entry without the record (written by hand, or by an older briefgen) keeps
every value it has: a refresh only fills its empty fields.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import Any

from briefgen.ingest.article import Article
from briefgen.ingest.dates import parse_iso
from briefgen.ingest.entry import format_date
from briefgen.ingest.rules import TAG_MENTIONS, TOPIC_MENTIONS, Rules, match_keywords

RECORD_PREFIX = "# imported:"
RECORD = re.compile(r"^# imported:((?: [a-z.]+=[0-9a-f]{8})*)\s*$", re.MULTILINE)
FIELDS = (
    "title", "date", "source.name", "source.url", "author", "lang", "topics", "tags",
    "summary", "body",
)  # fmt: skip


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def article_values(article: Article) -> dict[str, str]:
    """Each field of `article` as one canonical string (what the record hashes)."""
    return {
        "title": article.title,
        "date": format_date(article.date) if article.date is not None else "",
        "source.name": article.source_name,
        "source.url": article.source_url,
        "author": "\n".join(article.authors),
        "lang": article.lang,
        "topics": "\n".join(article.topics),
        "tags": "\n".join(article.tags),
        "summary": article.summary,
        "body": " ".join(article.body_markdown.split()),
    }


def record_line(article: Article) -> str:
    values = article_values(article)
    return RECORD_PREFIX + "".join(f" {name}={digest(values[name])}" for name in FIELDS)


def read_record(front_matter_text: str) -> dict[str, str]:
    """The recorded hashes of an entry's front matter text ({} without a record)."""
    found = RECORD.search(front_matter_text)
    if not found:
        return {}
    pairs = (item.split("=", 1) for item in found.group(1).split())
    return {name: value for name, value in pairs}


def entry_article(data: Mapping[str, Any], body: str, zone: tzinfo | None) -> Article:
    """An existing entry's front matter and body as an `Article` (for re-rendering)."""
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    assert isinstance(source, dict)
    raw_date = data.get("date")
    value: datetime | date | None = parse_iso(str(raw_date), zone) if raw_date else None
    return Article(
        title=_text(data.get("title")),
        body_markdown=body,
        date=value,
        source_name=_text(source.get("name")),
        source_url=_text(source.get("url")),
        authors=_texts(data.get("author")),
        lang=_text(data.get("lang")),
        topics=_texts(data.get("topics")),
        tags=_texts(data.get("tags")),
        summary=_text(data.get("summary")),
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(item.strip() for item in items if isinstance(item, str) and item.strip())


def merge(
    existing: Article, record: Mapping[str, str], fresh: Article
) -> tuple[Article, list[str]]:
    """`fresh` where the entry still holds what the import wrote (or nothing), the
    entry's own value where the user edited it; and the names of the fields kept."""
    old = article_values(existing)
    new = article_values(fresh)
    kept: list[str] = []
    chosen = fresh
    for name in FIELDS:
        untouched = (name in record and digest(old[name]) == record[name]) or not old[name]
        if not untouched and old[name] != new[name]:
            kept.append(name)
            chosen = _take(chosen, existing, name)
    return chosen, kept


def _take(target: Article, source: Article, name: str) -> Article:
    attribute = {
        "source.name": "source_name",
        "source.url": "source_url",
        "author": "authors",
        "body": "body_markdown",
    }.get(name, name)
    return replace(target, **{attribute: getattr(source, attribute)})


def retag(article: Article, rules: Rules) -> Article:
    """The current topic, tag and outlet rules applied: new matches are added, what
    the entry has is kept (a topic set by hand is never removed); a missing outlet is
    looked up from the source URL."""
    plain = article.title + "\n" + article.summary + "\n" + article.body_markdown
    topics = match_keywords(plain, rules.topics, TOPIC_MENTIONS, article.lang)
    tags = match_keywords(plain, rules.tags, TAG_MENTIONS, article.lang)
    outlet = article.source_name
    if article.source_url and (not outlet or rules.user_outlet(article.source_url)):
        outlet = rules.user_outlet(article.source_url) or rules.outlet_for(article.source_url)
    return replace(
        article,
        topics=tuple(dict.fromkeys((*article.topics, *topics))),
        tags=tuple(dict.fromkeys((*article.tags, *tags))),
        source_name=outlet,
    )
