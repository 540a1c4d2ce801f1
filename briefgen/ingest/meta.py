"""A news page's own metadata, from the most reliable place first.

1. schema.org JSON-LD (`NewsArticle`, `Article`, `BlogPosting`…: `headline`,
   `datePublished`, `dateModified`, `author`, `publisher`, `inLanguage`, `url`);
2. OpenGraph and `article:` meta tags, then other common meta tags;
3. `<html lang>`, the canonical link and `og:url`, resolved against the page's URL;
4. the `<title>` element and the first `<h1>`.

Nothing here guesses: each field is what the page states, or empty. Which
value wins among several sources is decided here, once, in field order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from briefgen.ingest.lang import Declared
from briefgen.ingest.names import clean_authors, clean_site_name, cut_site_suffix, fold_name
from briefgen.ingest.rules import normalize_space

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
    }
)
CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
MAX_BYLINE = 80  # characters: a longer "byline" element holds more than names
MAX_JSON_LD = 200_000  # characters of one JSON-LD script read; longer ones are skipped


@dataclass(frozen=True)
class PageMeta:
    title: str = ""
    published: str = ""  # as the page writes it (ISO 8601 most of the time)
    modified: str = ""
    authors: tuple[str, ...] = ()  # from JSON-LD: persons the page names as authors
    meta_authors: tuple[str, ...] = ()  # from meta tags and rel=author links
    site_name: str = ""
    url: str = ""  # absolute http(s), or ""
    description: str = ""
    declared: tuple[Declared, ...] = ()
    words: int = 0  # visible words of the whole page (scripts and styles left out)


def page_meta(html: str | Any, page_url: str = "") -> PageMeta:
    """The metadata of a page (its text, or an lxml root)."""
    root = _parse(html) if isinstance(html, str) else html
    if root is None:
        return PageMeta()
    ld = _json_ld_article(root)
    base = _base_url(root, page_url)
    site_name = clean_site_name(
        _first(root, "//meta[@property='og:site_name']/@content")
        or _ld_name(ld.get("publisher"))
        or _first(root, "//meta[@name='application-name']/@content")
    )
    title = _title(root, ld)
    ld_authors = clean_authors(_ld_authors(ld.get("author")), site_name)
    return PageMeta(
        title=cut_site_suffix(title, site_name),
        published=_ld_text(ld.get("datePublished"))
        or _first(
            root,
            "//meta[@property='article:published_time']/@content",
            "//meta[@itemprop='datePublished']/@content",
            "//*[@itemprop='datePublished']/@datetime",
            "//meta[@name='parsely-pub-date' or @name='sailthru.date']/@content",
            "//meta[@name='date' or @name='dc.date' or @name='DC.date']/@content",
            "//meta[@name='dcterms.date' or @name='DC.date.issued']/@content",
        ),
        modified=_ld_text(ld.get("dateModified"))
        or _first(root, "//meta[@property='article:modified_time']/@content"),
        authors=ld_authors,
        meta_authors=clean_authors(_meta_authors(root), site_name),
        site_name=site_name,
        url=_page_url(root, ld, base),
        description=_ld_text(ld.get("description"))
        or _first(
            root,
            "//meta[@property='og:description']/@content",
            "//meta[@name='description']/@content",
        ),
        declared=_declared(root, ld),
        words=_visible_words(root),
    )


def _visible_words(root: Any) -> int:
    hidden = ("script", "style", "noscript", "template", "head")
    count = 0
    for text in root.xpath("//text()"):
        parent = text.getparent()
        if (
            parent is not None
            and parent.tag not in hidden
            and not isinstance(parent, etree._Comment)
        ):
            count += len(str(text).split())
    return count


def _title(root: Any, ld: dict[str, Any]) -> str:
    """JSON-LD's headline (or name), OpenGraph's, Twitter's, `<title>`, `<h1>`: the first
    that another of them confirms (Wikipedia's JSON-LD headline is a description)."""
    candidates = [
        _ld_text(ld.get("headline")),
        _ld_text(ld.get("name")),
        _first(root, "//meta[@property='og:title']/@content"),
        _first(root, "//meta[@name='twitter:title']/@content"),
        _first(root, "//meta[@name='dc.title' or @name='DC.title']/@content"),
        _first(root, "//title"),
        _first(root, "//h1"),
    ]
    found = [title for title in candidates if title]
    for index, title in enumerate(found):
        key = fold_name(title)
        if any(key in fold_name(other) for other in found[index + 1 :]):
            return title
    if found and found[0] == candidates[5]:
        return cut_title_element(found[0])
    return found[0] if found else ""


def cut_title_element(title: str) -> str:
    """`<title>`'s last part after ` | ` or ` - ` when short: the site's name, most often."""
    head, separator, tail = title.rpartition(" | ")
    piped = bool(separator)
    if not piped:
        head, separator, tail = title.rpartition(" - ")
    if separator and head and len(tail.split()) <= 4 and (piped or len(tail) < len(head)):
        return head.strip()
    return title


def _parse(html: str) -> Any:
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _first(root: Any, *xpaths: str) -> str:
    for xpath in xpaths:
        for value in root.xpath(xpath):
            raw = value.text_content() if hasattr(value, "text_content") else value
            text = normalize_space(str(raw))
            if text:
                return text
    return ""


def _json_ld_objects(root: Any) -> Iterator[dict[str, Any]]:
    for script in root.xpath("//script[@type='application/ld+json']/text()"):
        if len(script) > MAX_JSON_LD:
            continue
        try:
            data = json.loads(CDATA.sub("", script))
        except (ValueError, RecursionError):
            continue
        yield from _walk(data, depth=0)


def _walk(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document that has a `@type`, `@graph`s opened."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        if "@graph" in data:
            yield from _walk(data["@graph"], depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk(main, depth + 1)


def _types(item: dict[str, Any]) -> set[str]:
    kinds = item.get("@type")
    values = kinds if isinstance(kinds, list) else [kinds]
    return {str(value).rsplit("/", 1)[-1].lower() for value in values if value}


def _json_ld_article(root: Any) -> dict[str, Any]:
    """The page's article object (the first of an article type with a headline)."""
    candidates = [item for item in _json_ld_objects(root) if _types(item) & ARTICLE_TYPES]
    with_headline = [item for item in candidates if _ld_text(item.get("headline"))]
    return (with_headline or candidates or [{}])[0]


def _ld_text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or ""
    return normalize_space(str(value)) if isinstance(value, str | int | float) else ""


def _ld_name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        return _ld_text(value.get("name"))
    return _ld_text(value)


def _ld_authors(value: Any) -> list[str]:
    """The names of the persons among JSON-LD's `author` (organisations left out)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            if "organization" in _types(item) or "newsmediaorganization" in _types(item):
                continue
            names.append(_ld_text(item.get("name")))
        elif isinstance(item, str):
            names.append(normalize_space(item))
    return [name for name in names if name]


def _meta_authors(root: Any) -> list[str]:
    for xpath in (
        "//meta[@property='article:author']/@content",
        "//meta[@name='author']/@content",
        "//meta[@name='parsely-author' or @name='sailthru.author']/@content",
        "//meta[@name='dc.creator' or @name='DC.creator']/@content",
        "//*[@rel='author']",
        "//*[@itemprop='author']//*[@itemprop='name']",
        "//*[contains(concat(' ', @class, ' '), ' author-name ')]",
        "//*[contains(concat(' ', @class, ' '), ' byline__name ')]",
        "//*[contains(@class, 'byline') or contains(@class, 'author')][not(.//p)]",
    ):
        values = [normalize_space(str(_text(value))) for value in root.xpath(xpath)[:5]]
        values = [
            value
            for value in values
            if value and len(value) <= MAX_BYLINE and not value.startswith("http")
        ]
        if values:
            return list(dict.fromkeys(values))
    return []


def _text(value: Any) -> str:
    return str(value.text_content() if hasattr(value, "text_content") else value)


def _base_url(root: Any, page_url: str) -> str:
    base = _first(root, "//base/@href")
    return urljoin(page_url, base) if base and page_url else page_url


def _page_url(root: Any, ld: dict[str, Any], base: str) -> str:
    """The article's own absolute http(s) URL: canonical, og:url, JSON-LD, the page's."""
    for candidate in (
        _first(root, "//link[@rel='canonical']/@href"),
        _first(root, "//meta[@property='og:url']/@content"),
        _ld_text(ld.get("url")),
        _ld_text(ld.get("mainEntityOfPage")),
        base,
    ):
        try:
            absolute = urljoin(base, candidate) if candidate and base else candidate
        except ValueError:  # not a URL at all ('http://[::1' is an unclosed IPv6 host)
            continue
        if re.match(r"https?://[^/\s]+", absolute, re.IGNORECASE):
            return absolute
    return ""


def _declared(root: Any, ld: dict[str, Any]) -> tuple[Declared, ...]:
    found = [
        Declared(_first(root, "/html/@lang", "/html/@xml:lang"), "<html lang>"),
        Declared(_ld_text(ld.get("inLanguage")), "JSON-LD inLanguage"),
        Declared(_first(root, "//meta[@property='og:locale']/@content"), "og:locale"),
        Declared(
            _first(
                root,
                "//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content",
            ),
            "Content-Language",
        ),
    ]
    return tuple(item for item in found if item.tag)
