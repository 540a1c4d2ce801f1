"""RSS and Atom feeds -> one `Article` per item, with feedparser."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, tzinfo
from typing import Any

from briefgen.ingest.article import Article, IngestError
from briefgen.ingest.dates import DateValue, parse_iso
from briefgen.ingest.lang import normalize_tag
from briefgen.ingest.mdconvert import html_to_markdown
from briefgen.ingest.rules import Rules, normalize_space
from briefgen.ingest.text import escape_markdown, finish_article, first_sentence, unescape_markdown


def feed_to_articles(
    data: bytes, rules: Rules, zone: tzinfo | None = None, *, default_lang: str = ""
) -> tuple[list[Article], list[str]]:
    """The feed's items as articles, and one message per item that had to be skipped."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
        reason = parsed.get("bozo_exception")
        detail = f": {_first_line(str(reason))}" if reason else ""
        raise IngestError(f"not a valid RSS or Atom feed{detail}")
    if not parsed.entries:
        raise IngestError("the feed has no items")
    feed_title = normalize_space(str(parsed.feed.get("title", "")))
    feed_lang = normalize_tag(str(parsed.feed.get("language", "") or ""))
    articles: list[Article] = []
    skipped: list[str] = []
    for number, item in enumerate(parsed.entries, start=1):
        article = _item_article(item, rules, zone, feed_title, feed_lang or default_lang)
        if article is None:
            skipped.append(f"item {number} skipped: it has neither a title nor any text")
        else:
            articles.append(article)
    return articles, skipped


def _item_article(
    item: Any, rules: Rules, zone: tzinfo | None, feed_title: str, default_lang: str
) -> Article | None:
    link = str(item.get("link", "") or "")
    body = _item_body(item, link)
    title = normalize_space(str(item.get("title", "") or ""))
    plain_body = unescape_markdown(body)
    if not body.strip():
        return None
    notes: tuple[str, ...] = ()
    if not title:
        title = first_sentence(normalize_space(plain_body))
        notes = ("the item has no title: the title is the first sentence",)
    summary = ""
    if item.get("content") and item.get("summary"):
        summary = normalize_space(unescape_markdown(html_to_markdown(str(item["summary"]))))
        if summary and summary in normalize_space(plain_body):
            summary = ""
    source_name = ""
    if link:
        known = rules.outlet_for(link)
        host_only = known == (link.split("/")[2].removeprefix("www.") if "//" in link else "")
        source_name = feed_title if host_only and feed_title else known
    authors = tuple(
        normalize_space(str(a.get("name", ""))) for a in item.get("authors", []) if a.get("name")
    )
    return finish_article(
        title=title,
        body=body,
        plain=title + "\n" + plain_body,
        rules=rules,
        date_value=_item_date(item, zone),
        source_url=link if link.startswith(("http://", "https://")) else "",
        source_name=source_name or feed_title,
        authors=authors,
        summary=summary,
        notes=notes,
        default_lang=default_lang,
    )


def _item_body(item: Any, link: str) -> str:
    for entry in item.get("content", []) or []:
        value = str(entry.get("value", "") or "")
        if value.strip():
            return _convert(value, str(entry.get("type", "")), link)
    detail = item.get("summary_detail") or {}
    value = str(item.get("summary", "") or "")
    return _convert(value, str(detail.get("type", "text/html")), link) if value.strip() else ""


def _convert(value: str, media_type: str, link: str) -> str:
    if "html" in media_type:
        return html_to_markdown(value, base_url=link)
    paragraphs = [normalize_space(p) for p in value.split("\n\n") if p.strip()]
    return "\n\n".join(escape_markdown(p) for p in paragraphs) + "\n" if paragraphs else ""


def _item_date(item: Any, zone: tzinfo | None) -> DateValue | None:
    """The item's published (else updated) date, its own offset kept."""
    for key in ("published", "updated", "created"):
        raw = str(item.get(key, "") or "").strip()
        if not raw:
            continue
        value = parse_iso(raw, zone)
        if value is not None:
            return value
        try:
            parsed: datetime = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            continue
        # RFC 2822's `-0000` is UTC "with no local offset known": email.utils gives it naive
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
