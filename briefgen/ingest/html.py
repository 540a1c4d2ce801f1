"""HTML pages -> `Article`: the main text and metadata by trafilatura, the
page's own meta tags as fallback, the text as Markdown (see `mdconvert`)."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

import lxml.html
from lxml import etree

from briefgen.fields import local_day
from briefgen.ingest.article import Article, IngestError
from briefgen.ingest.dates import DateValue, parse_iso
from briefgen.ingest.lang import normalize_tag
from briefgen.ingest.mdconvert import html_to_markdown
from briefgen.ingest.rules import Rules, normalize_space
from briefgen.ingest.text import finish_article, unescape_markdown

MIN_WORDS = 40  # less main text than this is not an article (an index, a 404 page…)
NO_ARTICLE = "no article text found (expected an HTML page with a main article)"


def html_to_article(
    html: str, rules: Rules, zone: tzinfo | None = None, *, url: str = "", default_lang: str = ""
) -> Article:
    """One article from a page; raises `IngestError` when the page holds none."""
    import trafilatura

    try:
        main = trafilatura.extract(
            html,
            url=url or None,
            output_format="html",
            include_links=True,
            include_formatting=True,
            include_comments=False,
            include_tables=True,
        )
        found = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False
        )
    except (ValueError, TypeError, etree.LxmlError) as exc:
        raise IngestError(NO_ARTICLE) from exc
    meta = page_meta(html)
    facts = _attrs(found)
    title = normalize_space(facts.get("title") or meta.get("title") or "")
    source_url = meta.get("canonical") or facts.get("url") or url
    body = html_to_markdown(main or "", base_url=source_url)
    body = _drop_title_heading(body, title)
    words = len(unescape_markdown(body).split())
    if not title or words < MIN_WORDS:
        raise IngestError(NO_ARTICLE)
    date_value = _best_date(meta.get("published", ""), facts.get("date") or "", zone)
    author = facts.get("author") or meta.get("author") or ""
    authors = tuple(a.strip() for a in author.split(";") if a.strip())
    summary = normalize_space(facts.get("description") or meta.get("description") or "")
    plain = title + "\n" + unescape_markdown(body)
    return finish_article(
        title=title,
        body=body,
        plain=plain,
        rules=rules,
        date_value=date_value,
        source_url=source_url if source_url.startswith(("http://", "https://")) else "",
        source_name=normalize_space(facts.get("sitename") or meta.get("site_name") or ""),
        authors=authors,
        summary=summary,
        default_lang=normalize_tag(meta.get("lang", "")) or default_lang,
    )


def _attrs(document: Any) -> dict[str, str]:
    if document is None:
        return {}
    names = ("title", "author", "date", "sitename", "url", "description")
    return {name: str(getattr(document, name, "") or "") for name in names}


def page_meta(html: str) -> dict[str, str]:
    """The page's own metadata: meta tags, canonical link, JSON-LD, `<html lang>`."""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return {}
    meta: dict[str, str] = {}

    def first(*xpaths: str) -> str:
        for xpath in xpaths:
            for value in root.xpath(xpath):
                raw = value.text_content() if hasattr(value, "text_content") else value
                text = normalize_space(str(raw))
                if text:
                    return text
        return ""

    meta["title"] = first(
        "//meta[@property='og:title']/@content",
        "//meta[@name='twitter:title']/@content",
        "//h1",
        "//title",
    )
    meta["site_name"] = first("//meta[@property='og:site_name']/@content")
    meta["canonical"] = first(
        "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"
    )
    meta["author"] = first("//meta[@name='author']/@content")
    meta["description"] = first(
        "//meta[@name='description']/@content", "//meta[@property='og:description']/@content"
    )
    meta["published"] = first(
        "//meta[@property='article:published_time']/@content",
        "//meta[@name='date']/@content",
        "//meta[@itemprop='datePublished']/@content",
    ) or _json_ld_date(root)
    meta["lang"] = first("/html/@lang")
    if meta["title"] == first("//title"):
        meta["title"] = meta["title"].split(" | ")[0].split(" - ")[0]
    return {key: value for key, value in meta.items() if value}


def _json_ld_date(root: Any) -> str:
    for script in root.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                return str(item["datePublished"])
    return ""


def _best_date(published: str, found: str, zone: tzinfo | None) -> DateValue | None:
    """The page's full date-time when it agrees with trafilatura's day, else the day."""
    precise = parse_iso(published, zone)
    day = parse_iso(found[:10], zone) if found else None
    agrees = (
        day is None
        or precise == day
        or (isinstance(precise, datetime) and zone is not None and local_day(precise, zone) == day)
    )
    if isinstance(precise, datetime) and agrees:
        return precise
    return day or precise


def _drop_title_heading(body: str, title: str) -> str:
    """trafilatura sometimes keeps the page's `<h1>`: it is the title, not the body."""
    first, _, rest = body.partition("\n\n")
    if first.startswith("# ") and normalize_space(unescape_markdown(first[2:])) == title:
        return rest
    return body
