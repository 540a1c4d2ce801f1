"""RSS, Atom (with feedparser) and JSON Feed 1.0/1.1 -> one `Article` per item.

An item's outlet is its own: the item's `<source>` or `dc:publisher`, else
the outlet of its link's host (the user's `import.sources` first, then the
shipped map), and the feed's title only when the feed is that outlet's own
(same host). An item that carries only a summary becomes a link entry: the
summary and the link, no body.
"""

from __future__ import annotations

import email.utils
import json
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from briefgen.ingest.article import Article, IngestError
from briefgen.ingest.blocks import clean_blocks
from briefgen.ingest.dates import DateValue, parse_iso
from briefgen.ingest.lang import Declared
from briefgen.ingest.mdconvert import html_to_markdown
from briefgen.ingest.names import clean_authors, clean_site_name
from briefgen.ingest.rules import Rules, host_of, normalize_space
from briefgen.ingest.text import escape_markdown, finish_article, first_sentence, unescape_markdown

JSON_FEED = "https://jsonfeed.org/version/"
LINK_ENTRY = "the item has only a summary: imported as a link entry (summary and link)"


@dataclass(frozen=True)
class Item:
    """One feed item, whatever the feed's format."""

    title: str
    link: str
    content: str  # the full text as Markdown, or ""
    summary: str  # as Markdown, or ""
    dates: tuple[str, ...]  # published, updated…, as written
    authors: tuple[str, ...]
    outlet: str  # the item's own <source> or dc:publisher, or ""
    lang: str = ""


@dataclass(frozen=True)
class Feed:
    title: str
    link: str
    lang: str
    items: tuple[Item, ...]


def is_json_feed(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version/" in head


def feed_to_articles(
    data: bytes, rules: Rules, zone: tzinfo | None = None, *, default_lang: str = ""
) -> tuple[list[Article], list[str]]:
    """The feed's items as articles, and one message per item that had to be skipped."""
    feed = parse_json_feed(data) if is_json_feed(data) else parse_xml_feed(data)
    if not feed.items:
        raise IngestError("the feed has no items")
    articles: list[Article] = []
    skipped: list[str] = []
    for number, item in enumerate(feed.items, start=1):
        article = _item_article(item, feed, rules, zone, default_lang)
        if article is None:
            skipped.append(f"item {number} skipped: it has neither a title nor any text")
        else:
            articles.append(article)
    return articles, skipped


def parse_xml_feed(data: bytes) -> Feed:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
        reason = parsed.get("bozo_exception")
        detail = f": {_first_line(str(reason))}" if reason else ""
        raise IngestError(f"not a valid RSS or Atom feed{detail}")
    items = tuple(_xml_item(entry) for entry in parsed.entries)
    return Feed(
        title=normalize_space(str(parsed.feed.get("title", "") or "")),
        link=str(parsed.feed.get("link", "") or ""),
        lang=str(parsed.feed.get("language", "") or ""),
        items=items,
    )


def _xml_item(item: Any) -> Item:
    link = str(item.get("link", "") or "")
    content = ""
    for entry in item.get("content", []) or []:
        value = str(entry.get("value", "") or "")
        if value.strip():
            content = _convert(value, str(entry.get("type", "")), link)
            break
    detail = item.get("summary_detail") or {}
    raw_summary = str(item.get("summary", "") or "")
    summary = _convert(raw_summary, str(detail.get("type", "text/html")), link)
    source = item.get("source") or {}
    outlet = str(source.get("title", "") or "") or str(item.get("publisher", "") or "")
    return Item(
        title=normalize_space(str(item.get("title", "") or "")),
        link=link,
        content=content,
        summary=summary,
        dates=tuple(str(item.get(key, "") or "") for key in ("published", "updated", "created")),
        authors=tuple(
            normalize_space(str(a.get("name", "")))
            for a in item.get("authors", [])
            if a.get("name")
        ),
        outlet=normalize_space(outlet),
    )


def parse_json_feed(data: bytes) -> Feed:
    """A JSON Feed (https://jsonfeed.org/version/1.1)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise IngestError(f"not a valid JSON Feed: {_first_line(str(exc))}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise IngestError("not a valid JSON Feed: expected an object with a list of items")
    items = tuple(
        _json_item(item, document) for item in document["items"] if isinstance(item, dict)
    )
    return Feed(
        title=normalize_space(_str(document.get("title"))),
        link=_str(document.get("home_page_url")),
        lang=_str(document.get("language")),
        items=items,
    )


def _json_item(item: dict[str, Any], feed: dict[str, Any]) -> Item:
    link = _str(item.get("url")) or _str(item.get("external_url"))
    if _str(item.get("content_html")):
        content = html_to_markdown(_str(item.get("content_html")), base_url=link)
    else:
        content = _convert(_str(item.get("content_text")), "text/plain", link)
    authors = item.get("authors") or (
        [item["author"]] if isinstance(item.get("author"), dict) else []
    )
    return Item(
        title=normalize_space(_str(item.get("title"))),
        link=link,
        content=content,
        summary=_convert(_str(item.get("summary")), "text/plain", link),
        dates=(_str(item.get("date_published")), _str(item.get("date_modified"))),
        authors=tuple(normalize_space(_str(a.get("name"))) for a in authors if isinstance(a, dict)),
        outlet="",
        lang=_str(item.get("language")),
    )


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _item_article(
    item: Item, feed: Feed, rules: Rules, zone: tzinfo | None, default_lang: str
) -> Article | None:
    body, summary = item.content, item.summary
    notes: tuple[str, ...] = ()
    if not body.strip() and item.link.startswith(("http://", "https://")) and summary.strip():
        notes = (LINK_ENTRY,)  # a summary only: a link entry, never the summary as a body
    elif not body.strip():
        body, summary = summary, ""
    if body.strip():
        body = clean_blocks(body, item.title, rules)[0]
    plain_body = unescape_markdown(body)
    plain_summary = normalize_space(unescape_markdown(summary))
    if plain_summary and plain_summary in normalize_space(plain_body):
        plain_summary = ""
    title = item.title
    if not (plain_body.strip() or plain_summary):
        return None
    if not title:
        title = first_sentence(normalize_space(plain_body or plain_summary))
        notes += ("the item has no title: the title is the first sentence",)
    source_name = item_outlet(item, feed, rules)
    return finish_article(
        title=title,
        body=body,
        plain=title + "\n" + (plain_body or plain_summary),
        rules=rules,
        date_value=_item_date(item.dates, zone),
        source_url=item.link if item.link.startswith(("http://", "https://")) else "",
        source_name=source_name,
        authors=clean_authors(item.authors, source_name),
        summary=plain_summary,
        notes=notes,
        default_lang=default_lang,
        declared=tuple(
            Declared(tag, where)
            for tag, where in ((item.lang, "the item"), (feed.lang, "the feed"))
            if tag
        ),
    )


def item_outlet(item: Item, feed: Feed, rules: Rules) -> str:
    """The item's own outlet; the feed's title only when the feed is that outlet's."""
    if item.link and rules.user_outlet(item.link):
        return rules.user_outlet(item.link)
    if item.outlet:
        return clean_site_name(item.outlet)
    if item.link:
        known = rules.known_outlet(item.link)
        if known:
            return known
        if feed.title and host_of(feed.link) == host_of(item.link):
            return feed.title
        return host_of(item.link)
    return feed.title


def _convert(value: str, media_type: str, link: str) -> str:
    if not value.strip():
        return ""
    if "html" in media_type:
        return html_to_markdown(value, base_url=link)
    paragraphs = [normalize_space(p) for p in value.split("\n\n") if p.strip()]
    return "\n\n".join(escape_markdown(p) for p in paragraphs) + "\n" if paragraphs else ""


def _item_date(dates: tuple[str, ...], zone: tzinfo | None) -> DateValue | None:
    """The item's published (else updated) date, its own offset kept."""
    for raw in dates:
        raw = raw.strip()
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
